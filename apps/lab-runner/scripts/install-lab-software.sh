#!/usr/bin/env bash
# Installs the software the local sandbox driver runs, only from package registries:
#   kafka/lib        Kafka broker + CLI tools      (Maven Central, profile "kafka" of maven/pom.xml)
#   hadoop/lib       HDFS NameNode/DataNode/FsShell, MapReduce's local job runner and
#                    Hadoop Streaming               (Maven Central, profile "hadoop")
#   hadoop/webapps   the HDFS web apps (WebHDFS, NameNode UI), unpacked from hadoop-hdfs tests jar
#   spark-kafka/lib  spark-sql-kafka connector      (Maven Central, profile "spark-kafka")
#   spark-venv       pyspark (spark-submit, pyspark, SPARK_HOME) and kafka-python, the
#                    terminal's python3 (PyPI)
# into $LAB_CACHE_DIR (default <repo>/.cache/lab-software, git-ignored).
#
# Idempotent: each component carries a stamp holding the hash of what it was installed from
# (the pom, the pyspark version and the Python used), and is skipped while that hash matches.
# Components are built in a temporary directory and renamed into place, so an interrupted run
# never leaves a half-filled lib/ behind a valid stamp.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_dir="$(dirname "$script_dir")"
repo_root="$(cd "$app_dir/../.." && pwd)"
pom="$app_dir/maven/pom.xml"
cache_dir="${LAB_CACHE_DIR:-$repo_root/.cache/lab-software}"
java_home="${LAB_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
python="${LAB_PYTHON:-python3}"

pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$pom" | head -n 1
}
kafka_version="$(pom_property kafka.version)"
hadoop_version="$(pom_property hadoop.version)"
hadoop_streaming_version="$(pom_property hadoop-streaming.version)"
# The pom's spark.version is the single pin for Spark: the pyspark wheel and the connector match.
spark_version="$(pom_property spark.version)"
# pyspark's only required dependency, pinned so two installs of the same pins are identical.
py4j_version="0.10.9.9"
# The Kafka client labs' Python solutions use (pure Python; speaks Kafka 4's protocol versions).
kafka_python_version="2.3.3"

if ! "$java_home/bin/java" -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  echo "[lab-software] $java_home is not a Java 17+ (Kafka 4, Hadoop 3.5 and Spark 4 need it); set LAB_JAVA_HOME" >&2
  exit 1
fi

mkdir -p "$cache_dir"
# A Maven repository inside the cache keeps the install self-contained: removing the cache
# directory gives a truly cold install, and nothing leaks into ~/.m2.
m2_repo="$cache_dir/m2-repository"

hash_of() { printf '%s' "$*" | sha256sum | cut -d' ' -f1; }
pom_hash="$(sha256sum "$pom" | cut -d' ' -f1)"

is_current() { # component key
  [[ -f "$cache_dir/$1/.installed" && "$(cat "$cache_dir/$1/.installed")" == "$2" ]]
}

# Maven's build directory only holds the dependency plugin's "already unpacked" markers; it is
# wiped per component so a stale marker can never skip an unpack into a fresh staging directory.
maven_build_dir="$cache_dir/.maven-build"

maven() {
  # Maven 3.8 emits colour resets even with -q; strip them so the install log stays readable.
  JAVA_HOME="$java_home" mvn -q -B -Dstyle.color=never -f "$pom" -Dmaven.repo.local="$m2_repo" \
    -Dlab.build.directory="$maven_build_dir" "$@" 2>&1 | sed "s/\x1b\[[0-9;]*m//g"
}

install_maven_profile() { # profile/component, human description
  local component="$1" key
  key="$(hash_of "$pom_hash" "$component")"
  if is_current "$component" "$key"; then
    echo "[lab-software] $component: $2 already installed"
    return
  fi
  echo "[lab-software] $component: resolving $2 from Maven Central"
  local staging="$cache_dir/.$component.tmp"
  rm -rf "$staging" "$maven_build_dir"
  mkdir -p "$staging/lib"
  maven -P "$component" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging/lib"
  if [[ "$component" == hadoop ]]; then
    # The NameNode and DataNode HTTP servers (WebHDFS included) refuse to start without
    # webapps/<name> on the classpath; Maven Central ships those only inside the tests jar.
    maven dependency:unpack -Dartifact="org.apache.hadoop:hadoop-hdfs:$hadoop_version:jar:tests" \
      -DoutputDirectory="$staging" -Dmdep.unpack.includes='webapps/**'
  fi
  echo "$key" >"$staging/.installed"
  rm -rf "${cache_dir:?}/$component"
  mv "$staging" "$cache_dir/$component"
  echo "[lab-software] $component: $(find "$cache_dir/$component/lib" -name '*.jar' | wc -l) jars, $(du -sh "$cache_dir/$component" | cut -f1)"
}

install_pyspark() {
  local component="spark-venv" key venv="$cache_dir/spark-venv"
  key="$(hash_of "pyspark==$spark_version" "py4j==$py4j_version" "kafka-python==$kafka_python_version" "$("$python" --version 2>&1)")"
  if is_current "$component" "$key"; then
    echo "[lab-software] $component: pyspark $spark_version and kafka-python $kafka_python_version already installed"
    return
  fi
  echo "[lab-software] $component: installing pyspark $spark_version and kafka-python $kafka_python_version from PyPI"
  # A venv is not relocatable (its scripts embed their path), so it is built in place and only
  # the stamp, written last, marks it complete.
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pyspark==$spark_version" "py4j==$py4j_version" \
    "kafka-python==$kafka_python_version"
  echo "$key" >"$venv/.installed"
  echo "[lab-software] $component: $(du -sh "$venv" | cut -f1)"
}

echo "[lab-software] cache: $cache_dir"
echo "[lab-software] pins: kafka $kafka_version, hadoop $hadoop_version (streaming $hadoop_streaming_version), spark/pyspark $spark_version (py4j $py4j_version), java $java_home"
install_maven_profile kafka "Kafka $kafka_version (kafka_2.13, kafka-tools, log4j2 binding)"
install_maven_profile hadoop "Hadoop $hadoop_version (hadoop-hdfs, hadoop-hdfs-client, hadoop-common, hadoop-mapreduce-client-common/-core, hadoop-streaming)"
install_maven_profile spark-kafka "spark-sql-kafka-0-10_2.13 $spark_version"
install_pyspark
rm -rf "$maven_build_dir"

# What the driver reads to find the software; written every run so it always matches the pins.
cat >"$cache_dir/manifest.json" <<EOF
{
  "kafkaVersion": "$kafka_version",
  "hadoopVersion": "$hadoop_version",
  "hadoopStreamingVersion": "$hadoop_streaming_version",
  "sparkVersion": "$spark_version",
  "javaHome": "$java_home"
}
EOF
echo "[lab-software] ready ($(du -sh --exclude=m2-repository "$cache_dir" | cut -f1) installed, $(du -sh "$m2_repo" 2>/dev/null | cut -f1) Maven repository)"
