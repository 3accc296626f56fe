#!/usr/bin/env bash
# Wrong: the topic is created without --partitions, so it has the broker's default of 1.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --include 'sensor-readings|hall-b-readings' \
  --group sensor-analytics --from-beginning --max-messages 144 --timeout-ms 30000 > consumed.jsonl
