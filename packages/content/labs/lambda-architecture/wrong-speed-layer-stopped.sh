#!/usr/bin/env bash
# Wrong: the "speed layer" is a batch job too. It reads the feed once (consumer_timeout_ms ends it
# when no payment comes for 5 s), writes a correct speed view and exits. The serving query answers
# right until the next payment arrives, which it never sees: the grader's payments never show.
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

# 3. Runs once in the foreground and stops.
cat > speed_layer.py <<'PY'
import json, os
from kafka import KafkaConsumer

CUTOFF = "2016-05-08 00:00:00"
consumer = KafkaConsumer("payments", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], auto_offset_reset="earliest",
                         consumer_timeout_ms=5000)
totals = {}
for message in consumer:
    payment = json.loads(message.value)
    if payment["timestamp"] < CUTOFF:
        continue
    totals[payment["card"]] = round(totals.get(payment["card"], 0) + payment["amount"], 2)
with open("speed-view.json", "w") as out:
    json.dump(totals, out)
consumer.close()
PY
python3 speed_layer.py
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
