#!/usr/bin/env bash
# Wrong: windows by processing time, the minute the job reads a play in, instead of the play's own
# timestamp. The whole morning, read in a few seconds, lands in one or two minutes of today, and
# views that arrive together land together whatever their timestamps say.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic trending-now --partitions 1

cat > trending.py <<'PY'
import json, os
from collections import Counter, defaultdict
from datetime import datetime, timezone
from kafka import KafkaConsumer, KafkaProducer

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
consumer = KafkaConsumer("viewing-events", bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False)
producer = KafkaProducer(bootstrap_servers=bootstrap)
views = defaultdict(Counter)
print("reading viewing-events", flush=True)
while True:
    batch = consumer.poll(timeout_ms=1000)
    touched = set()
    for records in batch.values():
        for record in records:
            event = json.loads(record.value)
            start = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:00")
            views[start][event["title"]] += 1
            touched.add(start)
    for start in sorted(touched):
        top = [{"title": title, "views": n} for title, n in views[start].most_common(3)]
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
