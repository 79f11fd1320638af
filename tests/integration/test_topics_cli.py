"""`hashlake lda` end to end on the AP corpus (lda-c) and on bad input."""
import json
import subprocess

import pytest


def run(binary, *args, check=True):
    result = subprocess.run([str(binary), "lda", *map(str, args)], capture_output=True, text=True,
                            timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr}")
    return result


def test_train_show_infer_eval_on_ap(hashlake_bin, shared_data, tmp_path):
    ap = shared_data / "lda" / "ap" / "ap.dat"
    model = tmp_path / "ap.hltm"
    ldavis = tmp_path / "ldavis.json"
    out = run(hashlake_bin, "train", "--corpus", ap, "--format", "lda-c", "--k", 5,
              "--iterations", 20, "--threads", 2, "--seed", 3, "--holdout", 0.1,
              "--model-out", model, "--ldavis-out", ldavis, "--quiet")
    metrics = json.loads(out.stdout.strip().splitlines()[-1])
    assert metrics["k"] == 5 and metrics["docs"] > 1900 and metrics["tokens"] > 380000
    assert metrics["tokens_per_second"] > 0
    assert 100 < metrics["heldout_perplexity"] < 10473
    for key in ("umass", "npmi", "c_v", "diversity"):
        assert isinstance(metrics[key], float), key
    assert -1 <= metrics["npmi"] <= 1 and 0 < metrics["c_v"] <= 1 and metrics["umass"] < 0

    vis = json.loads(ldavis.read_text())
    assert len(vis["topic_term_dists"]) == 5 and len(vis["vocab"]) == 10473
    assert len(vis["doc_topic_dists"]) == len(vis["doc_lengths"]) == metrics["docs"]
    assert abs(sum(vis["topic_term_dists"][0]) - 1) < 1e-3

    shown = json.loads(run(hashlake_bin, "show", "--model", model, "--json", "--top", 7).stdout)
    assert len(shown["topics"]) == 5 and all(len(t) == 7 for t in shown["topics"])

    inferred = run(hashlake_bin, "infer", "--model", model, "--corpus", ap, "--format", "lda-c",
                   "--top", 2).stdout.strip().splitlines()
    assert len(inferred) == 2246
    first = json.loads(inferred[0])
    assert len(first["topics"]) == 2 and first["topics"][0][1] >= first["topics"][1][1]
    again = run(hashlake_bin, "infer", "--model", model, "--corpus", ap, "--format", "lda-c",
                "--top", 2).stdout.strip().splitlines()
    assert again == inferred  # fold-in is reproducible

    evaluated = json.loads(run(hashlake_bin, "eval", "--model", model, "--corpus", ap,
                               "--format", "lda-c").stdout)
    assert evaluated["docs"] == 2246 and evaluated["heldout_perplexity"] > 0


def test_more_iterations_lower_perplexity(hashlake_bin, shared_data):
    ap = shared_data / "lda" / "ap" / "ap.dat"
    def perplexity(iterations):
        out = run(hashlake_bin, "train", "--corpus", ap, "--format", "lda-c", "--k", 10,
                  "--iterations", iterations, "--threads", 2, "--quiet", "--no-coherence")
        return json.loads(out.stdout.strip().splitlines()[-1])["heldout_perplexity"]
    assert perplexity(40) < 0.95 * perplexity(2)


def test_bad_input_is_a_clear_error(hashlake_bin, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = run(hashlake_bin, "train", "--corpus", empty, "--format", "text", check=False)
    assert r.returncode == 2 and "no documents" in r.stderr

    small = tmp_path / "small.txt"
    small.write_text("apple banana\nbanana cherry\n")
    r = run(hashlake_bin, "train", "--corpus", small, "--format", "text", "--k", 9, check=False)
    assert r.returncode == 2 and "larger than the vocabulary" in r.stderr
    r = run(hashlake_bin, "train", "--corpus", small, "--format", "text", "--min-df", 5, check=False)
    assert r.returncode == 2 and "left no terms" in r.stderr

    bad_model = tmp_path / "bad.hltm"
    bad_model.write_bytes(b"HLTOPIC1" + b"\0" * 40)
    r = run(hashlake_bin, "show", "--model", bad_model, check=False)
    assert r.returncode != 0 and "checksum" in r.stderr


def test_gsdmm_on_short_texts(hashlake_bin, shared_data, tmp_path):
    tweets = shared_data / "lda" / "sttm" / "Tweet.txt"
    out = run(hashlake_bin, "train", "--corpus", tweets, "--format", "text", "--model", "gsdmm",
              "--k", 40, "--iterations", 5, "--quiet", "--model-out", tmp_path / "g.hltm")
    metrics = json.loads(out.stdout.strip().splitlines()[-1])
    assert metrics["model"] == "gsdmm" and metrics["c_v"] > 0


def test_sweep_prints_a_table_and_keeps_the_best(hashlake_bin, shared_data, tmp_path):
    tweets = shared_data / "lda" / "sttm" / "Tweet.txt"
    r = run(hashlake_bin, "sweep", "--corpus", tweets, "--format", "text", "--k-grid", "5,10",
            "--iterations", 10, "--threads", 2, "--model-out", tmp_path / "best.hltm")
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    assert lines[0].split()[:4] == ["k", "alpha", "beta", "perplexity"]
    assert len(lines) == 4 and lines[-1].startswith("best ")
    best = json.loads(lines[-1][5:])
    assert best["k"] in (5, 10) and (tmp_path / "best.hltm").exists()


def test_posts_table_to_topic_models(hashlake_bin, tmp_path):
    deltalake = pytest.importorskip("deltalake")
    pa = pytest.importorskip("pyarrow")
    words = {"rust": ["rust", "cargo", "borrow", "crate", "compiler"],
             "cats": ["kitten", "purr", "whiskers", "meow", "litter"],
             "food": ["pizza", "pasta", "cheese", "tomato", "basil"]}
    ids, texts, tags, langs, times = [], [], [], [], []
    for n in range(90):
        tag = list(words)[n % 3]
        vocab = words[tag]
        ids.append(f"p{n}")
        texts.append(" ".join(vocab[(n + i) % 5] for i in range(4)) + f" #{tag} https://x.org/{n}")
        tags.append([tag])
        langs.append("en" if n % 10 else "fr")
        times.append(1_714_550_400_000_000 + n * 60_000_000)
    table = pa.table({
        "id": pa.array(ids), "text": pa.array(texts),
        "hashtags": pa.array(tags, pa.list_(pa.string())), "lang": pa.array(langs),
        "created_at": pa.array(times, pa.timestamp("us", tz="UTC")),
    })
    lake = tmp_path / "lake"
    deltalake.write_deltalake(str(lake / "posts"), table)
    out = run(hashlake_bin, "train", "--lake", lake, "--lang", "en", "--k", 3, "--iterations", 30,
              "--threads", 1, "--min-tokens", 2, "--holdout", 0, "--quiet")
    metrics = json.loads(out.stdout.strip().splitlines()[-1])
    assert metrics["docs"] == 81 and metrics["model_version"] == 1
    out = run(hashlake_bin, "train", "--lake", lake, "--pool-hashtags", "--k", 3,
              "--iterations", 30, "--min-tokens", 2, "--holdout", 0, "--quiet")
    metrics = json.loads(out.stdout.strip().splitlines()[-1])
    assert metrics["docs"] == 3 and metrics["model_version"] == 2
    models = deltalake.DeltaTable(str(lake / "topic_models")).to_pyarrow_table().to_pylist()
    assert sorted(m["version"] for m in models) == [1, 2]
    for m in models:
        assert (tmp_path / m["model_path"]).exists() or __import__("os").path.exists(m["model_path"])
        assert len(json.loads(m["top_terms"])) == 3
        assert json.loads(m["metrics"])["k"] == 3
        assert json.loads(m["params"])["model"] == "lda"
    inferred = run(hashlake_bin, "infer", "--lake", lake, "--model", models[0]["model_path"],
                   "--min-tokens", 1).stdout.strip().splitlines()
    assert len(inferred) == 90 and json.loads(inferred[0])["id"].startswith("p")
