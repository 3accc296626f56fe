#!/usr/bin/env bash
# Reference solution of kafka-trending-now: a streaming job in Python with kafka-python that
# counts views per (minute of event time, title) and writes every changed minute's top 3.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic trending-now --partitions 1

cat > trending.py <<'PY'
import json, os
from collections import Counter, defaultdict
from datetime import datetime
from kafka import KafkaConsumer, KafkaProducer

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
# No consumer group: every start reads the topic from its first offset, so the counts are rebuilt
# from the log instead of starting from zero halfway through it.
consumer = KafkaConsumer("viewing-events", bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False)
producer = KafkaProducer(bootstrap_servers=bootstrap)

def window_start(timestamp):
    """The start of the event's one-minute tumbling window, from its own timestamp (event time)."""
    return datetime.strptime(timestamp, "%Y-%m-%d %H:%M:%S").replace(second=0).strftime("%Y-%m-%d %H:%M:%S")

views = defaultdict(Counter)   # window start -> title -> views
print("reading viewing-events", flush=True)
while True:
    batch = consumer.poll(timeout_ms=1000)
    touched = set()
    for records in batch.values():
        for record in records:
            event = json.loads(record.value)
            start = window_start(event["timestamp"])
            views[start][event["title"]] += 1
            touched.add(start)
    # Every window whose counts changed, again: the latest message about a window is its top 3.
    for start in sorted(touched):
        top = [{"title": title, "views": n} for title, n in views[start].most_common(3)]
        producer.send("trending-now", key=start.encode(), value=json.dumps({"window_start": start, "top": top}).encode())
    if touched:
        producer.flush()
        print(f"updated {len(touched)} windows, latest {max(touched)}", flush=True)
PY

# Left running, as the second step needs; setsid so that it outlives this shell.
setsid nohup python3 trending.py > trending.log 2>&1 < /dev/null &
# Until the job has written its first windows (bounded), as one would watch its log.
for _ in $(seq 1 120); do
  grep -q '^updated' trending.log && break
  sleep 1
done
tail -n 3 trending.log
kafka-console-consumer.sh "${bootstrap[@]}" --topic trending-now --from-beginning --max-messages 3 --timeout-ms 10000 2> /dev/null || true
