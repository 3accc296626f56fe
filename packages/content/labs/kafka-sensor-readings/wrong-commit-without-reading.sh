#!/usr/bin/env bash
# Wrong: the group's offsets are set to the end of both topics without reading a message, and the
# "consumed" file is rebuilt from the CSV, which has none of hall B's readings.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 3
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | tee consumed.jsonl \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings
for topic in sensor-readings hall-b-readings; do
  kafka-consumer-groups.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --group sensor-analytics \
    --reset-offsets --to-latest --topic "$topic" --execute
done
