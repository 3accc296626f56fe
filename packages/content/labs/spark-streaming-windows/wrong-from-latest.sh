#!/usr/bin/env bash
# Wrong: the job started without startingOffsets, after the readings were published. A Kafka
# source starts at the end of the topic by default, so it averages only what comes later (the
# grader's readings), never the learner's own.
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
    spark.readStream.format("kafka")
    .option("kafka.bootstrap.servers", bootstrap)
    .option("subscribe", "sensor-readings")
    .load()
    .select(F.from_json(F.col("value").cast("string"), "sensor STRING, timestamp STRING, value DOUBLE").alias("r"))
    .select("r.sensor", F.to_timestamp("r.timestamp").alias("time"), "r.value")
)
averages = (
    readings.withWatermark("time", "2 minutes")
    .groupBy(F.window("time", "1 minute"), "sensor")
    .agg(F.avg("value").alias("average"))
)
query = (
    averages.select(F.to_json(F.struct("window", "sensor", "average")).alias("value"))
    .writeStream.format("kafka")
    .option("kafka.bootstrap.servers", bootstrap)
    .option("topic", "sensor-averages")
    .option("checkpointLocation", "checkpoints/sensor-averages")
    .outputMode("append")
    .start()
)
# Once the source has found the end of the topic, a new reading is one Spark reads.
while query.status["message"] != "Waiting for data to arrive":
    query.awaitTermination(1)
print("waiting for data", flush=True)
query.awaitTermination()
PY

# Until new readings arrive it writes nothing: wait until it says its query is running instead.
setsid nohup spark-submit --jars "$SPARK_KAFKA_JARS" averages.py > averages.log 2>&1 < /dev/null &
for _ in $(seq 1 180); do grep -q "waiting for data" averages.log && break; sleep 1; done
