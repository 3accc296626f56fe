#!/usr/bin/env bash
# The same rebuild with other tools: version 1's group moved back with kafka-consumer-groups.sh --reset-offsets
# (instead of a new group), and version 2 as a console consumer, awk and the console producer.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

# 1. The view as the job was shipped: version 1, bug included.
kafka-topics.sh "${bootstrap[@]}" --create --topic shop-revenue-v1 --partitions 1 --config cleanup.policy=compact
cat > revenue_view.py <<'PY'
"""The shops' revenue view: a stream job that keeps each shop's revenue so far in VIEW, keyed by shop."""
import json, os
from kafka import KafkaConsumer, KafkaProducer

GROUP = "revenue-view"         # its consumer group: how far into the log the job has got
VIEW = "shop-revenue-v1"       # the topic it writes the view to: a shop's new row after each of its sales
STATE = "revenue-state.json"   # its running totals, saved before every commit so that a restart carries on


def revenue_eur(sale):
    return sale["amount"]


bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
totals = {}
if os.path.exists(STATE):
    with open(STATE) as f:
        totals = json.load(f)
consumer = KafkaConsumer("sales", bootstrap_servers=bootstrap, group_id=GROUP,
                         auto_offset_reset="earliest", enable_auto_commit=False)
producer = KafkaProducer(bootstrap_servers=bootstrap)
idle = 0
while idle < 10:  # a real job runs for ever; this one stops after 10 s without new sales
    batch = consumer.poll(timeout_ms=1000)
    idle = 0 if batch else idle + 1
    for records in batch.values():
        for record in records:
            sale = json.loads(record.value)
            row = totals.setdefault(sale["shop"], {"shop": sale["shop"], "revenue_eur": 0, "sales": 0})
            row["revenue_eur"] = round(row["revenue_eur"] + revenue_eur(sale), 2)
            row["sales"] += 1
            producer.send(VIEW, key=sale["shop"].encode(), value=json.dumps(row).encode())
    if batch:
        producer.flush()
        with open(STATE, "w") as f:
            json.dump(totals, f)
        consumer.commit()
consumer.close()
producer.close()
for row in sorted(totals.values(), key=lambda r: r["shop"]):
    print(row)
PY
python3 revenue_view.py

# 2. Version 1 has stopped, so its group can be moved back to the first offset; version 2 reads
#    from there. awk keeps its totals in memory, so it starts from nothing, converts each amount
#    with the rates and writes the shop's new row, keyed by the shop, to the new view topic.
kafka-topics.sh "${bootstrap[@]}" --create --topic shop-revenue-v2 --partitions 1 --config cleanup.policy=compact
kafka-consumer-groups.sh "${bootstrap[@]}" --reset-offsets --group revenue-view --topic sales --to-earliest --execute
kafka-console-consumer.sh "${bootstrap[@]}" --topic sales --group revenue-view --timeout-ms 10000 2>/dev/null \
  | awk -v rates='EUR=1,USD=0.88,GBP=1.28' '
      BEGIN { n = split(rates, pairs, ","); for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); rate[kv[1]] = kv[2] } }
      function field(name,   re, v) {
        re = "\"" name "\": *\"?[^\",}]*"
        if (!match($0, re)) return ""
        v = substr($0, RSTART, RLENGTH); sub(/^"[^"]*": *"?/, "", v); return v
      }
      { shop = field("shop"); revenue[shop] += field("amount") * rate[field("currency")]; sales[shop]++
        printf "%s|{\"shop\":\"%s\",\"revenue_eur\":%.2f,\"sales\":%d}\n", shop, shop, revenue[shop], sales[shop] }' \
  | kafka-console-producer.sh "${bootstrap[@]}" --topic shop-revenue-v2 --reader-property parse.key=true --reader-property key.separator='|'
