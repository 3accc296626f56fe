#!/usr/bin/env bash
# Wrong, and common: the right top 3 per minute, computed once over what the topic holds, like a
# batch job. The consumer stops at the end of the topic (consumer_timeout_ms), so the job is gone
# before anything new arrives: it can show the past, not what is trending now.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

kafka-topics.sh "${bootstrap[@]}" --create --topic trending-now --partitions 1

cat > trending_once.py <<'PY'
import json, os
from collections import Counter, defaultdict
from kafka import KafkaConsumer, KafkaProducer

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
consumer = KafkaConsumer("viewing-events", bootstrap_servers=bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=5000)
views = defaultdict(Counter)
for record in consumer:
    event = json.loads(record.value)
    views[event["timestamp"][:16] + ":00"][event["title"]] += 1
producer = KafkaProducer(bootstrap_servers=bootstrap)
for start in sorted(views):
    top = [{"title": title, "views": n} for title, n in views[start].most_common(3)]
    producer.send("trending-now", key=start.encode(), value=json.dumps({"window_start": start, "top": top}).encode())
producer.flush()
print(f"wrote {len(views)} windows")
PY
python3 trending_once.py
