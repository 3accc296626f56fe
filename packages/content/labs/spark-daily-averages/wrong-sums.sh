#!/usr/bin/env bash
# Wrong: the daily "averages" are sums (F.sum instead of F.avg); the minute averages are right.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > daily_averages.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("daily-averages").getOrCreate()
readings = spark.read.csv("/data/iot/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE")
day = F.substring("timestamp", 1, 10).alias("day")
minute = F.substring("timestamp", 1, 16).alias("minute")
readings.groupBy(day).agg(F.sum("value").alias("average")).write.mode("overwrite").csv("/data/iot/daily-averages", header=True)
readings.groupBy(minute).agg(F.avg("value").alias("average")).write.mode("overwrite").csv("/data/iot/minute-averages", header=True)
spark.stop()
PY

spark-submit daily_averages.py
