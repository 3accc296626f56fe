#!/usr/bin/env bash
# Wrong: the right numbers, computed with awk and put into HDFS by hand with an empty _SUCCESS
# marker beside them, and a job log copied from somewhere. No MapReduce job ran, and HDFS's
# audit log says so.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/

averages() {
  tail -n +2 data/sensor-readings.csv | awk -F, -v len="$1" '
    { k = substr($1, 1, len); sum[k] += $2; n[k]++ }
    END { for (k in sum) printf "%s\t%.4f\n", k, sum[k] / n[k] }'
}
for spec in "10 daily-averages" "16 minute-averages"; do
  set -- $spec
  averages "$1" >"part-00000-$2"
  hdfs dfs -mkdir -p "/data/iot/$2"
  hdfs dfs -put -f "part-00000-$2" "/data/iot/$2/part-00000"
  hdfs dfs -touchz "/data/iot/$2/_SUCCESS"
done
printf '%s\n' "INFO mapreduce.Job: Job job_local1_0001 completed successfully" "	Map input records=25921" >daily-averages.log
