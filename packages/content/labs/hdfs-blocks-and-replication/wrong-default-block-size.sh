#!/usr/bin/env bash
# Wrong: the file keeps the default 128 MiB block size, so it is a single block.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/
hdfs dfs -setrep 2 /data/iot/sensor-readings.csv
