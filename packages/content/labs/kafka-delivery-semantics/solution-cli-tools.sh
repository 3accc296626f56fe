#!/usr/bin/env bash
# The same guarantees with other tools: the Kafka console tools and awk for step 1, a poll() loop
# for step 2, and a ledger writer that commits one transaction per payment for step 3.
set -euo pipefail
bootstrap=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")

# 1. At least once: the console consumer commits what it read when it stops; the store keeps one
#    line per timestamp (a later copy replaces an earlier one), whatever the topic repeats.
touch positions.jsonl
kafka-console-consumer.sh "${bootstrap[@]}" --topic fleet-positions --group fleet-tracker --from-beginning \
  --timeout-ms 10000 2>/dev/null > fleet-batch.jsonl || true
cat positions.jsonl fleet-batch.jsonl \
  | awk '{ if (match($0, /"timestamp": *"[^"]*"/)) { key = substr($0, RSTART, RLENGTH); if (!(key in line)) order[n++] = key; line[key] = $0 } }
         END { for (i = 0; i < n; i++) print line[order[i]] }' > positions.tmp
mv positions.tmp positions.jsonl
wc -l positions.jsonl

# 2. At most once with poll(): one record per poll, committed (consumer.commit() commits the
#    position after it) before it is processed. The poison record is lost; none is processed twice.
cat > misfire_poller.py <<'PY'
import json, os
from kafka import KafkaConsumer

consumer = KafkaConsumer(
    "engine-misfires", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], group_id="misfire-alerts",
    auto_offset_reset="earliest", enable_auto_commit=False, session_timeout_ms=6000,
)
idle = 0
while idle < 5:
    batch = consumer.poll(timeout_ms=2000, max_records=1)
    if not batch:
        idle += 1
        continue
    idle = 0
    consumer.commit()
    for records in batch.values():
        for record in records:
            with open("misfires.jsonl", "a") as out:
                out.write(json.dumps(json.loads(record.value)) + "\n")
consumer.close()
PY
for run in 1 2 3; do
  python3 misfire_poller.py && break
  echo "misfire_poller.py crashed (run $run); restarting" >&2
done
wc -l misfires.jsonl

# 3. Exactly once, one transaction per payment.
kafka-topics.sh "${bootstrap[@]}" --create --topic ledger --partitions 2
python3 - <<'PY'
import json, os
from kafka import KafkaConsumer, KafkaProducer, OffsetAndMetadata, TopicPartition

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
consumer = KafkaConsumer(
    "card-transactions", bootstrap_servers=bootstrap, group_id="ledger-writer", auto_offset_reset="earliest",
    enable_auto_commit=False, isolation_level="read_committed", consumer_timeout_ms=6000,
)
producer = KafkaProducer(bootstrap_servers=bootstrap, transactional_id="ledger-writer-cli")
producer.init_transactions()
for record in consumer:
    payment = json.loads(record.value)
    producer.begin_transaction()
    producer.send("ledger", value=json.dumps({"id": payment["id"], "card": payment["card"], "amount": payment["amount"], "booked": True}).encode())
    tp = TopicPartition(record.topic, record.partition)
    producer.send_offsets_to_transaction({tp: OffsetAndMetadata(record.offset + 1, None, -1)}, "ledger-writer")
    producer.commit_transaction()
producer.close()
consumer.close()
PY
