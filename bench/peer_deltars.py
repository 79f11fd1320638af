"""The peer: the same job in Python with pyarrow and delta-rs (deltalake), the stack a team
would script by hand. Reads the NDJSON pipeline_bench wrote, writes `posts` and 1-minute
`hashtag_counts` as Delta tables, and reports posts per CPU-second and peak memory."""
import resource
import shutil
import sys
import time

import deltalake
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj


def main(ndjson: str, out: str) -> None:
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu = time.perf_counter(), time.process_time()
    posts = pj.read_json(ndjson)
    n = posts.num_rows
    created = pc.cast(posts["created_at"], pa.timestamp("us", "UTC"))
    posts = posts.set_column(posts.schema.get_field_index("created_at"), "created_at", created)
    posts = posts.append_column("date", pc.cast(created, pa.date32()))
    deltalake.write_deltalake(f"{out}/posts", posts, partition_by=["date"], mode="append")
    window = pc.floor_temporal(created, 1, "minute")
    exploded = pa.table({
        "window_start": pc.list_parent_indices(posts["hashtags"]),
        "hashtag": pc.list_flatten(posts["hashtags"]),
    })
    exploded = exploded.set_column(0, "window_start", pc.take(window, exploded["window_start"]))
    counts = exploded.group_by(["window_start", "hashtag"]).aggregate([([], "count_all")])
    counts = counts.append_column("date", pc.cast(counts["window_start"], pa.date32()))
    deltalake.write_deltalake(f"{out}/hashtag_counts", counts, partition_by=["date"], mode="append")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peer: pyarrow + delta-rs':<28} {n / wall:>10.0f} posts/s  {n / cpu:>10.0f} posts/s/core"
          f"  ({wall:.2f} s wall, {cpu:.2f} s cpu)")
    print(f"peer peak memory             {peak:.0f} MiB")
    print(f"RESULT peer posts_per_core_s={n / cpu:.0f} peak_mib={peak:.0f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
