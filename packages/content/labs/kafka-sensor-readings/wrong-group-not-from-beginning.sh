#!/usr/bin/env bash
# Wrong, and common: --group without --from-beginning. A new group starts at the end of each
# partition, reads nothing, and still commits those end offsets, so the lag is 0.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 3
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --include 'sensor-readings|hall-b-readings' \
  --group sensor-analytics --timeout-ms 10000 > consumed.jsonl || true
