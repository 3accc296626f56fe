#!/usr/bin/env bash
# Wrong: the readings published as in the Kafka lab before, {"timestamp":…,"value":…} without
# the sensor. The job is right, but its averages belong to no sensor, so none is hall-a's.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings
kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-averages

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
    .option("startingOffsets", "earliest")
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
query.awaitTermination()
PY

# In a session of its own, so it outlives this shell; then watch for its first averages.
setsid nohup spark-submit --jars "$SPARK_KAFKA_JARS" averages.py > averages.log 2>&1 < /dev/null &

# Spark takes a while to start: the readings are published meanwhile, and it reads them as they come.
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-averages \
  --from-beginning --max-messages 1 --timeout-ms 200000
