#!/usr/bin/env bash
# Reference solution of spark-daily-averages: one PySpark job writes both results.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > daily_averages.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("daily-averages").getOrCreate()
readings = spark.read.csv("/data/iot/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE")


def averages(key_length, key_name):
    # Map: cut the timestamp to the key; reduce: average the values of each key.
    key = F.substring("timestamp", 1, key_length).alias(key_name)
    return readings.groupBy(key).agg(F.avg("value").alias("average"))


averages(10, "day").write.mode("overwrite").csv("/data/iot/daily-averages", header=True)
averages(16, "minute").write.mode("overwrite").csv("/data/iot/minute-averages", header=True)
spark.stop()
PY

spark-submit daily_averages.py
