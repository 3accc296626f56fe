#!/usr/bin/env bash
# The same architecture with other tools: curl to WebHDFS for the master dataset, Spark SQL for
# the batch view (written without a _SUCCESS marker), the Kafka console consumer feeding a small
# totals keeper as the speed layer, and a serving query that reads the batch view with hdfs dfs.
set -euo pipefail

# 1. The master dataset through WebHDFS.
curl -sSf -X PUT "$WEBHDFS_URL/data/payments/master?op=MKDIRS" > /dev/null
curl -sSfL -X PUT -T data/payments.csv "$WEBHDFS_URL/data/payments/master/payments.csv?op=CREATE&overwrite=true" > /dev/null

# 2. The batch view in Spark SQL over a temporary view.
cat > batch_view_sql.py <<'PY'
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("batch-view-sql").getOrCreate()
spark.read.csv("/data/payments/master/payments.csv", header=True, inferSchema=True).createOrReplaceTempView("payments")
spark.sql("SELECT card, CAST(SUM(amount) AS DECIMAL(12, 2)) AS total FROM payments GROUP BY card") \
    .coalesce(1).write.mode("overwrite").option("header", True).csv("/data/payments/batch-view")
spark.stop()
PY
spark-submit --conf spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs=false batch_view_sql.py

# 3. The speed layer: kafka-console-consumer.sh prints every payment of the feed, from the first
#    one on and then as they come; the keeper adds those since the cut-off to their card's total.
cat > keep_totals.py <<'PY'
import json, os, sys
from collections import defaultdict

CUTOFF = "2016-05-08 00:00:00"
cents = defaultdict(int)
for line in sys.stdin:
    payment = json.loads(line)
    if payment["timestamp"] >= CUTOFF:
        cents[payment["card"]] += round(payment["amount"] * 100)
        with open("speed-view.json.tmp", "w") as out:
            json.dump({card: total / 100 for card, total in cents.items()}, out)
        os.replace("speed-view.json.tmp", "speed-view.json")
PY
setsid nohup bash -c 'kafka-console-consumer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic payments --from-beginning 2> consumer.log | python3 keep_totals.py' \
  > speed.log 2>&1 < /dev/null &
for _ in $(seq 1 120); do [ -s speed-view.json ] && break; sleep 1; done
sleep 2
cat speed-view.json; echo

# 4. The serving query: the batch view's CSV through hdfs dfs -cat, merged in cents.
cat > serve.py <<'PY'
import csv, json, subprocess
from collections import Counter

cat = subprocess.run(["hdfs", "dfs", "-cat", "/data/payments/batch-view/part-*"], capture_output=True, text=True, check=True)
totals = Counter()
for row in csv.DictReader(cat.stdout.splitlines()):
    totals[row["card"]] += round(float(row["total"]) * 100)
with open("speed-view.json") as f:
    for card, total in json.load(f).items():
        totals[card] += round(total * 100)
print(json.dumps({card: cents / 100 for card, cents in sorted(totals.items())}))
PY
python3 serve.py
