#!/usr/bin/env bash
# Wrong: version 2 keeps version 1's consumer group without moving it back, so it carries on from
# version 1's committed offsets, at the end of the log: it reads nothing.
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

# 2. Wrong: the fix, a new view topic and a new state file, but GROUP left as it was.
cp revenue_view.py revenue_view_v2.py
sed -i \
  -e 's/^VIEW = "shop-revenue-v1"/VIEW = "shop-revenue-v2"/' \
  -e 's/^STATE = "revenue-state.json"/STATE = "revenue-state-v2.json"/' \
  -e 's/^def revenue_eur(sale):/RATES = {"EUR": 1, "USD": 0.88, "GBP": 1.28}\n\n\ndef revenue_eur(sale):/' \
  -e 's/^    return sale\["amount"\]$/    return sale["amount"] * RATES[sale["currency"]]/' \
  revenue_view_v2.py
grep -E '^(GROUP|VIEW|STATE|RATES) =|return' revenue_view_v2.py
kafka-topics.sh "${bootstrap[@]}" --create --topic shop-revenue-v2 --partitions 1 --config cleanup.policy=compact
python3 revenue_view_v2.py
