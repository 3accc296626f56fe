#!/usr/bin/env bash
# Wrong: only the first 20000 lines are stored, so the content differs and it fits in one block.
set -euo pipefail

head -n 20000 data/sensor-readings.csv > sample.csv
hdfs dfs -mkdir -p /data/iot
hdfs dfs -D dfs.blocksize=1048576 -put sample.csv /data/iot/sensor-readings.csv
hdfs dfs -setrep 2 /data/iot/sensor-readings.csv
