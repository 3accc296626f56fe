#!/usr/bin/env bash
# Wrong, and common: the two consumers of the group run with --timeout-ms, read everything, stop,
# and leave the group. Their committed offsets stay; the running members the step asks for do not.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-positions --partitions 4
tail -n +2 data/vehicle-positions.csv | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-positions --reader-property parse.key=true --reader-property key.separator='|'

for n in 1 2; do
  kafka-console-consumer.sh "${bootstrap[@]}" --topic vehicle-positions --group fleet-dashboard --from-beginning \
    --timeout-ms 8000 > "dashboard-$n.txt" 2>&1 &
done
wait

kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-latest --partitions 4 --config cleanup.policy=compact
tail -n +2 data/vehicle-positions.csv | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-latest --reader-property parse.key=true --reader-property key.separator='|'
