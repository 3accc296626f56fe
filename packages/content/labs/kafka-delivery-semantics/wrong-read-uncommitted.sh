#!/usr/bin/env bash
# Wrong: the ledger is copied with the console tools, which read uncommitted records.
set -euo pipefail

# 1. At least once, made harmless: store first, commit after, and key the store on the timestamp,
#    so a redelivered copy overwrites its original.
cat > fleet_tracker.py <<'PY'
import json, os
from kafka import KafkaConsumer

store = {}
if os.path.exists("positions.jsonl"):
    with open("positions.jsonl") as f:
        for line in f:
            if line.strip():
                position = json.loads(line)
                store[position["timestamp"]] = position

consumer = KafkaConsumer(
    "fleet-positions", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], group_id="fleet-tracker",
    auto_offset_reset="earliest", enable_auto_commit=False, consumer_timeout_ms=5000,
)
for message in consumer:
    position = json.loads(message.value)
    store[position["timestamp"]] = position          # upsert: a copy overwrites its original
    with open("positions.jsonl.tmp", "w") as out:
        for timestamp in sorted(store):
            out.write(json.dumps(store[timestamp]) + "\n")
    os.replace("positions.jsonl.tmp", "positions.jsonl")
    consumer.commit()                                # after storing: at least once
consumer.close()
PY
python3 fleet_tracker.py
wc -l positions.jsonl


# 2. At most once: commit a record's offset before processing it. The poison record crashes the
#    processor; the restarted one starts after it, so it is lost and nothing is processed twice.
cat > misfire_alerts.py <<'PY'
import json, os
from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

consumer = KafkaConsumer(
    "engine-misfires", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], group_id="misfire-alerts",
    auto_offset_reset="earliest", enable_auto_commit=False, session_timeout_ms=6000, consumer_timeout_ms=10000,
)
for message in consumer:
    partition = TopicPartition(message.topic, message.partition)
    consumer.commit({partition: OffsetAndMetadata(message.offset + 1, None, -1)})   # commit first ...
    event = json.loads(message.value)                                               # ... then process
    with open("misfires.jsonl", "a") as out:
        out.write(json.dumps(event) + "\n")
consumer.close()
PY
for run in 1 2 3; do
  python3 misfire_alerts.py && break
  echo "misfire_alerts.py crashed (run $run); restarting" >&2
done
wc -l misfires.jsonl


# 3. Wrong: kafka-console-consumer.sh reads with isolation.level=read_uncommitted, its default, and
#    pipes into a plain producer: the aborted payments are booked too.
kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic ledger --partitions 2
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic card-transactions --group ledger-writer \
  --from-beginning --timeout-ms 10000 2>/dev/null \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic ledger || true
