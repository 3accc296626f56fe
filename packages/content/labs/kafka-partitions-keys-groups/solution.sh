#!/usr/bin/env bash
# Reference solution of kafka-partitions-keys-groups, with the Kafka command line tools.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

# 1. Four partitions; every position keyed by its van (moved in front of the line, split off at "|").
kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-positions --partitions 4
tail -n +2 data/vehicle-positions.csv \
  | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-positions \
    --reader-property parse.key=true --reader-property key.separator='|'

# 2. Two consumers of one group, left running. A learner ends such a line with & in the terminal;
# here setsid as well, because whoever runs this script ends its process group when it exits, as
# closing the terminal would.
for n in 1 2; do
  setsid kafka-console-consumer.sh "${bootstrap[@]}" --topic vehicle-positions --group fleet-dashboard --from-beginning \
    --formatter-property print.key=true --formatter-property print.partition=true > "dashboard-$n.txt" 2>&1 < /dev/null &
done
# Until both have joined and the group has handed out its partitions.
for _ in $(seq 1 90); do
  members="$(kafka-consumer-groups.sh "${bootstrap[@]}" --describe --group fleet-dashboard --members 2> /dev/null | grep -c '^fleet-dashboard ' || true)"
  if [[ "$members" -ge 2 ]] && kafka-consumer-groups.sh "${bootstrap[@]}" --describe --group fleet-dashboard --state 2> /dev/null | grep -q Stable; then
    break
  fi
  sleep 1
done
kafka-consumer-groups.sh "${bootstrap[@]}" --describe --group fleet-dashboard --members --verbose

# 3. A compacted topic whose segments roll quickly, the same keyed positions, oldest first.
kafka-topics.sh "${bootstrap[@]}" --create --topic vehicle-latest --partitions 4 \
  --config cleanup.policy=compact --config segment.ms=10000 --config min.cleanable.dirty.ratio=0.01
tail -n +2 data/vehicle-positions.csv \
  | awk -F, '{ print $2 "|" $0 }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic vehicle-latest \
    --reader-property parse.key=true --reader-property key.separator='|'
kafka-topics.sh "${bootstrap[@]}" --describe --topic vehicle-latest
