#!/usr/bin/env bash
# Reference solution of kafka-sensor-readings.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 3
kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --describe --topic sensor-readings

# One JSON message per reading: {"timestamp":"…","value":21.37}, the value as a JSON number.
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings

# 96 readings of ours and 48 of hall B; stopping after them saves waiting for the timeout.
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --include 'sensor-readings|hall-b-readings' \
  --group sensor-analytics --from-beginning --max-messages 144 --timeout-ms 30000 > consumed.jsonl
kafka-consumer-groups.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --describe --group sensor-analytics
