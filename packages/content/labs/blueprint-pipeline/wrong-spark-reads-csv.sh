#!/usr/bin/env bash
# Wrong, and tempting: the readings are published right, but the Spark job lands the CSV (put
# into HDFS) instead of reading Kafka. The lake, and so the hourly averages and the tile computed
# from it, have no row of hall B, whose readings exist only in Kafka.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 2
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"sensor\":\"hall-a\",\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings
hdfs dfs -mkdir -p /data/raw
hdfs dfs -put data/sensor-readings.csv /data/raw/

cat > pipeline.py <<'PY'
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("pipeline").getOrCreate()
spark.read.csv("/data/raw/sensor-readings.csv", header=True, schema="timestamp STRING, value DOUBLE") \
    .withColumn("sensor", F.lit("hall-a")).withColumn("day", F.substring("timestamp", 1, 10)) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/readings")

spark.read.parquet("/data/lake/readings") \
    .groupBy("sensor", "day", F.substring("timestamp", 1, 13).alias("hour")).agg(F.avg("value").alias("average")) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/hourly-averages")

latest = Window.partitionBy("sensor").orderBy(F.desc("hour"))
spark.read.parquet("/data/lake/hourly-averages").withColumn("n", F.row_number().over(latest)).where("n = 1") \
    .select("sensor", "hour", "average").coalesce(1).write.mode("overwrite").json("/data/dashboard/latest-hour")
spark.stop()
PY

spark-submit pipeline.py
