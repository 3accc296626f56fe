#!/usr/bin/env bash
# Another tool, same result: a kafka-python consumer that keeps running instead of Spark. It
# writes a window's average every time a reading changes it (Spark's output mode "update"), with
# flat field names, and forgets windows the watermark (2 minutes behind the latest reading) has passed.
set -euo pipefail

cat > averages.py <<'PY'
import csv, json, os, sys
from datetime import datetime, timezone
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
WINDOW, DELAY = 60, 120

def publish():
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(t, num_partitions=1, replication_factor=1) for t in ("sensor-readings", "sensor-averages")])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=bootstrap, value_serializer=lambda v: json.dumps(v).encode())
    with open("data/sensor-readings.csv") as f:
        for row in csv.DictReader(f):
            producer.send("sensor-readings", {"sensor": "hall-a", "timestamp": row["timestamp"], "value": float(row["value"])})
    producer.flush()

def average(reading, windows, watermark):
    """Adds one reading to its window; returns the window's message, or None for a late or torn reading."""
    try:
        t = datetime.strptime(reading["timestamp"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
        sensor, value = reading["sensor"], float(reading["value"])
    except (ValueError, KeyError, TypeError):
        return None, watermark
    start = int(t // WINDOW * WINDOW)
    if start + WINDOW <= watermark:
        return None, watermark  # late: its window is closed
    total = windows.setdefault((sensor, start), [0.0, 0])
    total[0] += value
    total[1] += 1
    window_start = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return {"window_start": window_start, "sensor": sensor, "average": total[0] / total[1]}, max(watermark, t - DELAY)

def stream():
    consumer = KafkaConsumer("sensor-readings", bootstrap_servers=bootstrap, group_id="sensor-averages",
                             auto_offset_reset="earliest")
    producer = KafkaProducer(bootstrap_servers=bootstrap, value_serializer=lambda v: json.dumps(v).encode())
    windows, watermark = {}, float("-inf")
    while True:
        for records in consumer.poll(timeout_ms=1000).values():
            for message in records:
                try:
                    reading = json.loads(message.value)
                except ValueError:
                    continue
                update, watermark = average(reading, windows, watermark)
                if update:
                    producer.send("sensor-averages", update)
        producer.flush()
        for key in [k for k in windows if k[1] + WINDOW <= watermark]:
            del windows[key]

publish() if sys.argv[1:] == ["publish"] else stream()
PY

python3 averages.py publish
# One update per reading: 4320 of them for the day of readings.
setsid nohup python3 averages.py > averages.log 2>&1 < /dev/null &
kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-averages \
  --from-beginning --max-messages 4320 --timeout-ms 120000 | tail -n 3
