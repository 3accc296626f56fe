#!/usr/bin/env bash
# Wrong twice: the hourly averages are written as CSV (partitioned by day) instead of Parquet,
# and the tile takes max("hour") and max("average") in one aggregation: each sensor's latest hour
# next to its warmest hour's average. The ingest and the lake are right.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 2
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"sensor\":\"hall-a\",\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings

cat > pipeline.py <<'PY'
import os
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("pipeline").getOrCreate()
messages = spark.read.format("kafka") \
    .option("kafka.bootstrap.servers", os.environ["KAFKA_BOOTSTRAP_SERVERS"]) \
    .option("subscribe", "sensor-readings,hall-b-readings").load()
messages.select(F.from_json(F.col("value").cast("string"), "sensor STRING, timestamp STRING, value DOUBLE").alias("r")) \
    .select("r.*").withColumn("day", F.substring("timestamp", 1, 10)) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/readings")

spark.read.parquet("/data/lake/readings") \
    .groupBy("sensor", "day", F.substring("timestamp", 1, 13).alias("hour")).agg(F.avg("value").alias("average")) \
    .write.mode("overwrite").partitionBy("day").csv("/data/lake/hourly-averages", header=True)

spark.read.csv("/data/lake/hourly-averages", header=True, schema="sensor STRING, hour STRING, average DOUBLE, day STRING") \
    .groupBy("sensor").agg(F.max("hour").alias("hour"), F.max("average").alias("average")) \
    .coalesce(1).write.mode("overwrite").json("/data/dashboard/latest-hour")
spark.stop()
PY

spark-submit --jars "$SPARK_KAFKA_JARS" pipeline.py
