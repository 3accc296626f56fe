#!/usr/bin/env bash
# Wrong: the CSV lines (header included) are produced as they are, not as JSON.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 3
kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings < data/sensor-readings.csv
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --include 'sensor-readings|hall-b-readings' \
  --group sensor-analytics --from-beginning --max-messages 145 --timeout-ms 30000 > consumed.jsonl
