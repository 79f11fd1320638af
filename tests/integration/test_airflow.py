"""`hashlake airflow export`: the DAG file loads in real Apache Airflow with the pipeline's
schedules, retries, timeouts and dependencies, and `airflow dags test` runs a small pipeline
against a local lake.

Airflow lives in its own venv (HASHLAKE_AIRFLOW_VENV, default .venv-airflow at the repo root),
installed from PyPI by the first test that needs it when missing. Without network the tests
skip, unless HASHLAKE_REQUIRE_AIRFLOW=1 (CI), where they fail."""
import json
import os
import pathlib
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT

INSPECT = r'''
import json, sys
from datetime import timedelta
try:  # Airflow 3
    from airflow.dag_processing.dagbag import DagBag
except ImportError:  # Airflow 2
    from airflow.models.dagbag import DagBag
import airflow

def seconds(value):
    return value.total_seconds() if isinstance(value, timedelta) else value

try:
    bag = DagBag(dag_folder=sys.argv[1], include_examples=False)
except TypeError:  # Airflow 3 has no include_examples: AIRFLOW__CORE__LOAD_EXAMPLES decides
    bag = DagBag(dag_folder=sys.argv[1])
out = {"version": airflow.__version__,
       "import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in bag.dags.items():
    schedule = getattr(dag, "schedule", None)
    if schedule is None:
        schedule = getattr(dag, "schedule_interval", None)
    out["dags"][dag_id] = {
        "schedule": {"seconds": schedule.total_seconds()} if isinstance(schedule, timedelta)
                    else str(schedule),
        "max_active_runs": dag.max_active_runs,
        "catchup": dag.catchup,
        "tasks": {t.task_id: {
            "retries": t.retries,
            "retry_delay": seconds(t.retry_delay) if t.retries else None,
            "max_retry_delay": seconds(t.max_retry_delay) if t.retries else None,
            "backoff": float(t.retry_exponential_backoff) if t.retries else None,
            "execution_timeout": seconds(t.execution_timeout),
            "upstream": sorted(t.upstream_task_ids),
            "bash_command": t.bash_command,
            "cwd": t.cwd,
            "env": t.env,
        } for t in dag.tasks},
    }
print(json.dumps(out))
'''


def venv_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("HASHLAKE_AIRFLOW_VENV", ROOT / ".venv-airflow"))


@pytest.fixture(scope="session")
def airflow_venv() -> pathlib.Path:
    venv = venv_dir()
    if not (venv / "bin" / "airflow").exists():
        steps = [[sys.executable, "-m", "venv", str(venv)],
                 [str(venv / "bin" / "pip"), "install", "--quiet", "apache-airflow"]]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True, timeout=1800)
            if result.returncode != 0:
                message = f"cannot install Apache Airflow into {venv}: {result.stderr[-2000:]}"
                if os.environ.get("HASHLAKE_REQUIRE_AIRFLOW") == "1":
                    pytest.fail(message)
                pytest.skip(message)
    return venv


def airflow_env(home: pathlib.Path, dags: pathlib.Path) -> dict:
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    })
    return env


def export(hashlake_bin, pipeline, out, *extra):
    result = subprocess.run([str(hashlake_bin), "airflow", "export", str(pipeline), "--out",
                             str(out), *map(str, extra)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return out


def inspect(airflow_venv, home, dags):
    result = subprocess.run([str(airflow_venv / "bin" / "python"), "-c", INSPECT, str(dags)],
                            capture_output=True, text=True, timeout=300,
                            env=airflow_env(home, dags))
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def duration(text: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    total, number = 0.0, ""
    i = 0
    while i < len(text):
        if text[i].isdigit() or text[i] == ".":
            number += text[i]
            i += 1
            continue
        unit = "ms" if text[i:i + 2] == "ms" else text[i]
        total += float(number) * units[unit]
        number = ""
        i += len(unit)
    return total + (float(number) if number else 0)


def test_exported_example_matches_the_pipeline_file(hashlake_bin, airflow_venv, tmp_path):
    pipeline_path = ROOT / "examples" / "pipeline.toml"
    dags = tmp_path / "dags"
    dags.mkdir()
    export(hashlake_bin, pipeline_path, dags / "hashlake.py", "--start-date", "2024-01-01",
           "--hashlake-bin", hashlake_bin)
    seen = inspect(airflow_venv, tmp_path / "home", dags)
    assert seen["import_errors"] == {}, seen["import_errors"]

    spec = tomllib.loads(pipeline_path.read_text())
    jobs = spec["jobs"]
    name = spec["pipeline"]["name"]
    # Every job is a task of exactly one DAG, the DAG of its root.
    tasks = {tid: (dag_id, t) for dag_id, d in seen["dags"].items() for tid, t in d["tasks"].items()}
    assert set(tasks) == set(jobs)
    for job_name, job in jobs.items():
        dag_id, task = tasks[job_name]
        dag = seen["dags"][dag_id]
        assert task["upstream"] == sorted(job.get("after", []))
        assert task["retries"] == job.get("retries", 0)
        if task["retries"]:
            assert task["retry_delay"] == duration(job.get("retry_delay", "30s"))
            assert task["max_retry_delay"] == duration(job.get("max_retry_delay", "1h"))
            assert task["backoff"] in (1.0, float(job.get("retry_backoff", 2.0)))
        if "timeout" in job:
            assert task["execution_timeout"] == duration(job["timeout"])
        assert task["bash_command"].startswith(str(hashlake_bin) + " ")
        assert task["cwd"] == os.getcwd()
        assert task["env"]["HASHLAKE_JOB"] == job_name
        assert dag["max_active_runs"] == 1
        if "schedule" in job:
            assert dag_id == f"{name}__{job_name}"
            assert dag["schedule"] == job["schedule"]
            assert dag["catchup"] == (job.get("catchup", "none") == "all")


def test_grid_interval_and_catchup_all(hashlake_bin, airflow_venv, tmp_path):
    pipeline = tmp_path / "p.toml"
    pipeline.write_text('''
[pipeline]
name = "grid"
[jobs.sweep]
command = ["hashlake", "lda", "sweep", "--k", "{k}"]
interval = "6h"
catchup = "all"
retries = 1
retry_delay = "1m"
retry_backoff = 3
grid = { k = [5, 10, 20] }
[jobs.pick]
shell = "echo pick {{{{ ds }}}}"
after = ["sweep"]
''')
    dags = tmp_path / "dags"
    dags.mkdir()
    export(hashlake_bin, pipeline, dags / "grid.py", "--start-date", "2024-01-01")
    seen = inspect(airflow_venv, tmp_path / "home", dags)
    assert seen["import_errors"] == {}
    dag = seen["dags"]["grid__sweep"]
    assert dag["schedule"] == {"seconds": 21600.0}
    assert dag["catchup"] is True
    tasks = dag["tasks"]
    assert tasks["sweep__k_5"]["upstream"] == []
    assert tasks["sweep__k_10"]["upstream"] == ["sweep__k_5"]
    assert tasks["sweep__k_20"]["upstream"] == ["sweep__k_10"]
    assert tasks["pick"]["upstream"] == ["sweep__k_20"]
    assert tasks["sweep__k_10"]["env"]["HASHLAKE_PARAM_K"] == "10"
    assert "--k 10" in tasks["sweep__k_10"]["bash_command"]
    assert tasks["sweep__k_10"]["backoff"] in (1.0, 3.0)  # 1.0 = the flag on older Airflow
    # Jinja braces in the pipeline are kept literally.
    assert "{% raw %}" in tasks["pick"]["bash_command"]


def test_airflow_dags_test_runs_a_small_pipeline_against_a_local_lake(hashlake_bin, airflow_venv,
                                                                      tmp_path):
    import deltalake

    data = tmp_path / "data"
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'''
[pipeline]
name = "local"
data_dir = "{data}"
[jobs.ingest]
command = ["hashlake", "demo", "--data", "{{data_dir}}", "--port", "0", "--duration", "4",
           "--window", "1s", "--watermark", "1s", "--rate", "300"]
schedule = "@daily"
timeout = "2m"
[jobs.optimize]
command = ["hashlake", "lake", "optimize", "{{data_dir}}/lake/posts", "--target-size", "100000000"]
after = ["ingest"]
[jobs.checkpoint]
command = ["hashlake", "lake", "checkpoint", "{{data_dir}}/lake/posts"]
after = ["optimize"]
''')
    dags = tmp_path / "dags"
    dags.mkdir()
    export(hashlake_bin, pipeline, dags / "local.py", "--start-date", "2024-01-01",
           "--workdir", tmp_path)
    home = tmp_path / "home"
    env = airflow_env(home, dags)
    airflow = str(airflow_venv / "bin" / "airflow")
    migrate = subprocess.run([airflow, "db", "migrate"], capture_output=True, text=True,
                             timeout=600, env=env)
    assert migrate.returncode == 0, migrate.stderr[-4000:]
    result = subprocess.run([airflow, "dags", "test", "local__ingest", "2024-06-01"],
                            capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    finished = [line for line in log.splitlines() if "DagRun Finished" in line]
    assert not finished or "state=success" in finished[-1], log[-6000:]

    table = deltalake.DeltaTable(str(data / "lake" / "posts"))
    assert table.to_pyarrow_table().num_rows > 0
    operations = [entry.get("operation") for entry in table.history()]
    assert "OPTIMIZE" in operations, operations
    assert (data / "lake" / "posts" / "_delta_log" / "_last_checkpoint").exists()


def test_checked_in_example_dag_is_current(hashlake_bin, tmp_path):
    out = tmp_path / "hashlake.py"
    result = subprocess.run([str(hashlake_bin), "airflow", "export", "examples/pipeline.toml",
                             "--out", str(out), "--hashlake-bin", "/usr/local/bin/hashlake",
                             "--workdir", "/srv/hashlake", "--start-date", "2026-01-01"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert out.read_text() == (ROOT / "deploy" / "airflow" / "dags" / "hashlake.py").read_text(), \
        "deploy/airflow/dags/hashlake.py is stale: export it again (command in deploy/airflow/README.md)"


@pytest.mark.skipif(not os.environ.get("HASHLAKE_AIRFLOW2_VENV"),
                    reason="set HASHLAKE_AIRFLOW2_VENV to a venv with apache-airflow 2.x")
def test_example_dag_loads_in_airflow_2(tmp_path):
    venv = pathlib.Path(os.environ["HASHLAKE_AIRFLOW2_VENV"])
    dags = ROOT / "deploy" / "airflow" / "dags"
    seen = inspect(venv, tmp_path / "home", dags)
    assert seen["version"].startswith("2."), seen["version"]
    assert seen["import_errors"] == {}
    assert set(seen["dags"]) == {"hashlake__optimize", "hashlake__vacuum"}
    tasks = seen["dags"]["hashlake__optimize"]["tasks"]
    assert tasks["checkpoint"]["upstream"] == ["optimize", "optimize_counts"]
    assert tasks["optimize"]["backoff"] == 1.0  # Airflow 2's flag: doubling
