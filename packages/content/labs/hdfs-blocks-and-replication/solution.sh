#!/usr/bin/env bash
# Reference solution of hdfs-blocks-and-replication.
set -euo pipefail

hdfs dfs -mkdir -p /data/iot
hdfs dfs -put data/sensor-readings.csv /data/iot/
# Written again with 1 MiB blocks: the block size is fixed when a file is written.
hdfs dfs -D dfs.blocksize=1048576 -put -f data/sensor-readings.csv /data/iot/
# Without -w: with one DataNode the second replica can never be placed.
hdfs dfs -setrep 2 /data/iot/sensor-readings.csv
hdfs fsck /data/iot/sensor-readings.csv -files -blocks -locations
