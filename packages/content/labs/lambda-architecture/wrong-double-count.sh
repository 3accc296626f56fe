#!/usr/bin/env bash
# Wrong: the speed layer adds up every payment in the topic, the ones before the cut-off too. The
# topic still holds the last 12 payments of the master dataset, so the merged answer counts them
# twice: once in the batch view, once in the speed view.
set -euo pipefail

# 1. The master dataset, as it is, into HDFS.
hdfs dfs -mkdir -p /data/payments/master
hdfs dfs -put data/payments.csv /data/payments/master/

# 2. The batch layer: every card's total over the master dataset, computed and written by Spark.
cat > batch_view.py <<'PY'
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("batch-view").getOrCreate()
payments = spark.read.csv("/data/payments/master/payments.csv", header=True,
                          schema="timestamp STRING, id STRING, card STRING, amount DOUBLE")
view = payments.groupBy("card").agg(F.round(F.sum("amount"), 2).alias("total"))
view.write.mode("overwrite").csv("/data/payments/batch-view", header=True)
spark.stop()
PY
spark-submit batch_view.py
hdfs dfs -cat '/data/payments/batch-view/part-*'

# 3. No cut-off: every payment the topic holds.
cat > speed_layer.py <<'PY'
import json, os
from kafka import KafkaConsumer

consumer = KafkaConsumer("payments", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], auto_offset_reset="earliest")
totals = {}
for message in consumer:
    payment = json.loads(message.value)
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
