#!/usr/bin/env bash
# Wrong: the positions are keyed right but produced newest first (tac), so each partition holds
# every van's track backwards and the compacted topic's last message per van is its oldest position.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-positions --partitions 4
tail -n +2 data/vehicle-positions.csv | tac | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-positions --reader-property parse.key=true --reader-property key.separator='|'

for n in 1 2; do
  setsid kafka-console-consumer.sh "${bootstrap[@]}" --topic vehicle-positions --group fleet-dashboard > "dashboard-$n.txt" 2>&1 < /dev/null &
done
for _ in $(seq 1 90); do
  kafka-consumer-groups.sh "${bootstrap[@]}" --describe --group fleet-dashboard --members 2> /dev/null | grep -c '^fleet-dashboard ' | grep -q '^[2-9]' \
    && kafka-consumer-groups.sh "${bootstrap[@]}" --describe --group fleet-dashboard --state 2> /dev/null | grep -q Stable && break
  sleep 1
done

kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-latest --partitions 4 --config cleanup.policy=compact
tail -n +2 data/vehicle-positions.csv | tac | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-latest --reader-property parse.key=true --reader-property key.separator='|'
