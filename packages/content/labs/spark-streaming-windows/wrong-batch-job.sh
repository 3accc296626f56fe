#!/usr/bin/env bash
# Wrong: a batch job. spark.read takes what is in the topic now, writes its averages once and
# exits, so the readings the grader publishes later are never averaged.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings
kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-averages

tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"sensor\":\"hall-a\",\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings

cat > averages.py <<'PY'
import os
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
spark = SparkSession.builder.appName("sensor-averages").getOrCreate()

readings = (
    spark.read.format("kafka")
    .option("kafka.bootstrap.servers", bootstrap)
    .option("subscribe", "sensor-readings")
    .option("startingOffsets", "earliest")
    .option("endingOffsets", "latest")
    .load()
    .select(F.from_json(F.col("value").cast("string"), "sensor STRING, timestamp STRING, value DOUBLE").alias("r"))
    .select("r.sensor", F.to_timestamp("r.timestamp").alias("time"), "r.value")
)
averages = readings.groupBy(F.window("time", "1 minute"), "sensor").agg(F.avg("value").alias("average"))
(
    averages.select(F.to_json(F.struct("window", "sensor", "average")).alias("value"))
    .write.format("kafka")
    .option("kafka.bootstrap.servers", bootstrap)
    .option("topic", "sensor-averages")
    .save()
)
PY

spark-submit --jars "$SPARK_KAFKA_JARS" averages.py
