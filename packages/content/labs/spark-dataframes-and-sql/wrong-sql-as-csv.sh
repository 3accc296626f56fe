#!/usr/bin/env bash
# Wrong: the SQL answer is partitioned by day but written as CSV, not Parquet (the part files
# are even named .csv). The DataFrame answer is right.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > hourly.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("hourly").getOrCreate()
readings = spark.read.csv("/data/iot/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE")
readings.groupBy(F.substring("timestamp", 1, 10).alias("day"), F.substring("timestamp", 1, 13).alias("hour")) \
    .agg(F.avg("value").alias("average")) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-df")
readings.createOrReplaceTempView("readings")
spark.sql("SELECT substr(timestamp, 1, 10) AS day, substr(timestamp, 1, 13) AS hour, avg(value) AS average FROM readings GROUP BY 1, 2") \
    .write.mode("overwrite").partitionBy("day").csv("/data/iot/hourly-sql", header=True)
spark.stop()
PY

spark-submit hourly.py
