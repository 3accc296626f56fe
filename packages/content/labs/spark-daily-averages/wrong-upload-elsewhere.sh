#!/usr/bin/env bash
# Wrong: the readings go to /data/sensor-readings.csv instead of /data/iot/; the job reads them
# from there, so the averages are right but the upload step is not.
set -euo pipefail

hdfs dfs -mkdir -p /data
hdfs dfs -put data/sensor-readings.csv /data/

cat > daily_averages.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("daily-averages").getOrCreate()
readings = spark.read.csv("/data/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE")
for length, name, out in [(10, "day", "/data/iot/daily-averages"), (16, "minute", "/data/iot/minute-averages")]:
    readings.groupBy(F.substring("timestamp", 1, length).alias(name)).agg(F.avg("value").alias("average")) \
        .write.mode("overwrite").csv(out, header=True)
spark.stop()
PY

spark-submit daily_averages.py
