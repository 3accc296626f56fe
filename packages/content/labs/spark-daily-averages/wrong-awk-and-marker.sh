#!/usr/bin/env bash
# Wrong: the right numbers, computed with awk and put into HDFS by hand with an empty _SUCCESS
# marker beside them. No Spark job ran, and HDFS's audit log says so.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

averages() {
  tail -n +2 data/sensor-readings.csv | awk -F, -v len="$1" -v key="$2" '
    { k = substr($1, 1, len); sum[k] += $2; n[k]++ }
    END { print key ",average"; for (k in sum) printf "%s,%.4f\n", k, sum[k] / n[k] }'
}
for spec in "10 day daily-averages" "16 minute minute-averages"; do
  set -- $spec
  averages "$1" "$2" > "part-00000-$3.csv"
  hdfs dfs -mkdir -p "/data/iot/$3"
  hdfs dfs -put -f "part-00000-$3.csv" "/data/iot/$3/part-00000.csv"
  hdfs dfs -touchz "/data/iot/$3/_SUCCESS"
done
