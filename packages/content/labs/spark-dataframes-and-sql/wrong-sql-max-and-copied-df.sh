#!/usr/bin/env bash
# Wrong twice: the SQL query takes max(value) instead of avg(value), and the DataFrame "answer"
# is that SQL output copied by hand with hdfs dfs -cp. HDFS records the copy as written by the
# command line client, not by a Spark task.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > hourly_sql.py <<'PY'
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("hourly-sql").getOrCreate()
spark.read.csv("/data/iot/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE") \
    .createOrReplaceTempView("readings")
spark.sql("SELECT substr(timestamp, 1, 10) AS day, substr(timestamp, 1, 13) AS hour, max(value) AS average FROM readings GROUP BY 1, 2") \
    .write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-sql")
spark.stop()
PY

spark-submit hourly_sql.py
hdfs dfs -cp /data/iot/hourly-sql /data/iot/hourly-df
