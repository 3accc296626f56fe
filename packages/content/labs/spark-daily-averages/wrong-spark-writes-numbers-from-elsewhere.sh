#!/usr/bin/env bash
# Wrong: Spark writes the outputs, but the numbers come from plain Python reading the local CSV;
# the Spark application never reads the readings in HDFS.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > daily_averages.py <<'PY'
import csv
from collections import defaultdict
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("daily-averages").getOrCreate()
for length, name, out in [(10, "day", "/data/iot/daily-averages"), (16, "minute", "/data/iot/minute-averages")]:
    sums, counts = defaultdict(float), defaultdict(int)
    with open("data/sensor-readings.csv") as f:
        for row in csv.DictReader(f):
            sums[row["timestamp"][:length]] += float(row["value"])
            counts[row["timestamp"][:length]] += 1
    rows = [(key, sums[key] / counts[key]) for key in sums]
    spark.createDataFrame(rows, [name, "average"]).write.mode("overwrite").csv(out, header=True)
spark.stop()
PY

spark-submit daily_averages.py
