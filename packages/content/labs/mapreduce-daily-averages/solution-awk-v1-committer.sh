#!/usr/bin/env bash
# The same work with other tools: awk programs as the Streaming mapper and reducer, the reduce
# tasks set with -D mapreduce.job.reduces, and the output committer's algorithm 1 (tasks commit
# into _temporary/0/task_…, the job moves their files into place), whose renames differ from
# the default's.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

cat > map.awk <<'AWK'
BEGIN { FS = "," }
$1 != "timestamp" { print substr($1, 1, len) "\t" $2 }
AWK

cat > reduce.awk <<'AWK'
BEGIN { FS = "\t" }
$1 != key { if (n) printf "%s\t%.4f\n", key, sum / n; key = $1; sum = 0; n = 0 }
{ sum += $2; n++ }
END { if (n) printf "%s\t%.4f\n", key, sum / n }
AWK

for spec in "10 daily-averages 1" "16 minute-averages 3"; do
  set -- $spec
  mapred streaming -D mapreduce.fileoutputcommitter.algorithm.version=1 -D mapreduce.job.reduces="$3" \
    -files map.awk,reduce.awk \
    -input /data/iot/sensor-readings.csv -output "/data/iot/$2" \
    -mapper "awk -v len=$1 -f map.awk" -reducer "awk -f reduce.awk" \
    >"$2.log" 2>&1
done
