#!/usr/bin/env bash
# Wrong at the analytics only: the hourly averages are right, but Spark writes them to a local
# directory and they are copied into HDFS with hdfs dfs -put, so no Spark task wrote the files
# in /data/lake/hourly-averages. The lake and the tile (a Spark job reading the copy) are right.
set -euo pipefail

kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic sensor-readings --partitions 2
tail -n +2 data/sensor-readings.csv \
  | awk -F, '{ printf "{\"sensor\":\"hall-a\",\"timestamp\":\"%s\",\"value\":%s}\n", $1, $2 }' \
  | kafka-console-producer.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic sensor-readings

cat > land_and_hourly.py <<'PY'
import os
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("land-and-hourly").getOrCreate()
messages = spark.read.format("kafka") \
    .option("kafka.bootstrap.servers", os.environ["KAFKA_BOOTSTRAP_SERVERS"]) \
    .option("subscribe", "sensor-readings,hall-b-readings").load()
messages.select(F.from_json(F.col("value").cast("string"), "sensor STRING, timestamp STRING, value DOUBLE").alias("r")) \
    .select("r.*").withColumn("day", F.substring("timestamp", 1, 10)) \
    .write.mode("overwrite").partitionBy("day").parquet("/data/lake/readings")
spark.read.parquet("/data/lake/readings") \
    .groupBy("sensor", "day", F.substring("timestamp", 1, 13).alias("hour")).agg(F.avg("value").alias("average")) \
    .write.mode("overwrite").partitionBy("day").parquet("file://" + os.path.abspath("hourly-averages"))
spark.stop()
PY

cat > tile.py <<'PY'
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("tile").getOrCreate()
latest = Window.partitionBy("sensor").orderBy(F.desc("hour"))
spark.read.parquet("/data/lake/hourly-averages").withColumn("n", F.row_number().over(latest)).where("n = 1") \
    .select("sensor", "hour", "average").coalesce(1).write.mode("overwrite").json("/data/dashboard/latest-hour")
spark.stop()
PY

spark-submit --jars "$SPARK_KAFKA_JARS" land_and_hourly.py
hdfs dfs -put hourly-averages /data/lake/
spark-submit tile.py
