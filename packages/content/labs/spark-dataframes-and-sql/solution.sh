#!/usr/bin/env bash
# Reference solution of spark-dataframes-and-sql: the hourly averages once with the DataFrame API
# and once with Spark SQL over a temporary view, both as Parquet partitioned by day.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > hourly_df.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("hourly-df").getOrCreate()
readings = spark.read.csv("/data/iot/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE")
hourly = readings.groupBy(
    F.substring("timestamp", 1, 10).alias("day"),
    F.substring("timestamp", 1, 13).alias("hour"),
).agg(F.avg("value").alias("average"))
hourly.write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-df")
spark.stop()
PY

cat > hourly_sql.py <<'PY'
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("hourly-sql").getOrCreate()
spark.read.csv("/data/iot/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE") \
    .createOrReplaceTempView("readings")
hourly = spark.sql("""
    SELECT substr(timestamp, 1, 10) AS day, substr(timestamp, 1, 13) AS hour, avg(value) AS average
    FROM readings
    GROUP BY 1, 2
""")
hourly.write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-sql")
spark.stop()
PY

spark-submit hourly_df.py
spark-submit hourly_sql.py
