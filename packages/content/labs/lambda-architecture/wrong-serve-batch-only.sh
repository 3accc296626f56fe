#!/usr/bin/env bash
# Wrong: the speed layer runs and its view is right, but the serving query answers from the batch
# view alone, as if the master dataset were all there is: every payment since the cut-off is missing.
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

# 4. Only the batch view.
cat > serve.py <<'PY'
import json, subprocess

lines = subprocess.run(["hdfs", "dfs", "-cat", "/data/payments/batch-view/part-*"], capture_output=True, text=True, check=True).stdout
batch = {}
for line in lines.splitlines():
    card, total = line.split(",")
    if card != "card":
        batch[card] = float(total)
print(json.dumps(batch, sort_keys=True))
PY
python3 serve.py
