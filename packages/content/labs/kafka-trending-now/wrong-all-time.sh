#!/usr/bin/env bash
# Wrong: a running job that keeps one counter for the whole stream and stamps its top 3 with the
# window of the events it just read. That is the most watched over all time, not now: a minute's
# list carries the morning's totals, and a new title cannot reach the top.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic trending-now --partitions 1

cat > trending.py <<'PY'
import json, os
from collections import Counter
from kafka import KafkaConsumer, KafkaProducer

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
consumer = KafkaConsumer("viewing-events", bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False)
producer = KafkaProducer(bootstrap_servers=bootstrap)
totals = Counter()
print("reading viewing-events", flush=True)
while True:
    batch = consumer.poll(timeout_ms=1000)
    touched = set()
    for records in batch.values():
        for record in records:
            event = json.loads(record.value)
            totals[event["title"]] += 1
            touched.add(event["timestamp"][:16] + ":00")
    for start in sorted(touched):
        top = [{"title": title, "views": n} for title, n in totals.most_common(3)]
        producer.send("trending-now", key=start.encode(), value=json.dumps({"window_start": start, "top": top}).encode())
    if touched:
        producer.flush()
        print(f"updated {len(touched)} windows", flush=True)
PY
setsid nohup python3 trending.py > trending.log 2>&1 < /dev/null &
for _ in $(seq 1 120); do
  grep -q '^updated' trending.log && break
  sleep 1
done
tail -n 3 trending.log
