#!/usr/bin/env bash
# Reference solution of mapreduce-daily-averages: a Python mapper (the key's length as its
# argument) and reducer, run twice with Hadoop Streaming: days with one reducer, minutes with three.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > mapper.py <<'PY'
import sys

# Map: cut the timestamp to the key ("2016-05-01 01:02:03"[:10] is the day, [:16] the minute).
key_length = int(sys.argv[1])
for line in sys.stdin:
    timestamp, value = line.strip().split(",")
    if timestamp == "timestamp":
        continue
    print(f"{timestamp[:key_length]}\t{value}")
PY

cat > reducer.py <<'PY'
import sys

# Reduce: the keys arrive sorted, so a key is complete when the next one starts.
current, total, count = None, 0.0, 0
for line in sys.stdin:
    key, value = line.rstrip("\n").split("\t")
    if key != current:
        if current is not None:
            print(f"{current}\t{total / count:.4f}")
        current, total, count = key, 0.0, 0
    total += float(value)
    count += 1
if current is not None:
    print(f"{current}\t{total / count:.4f}")
PY

mapred streaming -files mapper.py,reducer.py \
  -input /data/iot/sensor-readings.csv -output /data/iot/daily-averages \
  -mapper "python3 mapper.py 10" -reducer "python3 reducer.py" \
  2>&1 | tee daily-averages.log

mapred streaming -files mapper.py,reducer.py -numReduceTasks 3 \
  -input /data/iot/sensor-readings.csv -output /data/iot/minute-averages \
  -mapper "python3 mapper.py 16" -reducer "python3 reducer.py"
