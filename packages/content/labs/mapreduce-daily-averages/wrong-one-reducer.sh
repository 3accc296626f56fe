#!/usr/bin/env bash
# Wrong: the minute averages are right, but one reduce task computed them all (the default),
# where the step asks for three in parallel.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > mapper.py <<'PY'
import sys

key_length = int(sys.argv[1])
for line in sys.stdin:
    timestamp, value = line.strip().split(",")
    if timestamp != "timestamp":
        print(f"{timestamp[:key_length]}\t{value}")
PY

cat > reducer.py <<'PY'
import sys

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

mapred streaming -files mapper.py,reducer.py -input /data/iot/sensor-readings.csv -output /data/iot/daily-averages \
  -mapper "python3 mapper.py 10" -reducer "python3 reducer.py" 2>&1 | tee daily-averages.log
mapred streaming -files mapper.py,reducer.py -input /data/iot/sensor-readings.csv -output /data/iot/minute-averages \
  -mapper "python3 mapper.py 16" -reducer "python3 reducer.py"
