#!/usr/bin/env bash
# The same work other ways, in one application: the "DataFrame" answer built from an RDD's
# map/reduceByKey (the book's map and reduce phases) and turned into a DataFrame only to write it;
# the SQL answer as a subquery over a view with inferred types, using date_format and a
# sum/count instead of avg. No _SUCCESS markers: the grader must not need them.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > hourly_both.py <<'PY'
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("hourly-rdd-and-sql").getOrCreate()
lines = spark.sparkContext.textFile("/data/iot/sensor-readings.csv")
header = lines.first()
pairs = lines.filter(lambda line: line != header) \
    .map(lambda line: line.split(",")) \
    .map(lambda f: (f[0][:13], (float(f[1]), 1)))
sums = pairs.reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1]))
rows = sums.map(lambda kv: (kv[0][:10], kv[0], kv[1][0] / kv[1][1]))
spark.createDataFrame(rows, "day STRING, hour STRING, average DOUBLE") \
    .write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-df")

spark.read.csv("/data/iot/sensor-readings.csv", header=True, inferSchema=True).createOrReplaceTempView("readings")
spark.sql("""
    SELECT day, hour, total / n AS average
    FROM (
        SELECT date_format(timestamp, 'yyyy-MM-dd') AS day,
               date_format(timestamp, 'yyyy-MM-dd HH') AS hour,
               sum(value) AS total, count(*) AS n
        FROM readings
        GROUP BY date_format(timestamp, 'yyyy-MM-dd'), date_format(timestamp, 'yyyy-MM-dd HH')
    )
""").write.mode("overwrite").partitionBy("day").parquet("/data/iot/hourly-sql")
spark.stop()
PY

spark-submit --conf spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs=false hourly_both.py
