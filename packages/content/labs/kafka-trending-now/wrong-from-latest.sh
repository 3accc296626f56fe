#!/usr/bin/env bash
# Wrong, and easy to miss: the right running job, but kafka-python's consumer starts at the END of
# the topic unless auto_offset_reset says otherwise. New views trend; the morning already in the
# topic is never counted.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic trending-now --partitions 1

cat > trending.py <<'PY'
import json, os
from collections import Counter, defaultdict
from kafka import KafkaConsumer, KafkaProducer

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
consumer = KafkaConsumer("viewing-events", bootstrap_servers=bootstrap, enable_auto_commit=False)
producer = KafkaProducer(bootstrap_servers=bootstrap)
views = defaultdict(Counter)
# Until the consumer has its partitions and their (latest) positions: from here on it sees every new play.
while not consumer.assignment():
    consumer.poll(timeout_ms=500)
for partition in consumer.assignment():
    consumer.position(partition)
print("reading viewing-events", flush=True)
while True:
    batch = consumer.poll(timeout_ms=1000)
    touched = set()
    for records in batch.values():
        for record in records:
            event = json.loads(record.value)
            start = event["timestamp"][:16] + ":00"
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
# Nothing new arrives, so the log says only that it is reading.
for _ in $(seq 1 60); do
  grep -q '^reading' trending.log && break
  sleep 1
done
sleep 2
tail -n 3 trending.log
