#!/usr/bin/env bash
# The same work with a different tool: curl against WebHDFS ($WEBHDFS_URL) instead of hdfs dfs.
# CREATE answers with a redirect to a DataNode, which -L follows with the file.
set -euo pipefail

curl -sSf -X PUT "$WEBHDFS_URL/data/iot?op=MKDIRS" > /dev/null
curl -sSfL -X PUT -T data/sensor-readings.csv \
  "$WEBHDFS_URL/data/iot/sensor-readings.csv?op=CREATE&overwrite=true&blocksize=1048576" > /dev/null
curl -sSf -X PUT "$WEBHDFS_URL/data/iot/sensor-readings.csv?op=SETREPLICATION&replication=2" | grep -q true
curl -sSf "$WEBHDFS_URL/data/iot/sensor-readings.csv?op=GETFILESTATUS"
