#!/usr/bin/env bash
# Wrong: the replication is set first; writing the file again with 1 MiB blocks resets it to 1.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/
hdfs dfs -setrep 2 /data/iot/sensor-readings.csv
hdfs dfs -D dfs.blocksize=1048576 -put -f data/sensor-readings.csv /data/iot/
