#!/usr/bin/env bash
# Wrong: the batch view's numbers are right, but awk computed them and hdfs dfs -put stored them,
# with a _SUCCESS marker beside them. No Spark job ran, and HDFS's audit log says so. The rest of
# the architecture works.
set -euo pipefail

hdfs dfs -mkdir -p /data/payments/master
hdfs dfs -put data/payments.csv /data/payments/master/

# 2. awk instead of Spark.
tail -n +2 data/payments.csv | awk -F, '{ total[$3] += $4 } END { print "card,total"; for (card in total) printf "%s,%.2f\n", card, total[card] }' > part-00000.csv
hdfs dfs -mkdir -p /data/payments/batch-view
hdfs dfs -put -f part-00000.csv /data/payments/batch-view/part-00000.csv
hdfs dfs -touchz /data/payments/batch-view/_SUCCESS

# 3. The speed layer: every payment from the cut-off on, per card, rewritten after each payment.
cat > speed_layer.py <<'PY'
import json, os
from kafka import KafkaConsumer

CUTOFF = "2016-05-08 00:00:00"
consumer = KafkaConsumer("payments", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], auto_offset_reset="earliest")
totals = {}
for message in consumer:
    payment = json.loads(message.value)
    if payment["timestamp"] < CUTOFF:
        continue  # the master dataset has it: the batch view counts it already
    totals[payment["card"]] = round(totals.get(payment["card"], 0) + payment["amount"], 2)
    with open("speed-view.json.tmp", "w") as out:
        json.dump(totals, out)
    os.replace("speed-view.json.tmp", "speed-view.json")
PY
setsid nohup python3 speed_layer.py > speed.log 2>&1 < /dev/null &
# Watch it work, as a learner would: its view appears once it has read the feed.
for _ in $(seq 1 120); do [ -s speed-view.json ] && break; sleep 1; done
sleep 2
cat speed-view.json; echo

# 4. The serving layer: batch view (WebHDFS) + speed view, per card, as one JSON object.
cat > serve.py <<'PY'
import csv, io, json, os, urllib.request

def read_hdfs(path, op):
    return urllib.request.urlopen(f"{os.environ['WEBHDFS_URL']}{path}?op={op}").read()

batch = {}
for status in json.loads(read_hdfs("/data/payments/batch-view", "LISTSTATUS"))["FileStatuses"]["FileStatus"]:
    if status["pathSuffix"].startswith("part-"):
        part = read_hdfs("/data/payments/batch-view/" + status["pathSuffix"], "OPEN").decode()
        batch.update({row["card"]: float(row["total"]) for row in csv.DictReader(io.StringIO(part))})
with open("speed-view.json") as f:
    speed = json.load(f)
merged = {card: round(batch.get(card, 0) + speed.get(card, 0), 2) for card in set(batch) | set(speed)}
print(json.dumps(merged, sort_keys=True))
PY
python3 serve.py
