#!/usr/bin/env bash
# Reference solution of blueprint-pipeline: the four areas one after the other, each its own job,
# each reading the output of the one before: Kafka -> lake -> hourly averages -> dashboard tile.
set -euo pipefail

# Ingest (24.1): every reading once, as JSON naming the sensor.
kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 2
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"sensor\":\"hall-a\",\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings

# Store (24.3): both topics, read from Kafka in one batch, landed as Parquet partitioned by day.
cat > land.py <<'PY'
import os
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("land").getOrCreate()
messages = (
    spark.read.format("kafka")
    .option("kafka.bootstrap.servers", os.environ["KAFKA_BOOTSTRAP_SERVERS"])
    .option("subscribe", "sensor-readings,hall-b-readings")
    .load()
)
schema = "sensor STRING, timestamp STRING, value DOUBLE"
readings = (
    messages.select(F.from_json(F.col("value").cast("string"), schema).alias("r"))
    .select("r.*")
    .where("sensor IS NOT NULL")
    .dropDuplicates(["sensor", "timestamp"])
)
readings.withColumn("day", F.substring("timestamp", 1, 10)) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/readings")
spark.stop()
PY

# Analyse (24.2): hourly averages per sensor, from the lake, back into the lake.
cat > hourly.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("hourly").getOrCreate()
readings = spark.read.parquet("/data/lake/readings")
hourly = readings.groupBy("sensor", "day", F.substring("timestamp", 1, 13).alias("hour")) \
    .agg(F.avg("value").alias("average"))
hourly.write.mode("overwrite").partitionBy("day").parquet("/data/lake/hourly-averages")
spark.stop()
PY

# Display (24.4): each sensor's latest hour, one JSON line per sensor.
cat > tile.py <<'PY'
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("tile").getOrCreate()
latest = Window.partitionBy("sensor").orderBy(F.desc("hour"))
spark.read.parquet("/data/lake/hourly-averages") \
    .withColumn("n", F.row_number().over(latest)).where("n = 1") \
    .select("sensor", "hour", "average") \
    .coalesce(1).write.mode("overwrite").json("/data/dashboard/latest-hour")
spark.stop()
PY

spark-submit --jars "$SPARK_KAFKA_JARS" land.py
spark-submit hourly.py
spark-submit tile.py
hdfs dfs -cat '/data/dashboard/latest-hour/part-*'
