#!/usr/bin/env bash
# Wrong: the readings go to /data/readings.csv and both jobs read them from there, so the averages
# are right, but the upload step is not and neither job read /data/iot/sensor-readings.csv.
set -euo pipefail

hdfs dfs -mkdir -p /data
hdfs dfs -put data/sensor-readings.csv /data/readings.csv

cat > hourly.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("hourly").getOrCreate()
readings = spark.read.csv("/data/readings.csv", header=True, schema="timestamp STRING, value DOUBLE")
readings.groupBy(F.substring("timestamp", 1, 10).alias("day"), F.substring("timestamp", 1, 13).alias("hour")) \
    .agg(F.avg("value").alias("average")) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-df")
readings.createOrReplaceTempView("readings")
spark.sql("SELECT substr(timestamp, 1, 10) AS day, substr(timestamp, 1, 13) AS hour, avg(value) AS average FROM readings GROUP BY 1, 2") \
    .write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-sql")
spark.stop()
PY

spark-submit hourly.py
