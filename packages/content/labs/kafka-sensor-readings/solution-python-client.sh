#!/usr/bin/env bash
# The same work with a different tool: kafka-python in python3 instead of the Kafka CLI.
set -euo pipefail

python3 - <<'PY'
import csv, json, os
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
KafkaAdminClient(bootstrap_servers=bootstrap).create_topics([NewTopic("sensor-readings", num_partitions=3, replication_factor=1)])

producer = KafkaProducer(bootstrap_servers=bootstrap, value_serializer=lambda v: json.dumps(v).encode())
with open("data/sensor-readings.csv") as f:
    for row in csv.DictReader(f):
        producer.send("sensor-readings", {"timestamp": row["timestamp"], "value": float(row["value"])})
producer.flush()

# A new group starts at the first offsets (auto_offset_reset) and commits what it has read.
consumer = KafkaConsumer(
    "sensor-readings", "hall-b-readings", bootstrap_servers=bootstrap, group_id="sensor-analytics",
    auto_offset_reset="earliest", enable_auto_commit=False, consumer_timeout_ms=10000,
)
with open("consumed.jsonl", "w") as out:
    for message in consumer:
        out.write(message.value.decode() + "\n")
consumer.commit()
consumer.close()
PY
