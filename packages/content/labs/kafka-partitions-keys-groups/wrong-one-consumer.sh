#!/usr/bin/env bash
# Wrong: only one consumer of the group runs, so it owns all four partitions and shares nothing.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-positions --partitions 4
tail -n +2 data/vehicle-positions.csv | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-positions --reader-property parse.key=true --reader-property key.separator='|'

setsid kafka-console-consumer.sh "${bootstrap[@]}" --topic vehicle-positions --group fleet-dashboard > dashboard-1.txt 2>&1 < /dev/null &
for _ in $(seq 1 90); do
  kafka-consumer-groups.sh "${bootstrap[@]}" --describe --group fleet-dashboard --state 2> /dev/null | grep -q Stable && break
  sleep 1
done

kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-latest --partitions 4 --config cleanup.policy=compact
tail -n +2 data/vehicle-positions.csv | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-latest --reader-property parse.key=true --reader-property key.separator='|'
