#!/usr/bin/env bash
# Wrong: the right job, stopped once its averages were out (Ctrl-C, or a closed terminal), so it
# averages nothing published afterwards.
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

setsid nohup spark-submit --jars "$SPARK_KAFKA_JARS" averages.py > averages.log 2>&1 < /dev/null &
job=$!

# Watched every closed window's average go by (one day: 1440 minutes, the last 3 still open)...
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-averages \
  --from-beginning --max-messages 1437 --timeout-ms 200000 | tail -n 3
# ...then stopped it. setsid made the job the leader of its own process group: this stops the
# JVM and the Python driver.
kill -TERM -- -"$job"
for _ in $(seq 1 30); do kill -0 -- -"$job" 2>/dev/null || break; sleep 1; done
