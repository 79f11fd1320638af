"""hashlake's stream job written in pyspark Structured Streaming, the peer of `hashlake process`.

Three streaming queries over one Kafka topic (startingOffsets=earliest), each writing a
Delta table under --lake, with its checkpoint in --lake/_checkpoints/<table>:

  posts                the bus JSON (src/hashlake/core/post.cc ToJson) parsed with an explicit
                       schema; created_at/ingested_at micros -> timestamp; partitioned by date
  hashtag_counts       withWatermark(created_at) -> window(created_at, window, slide) ->
                       explode(hashtags) -> count, append mode (a window's rows once, closed)
  area_hashtag_counts  the same per (country_code, region) for posts with a country

Trigger: --trigger 1s (processing time, runs until SIGINT/SIGTERM) or --available-now
(everything present at start, then exit 0). Prints one line `SPARK_JOB {json}` at exit.
"""

import argparse
import glob
import json
import os
import re
import signal
import sys
import time

from delta.pip_utils import configure_spark_with_delta_pip
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The bus message: one JSON object per post (hashlake::ToJson). Optional fields are absent
# rather than null when empty; from_json gives null for them either way.
POST_SCHEMA = T.StructType([
    T.StructField("schema_version", T.IntegerType()),
    T.StructField("id", T.StringType()),
    T.StructField("source", T.StringType()),
    T.StructField("created_at", T.LongType()),   # microseconds since the epoch, UTC
    T.StructField("ingested_at", T.LongType()),  # microseconds since the epoch, UTC
    T.StructField("author_id", T.StringType()),
    T.StructField("author_handle", T.StringType()),
    T.StructField("author_location", T.StringType()),
    T.StructField("lang", T.StringType()),
    T.StructField("text", T.StringType()),
    T.StructField("hashtags", T.ArrayType(T.StringType())),
    T.StructField("mentions", T.ArrayType(T.StringType())),
    T.StructField("urls", T.ArrayType(T.StringType())),
    T.StructField("reply_to", T.StringType()),
    T.StructField("repost_of", T.StringType()),
    T.StructField("country_code", T.StringType()),
    T.StructField("region", T.StringType()),
    T.StructField("place_name", T.StringType()),
    T.StructField("lat", T.DoubleType()),
    T.StructField("lon", T.DoubleType()),
    T.StructField("geo_source", T.StringType()),
    T.StructField("like_count", T.LongType()),
    T.StructField("repost_count", T.LongType()),
])


def spark_duration(text: str) -> str:
    """'1m', '30s', '500ms', '2h' -> Spark's interval words ('1 minute', ...)."""
    m = re.fullmatch(r"(\d+)(ms|s|m|h)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"duration like 30s, 1m, 500ms expected, got {text!r}")
    unit = {"ms": "milliseconds", "s": "seconds", "m": "minutes", "h": "hours"}[m.group(2)]
    return f"{m.group(1)} {unit}"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers HOST:PORT")
    p.add_argument("--topic", required=True)
    p.add_argument("--lake", required=True, help="output folder: the three tables, _checkpoints/")
    p.add_argument("--cores", type=int, default=1, help="local[N]; shuffle partitions = N")
    p.add_argument("--window", type=spark_duration, default="1m")
    p.add_argument("--slide", type=spark_duration, default=None, help="default: the window")
    p.add_argument("--watermark", type=spark_duration, default="30s")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--trigger", type=spark_duration, help="processing-time trigger, e.g. 1s")
    mode.add_argument("--available-now", action="store_true")
    p.add_argument("--jars", required=True, help="folder of the Kafka source jars (fetch_jars.sh)")
    p.add_argument("--driver-memory", default="1g")
    return p.parse_args(argv)


def build_session(args) -> SparkSession:
    jars = sorted(glob.glob(os.path.join(args.jars, "*.jar")))
    if not jars:
        sys.exit(f"spark_job: no jars in {args.jars} (run bench/spark_stream/fetch_jars.sh)")
    n = str(args.cores)
    builder = (
        SparkSession.builder.master(f"local[{n}]")
        .appName("hashlake-bench-spark-stream")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.jars", ",".join(jars))
        # Fairness: as many partitions as cores (Spark's default of 200 shuffle partitions
        # and Delta's 50 snapshot partitions are sized for clusters, not N local cores).
        .config("spark.sql.shuffle.partitions", n)
        .config("spark.default.parallelism", n)
        .config("spark.databricks.delta.snapshotPartitions", n)
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def start_queries(spark: SparkSession, args):
    raw = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap)
        .option("subscribe", args.topic)
        .option("startingOffsets", "earliest")
        .load()
    )
    parsed = raw.select(
        F.from_json(F.col("value").cast("string"), POST_SCHEMA).alias("p"),
        F.col("partition").alias("bus_partition"),
        F.col("offset").alias("bus_offset"),
    )
    # Cleaning: what does not parse as a post (no id or no event time) is left out.
    posts = (
        parsed.select("p.*", "bus_partition", "bus_offset")
        .where(F.col("id").isNotNull() & F.col("created_at").isNotNull())
        .drop("schema_version")
        .withColumn("created_at", F.expr("timestamp_micros(created_at)"))
        .withColumn("ingested_at", F.expr("timestamp_micros(ingested_at)"))
        .withColumn("date", F.to_date("created_at"))
    )
    slide = args.slide or args.window
    windowed = posts.withWatermark("created_at", args.watermark).select(
        F.window("created_at", args.window, slide).alias("w"),
        F.explode("hashtags").alias("hashtag"),
        "country_code",
        "region",
    )
    hashtag_counts = (
        windowed.groupBy("w", "hashtag").count()
        .select(F.col("w.start").alias("window_start"), F.col("w.end").alias("window_end"),
                "hashtag", "count", F.to_date(F.col("w.start")).alias("date"))
    )
    area_counts = (
        windowed.where(F.col("country_code").isNotNull())
        .groupBy("w", "country_code", "region", "hashtag").count()
        .select(F.col("w.start").alias("window_start"), F.col("w.end").alias("window_end"),
                "country_code", "region", "hashtag", "count",
                F.to_date(F.col("w.start")).alias("date"))
    )

    def sink(df, table):
        writer = (
            df.writeStream.format("delta").outputMode("append").partitionBy("date")
            .option("checkpointLocation", os.path.join(args.lake, "_checkpoints", table))
            .queryName(table)
        )
        writer = (writer.trigger(availableNow=True) if args.available_now
                  else writer.trigger(processingTime=args.trigger))
        return writer.start(os.path.join(args.lake, table))

    return [sink(posts, "posts"), sink(hashtag_counts, "hashtag_counts"),
            sink(area_counts, "area_hashtag_counts")]


def main(argv) -> int:
    args = parse_args(argv)
    t0 = time.monotonic()

    stop_signal = []

    def on_signal(signum, _frame):
        # Only noted here: raising inside a py4j call would break the gateway connection.
        stop_signal.append(signal.Signals(signum).name)

    spark = build_session(args)
    # After the session: SparkContext installs its own SIGINT handler (cancel all jobs).
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stopped_by = None
    try:
        t_session = time.monotonic()
        queries = start_queries(spark, args)
        t_started = time.monotonic()
        # Short waits, so that a signal is seen between them.
        while any(q.isActive for q in queries) and not stop_signal:
            for q in queries:
                if q.exception() is not None:
                    raise RuntimeError(f"query {q.name} failed: {q.exception()}")
            spark.streams.awaitAnyTermination(0.5)
            spark.streams.resetTerminated()
        if stop_signal:
            stopped_by = stop_signal[0]
            for q in queries:
                q.stop()
        for q in queries:
            if q.exception() is not None:
                raise RuntimeError(f"query {q.name} failed: {q.exception()}")
        t_done = time.monotonic()
        rows = {q.name: sum(p["numInputRows"] for p in q.recentProgress) for q in queries}
        batches = {q.name: len(q.recentProgress) for q in queries}
        # Mean time of a micro-batch with data, by phase (the last 100 that Spark keeps).
        batch_ms = {}
        for q in queries:
            with_data = [p["durationMs"] for p in q.recentProgress if p["numInputRows"] > 0]
            phases = sorted({k for d in with_data for k in d})
            batch_ms[q.name] = {k: round(sum(d.get(k, 0) for d in with_data) / len(with_data))
                                for k in phases} if with_data else None
        print("SPARK_JOB " + json.dumps({
            "session_s": round(t_session - t0, 3),
            "queries_s": round(t_done - t_started, 3),
            "total_s": round(t_done - t0, 3),
            "input_rows": rows,
            "progress_reports": batches,
            "mean_batch_ms": batch_ms,
            "stopped_by": stopped_by,
        }), flush=True)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
