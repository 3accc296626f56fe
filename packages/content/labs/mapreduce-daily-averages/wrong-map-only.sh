#!/usr/bin/env bash
# Wrong: a shortcut around the reduce phase. The input is one split, so one map task sees every
# reading; the mapper averages them itself and the job runs with no reduce tasks. The numbers
# are right, but no reducer computed them.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > averaging_mapper.py <<'PY'
import sys
from collections import defaultdict

key_length = int(sys.argv[1])
sums, counts = defaultdict(float), defaultdict(int)
for line in sys.stdin:
    timestamp, value = line.strip().split(",")
    if timestamp != "timestamp":
        sums[timestamp[:key_length]] += float(value)
        counts[timestamp[:key_length]] += 1
for key in sorted(sums):
    print(f"{key}\t{sums[key] / counts[key]:.4f}")
PY

for spec in "10 daily-averages" "16 minute-averages"; do
  set -- $spec
  mapred streaming -files averaging_mapper.py -numReduceTasks 0 -input /data/iot/sensor-readings.csv -output "/data/iot/$2" \
    -mapper "python3 averaging_mapper.py $1" 2>&1 | tee "$2.log"
done
