#!/usr/bin/env bash
# Another tool, same result: the whole lab with kafka-python (the python3 of the sandbox has it)
# instead of the command line tools. The values are JSON here, {"timestamp":…,"lat":…,"lon":…},
# which the lab accepts as well as CSV lines.
set -euo pipefail

cat > fleet.py <<'PY'
import csv, json, os, signal, sys, time
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]

def positions():
    with open("data/vehicle-positions.csv", newline="") as f:
        for row in csv.DictReader(f):
            yield row["vehicle"], {"timestamp": row["timestamp"], "lat": float(row["lat"]), "lon": float(row["lon"])}

def produce(topic):
    # The default partitioner hashes the key with murmur2, as the Java client does.
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", key_serializer=str.encode,
                             value_serializer=lambda v: json.dumps(v).encode())
    for vehicle, position in positions():
        producer.send(topic, key=vehicle, value=position)
    producer.flush()
    producer.close()

def create(topic, configs=None):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1, topic_configs=configs or {})])
    admin.close()

def dashboard(name):
    consumer = KafkaConsumer("vehicle-positions", bootstrap_servers=bootstrap, group_id="fleet-dashboard",
                             client_id=name, auto_offset_reset="earliest")
    # On kill (SIGTERM), close the consumer so it leaves the group at once, as the console consumer
    # does; killed without closing, it would stay a member until its session times out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for message in consumer:
            print(message.partition, message.key.decode(), message.value.decode(), flush=True)
    finally:
        consumer.close()

def wait_for_group(members, timeout=90):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    deadline = time.time() + timeout
    while time.time() < deadline:
        [group] = admin.describe_consumer_groups(["fleet-dashboard"])
        if group.state == "Stable" and len(group.members) >= members:
            for member in group.members:
                print(member.client_id, member.member_assignment.assignment)
            return
        time.sleep(1)
    sys.exit("the group did not become stable")

command, *args = sys.argv[1:]
if command == "create":
    create(args[0], dict(a.split("=", 1) for a in args[1:]))
elif command == "produce":
    produce(args[0])
elif command == "dashboard":
    dashboard(args[0])
elif command == "wait":
    wait_for_group(int(args[0]))
PY

python3 fleet.py create vehicle-positions
python3 fleet.py produce vehicle-positions
# Left running, in their own session so they outlive this script (see solution.sh).
for n in 1 2; do
  setsid python3 fleet.py dashboard "dashboard-$n" > "dashboard-$n.txt" 2>&1 < /dev/null &
done
python3 fleet.py wait 2
python3 fleet.py create vehicle-latest cleanup.policy=compact segment.ms=10000 min.cleanable.dirty.ratio=0.01
python3 fleet.py produce vehicle-latest
