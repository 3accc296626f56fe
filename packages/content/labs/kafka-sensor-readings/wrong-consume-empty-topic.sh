#!/usr/bin/env bash
# Wrong: the group consumes before anything is produced, so it commits offsets on an empty topic.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 3
# Times out after 10 s with nothing to read; the group still joins and commits.
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings \
  --group sensor-analytics --from-beginning --timeout-ms 10000 > /dev/null || true
