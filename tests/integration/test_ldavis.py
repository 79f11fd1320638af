"""`hashlake lda ldavis` equals pyLDAvis.prepare(mds='pcoa', sort_topics=True) on the same model.

A planted-topic text corpus is written by the test, so it needs no shared data. Both the
`--inputs` path (the documents' topic mixtures that `lda train --ldavis-out` wrote) and the
`--model` path (exact phi, topic shares from the model's topic totals) are compared.
"""
import itertools
import json
import math
import random
import subprocess
import warnings

import numpy as np
import pytest

pyLDAvis = pytest.importorskip("pyLDAvis")

REL = 1e-6


def run(binary, *args):
    result = subprocess.run([str(binary), "lda", *map(str, args)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    return result


def write_corpus(path, seed=7):
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pu"]
    words = ["".join(p) for p in itertools.product(syllables, repeat=3)]
    rng.shuffle(words)
    topics = [words[i * 40:(i + 1) * 40] for i in range(4)]
    common = words[160:200]
    lines = []
    for _ in range(300):
        a, b = rng.sample(range(4), 2)
        share = rng.uniform(0.5, 1.0)
        doc = []
        for _ in range(rng.randint(20, 60)):
            u = rng.random()
            pool = common if u < 0.15 else topics[a] if u < 0.15 + 0.85 * share else topics[b]
            # Zipf-like within a topic so terms differ in frequency (fewer exact ties).
            doc.append(pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)])
        lines.append(" ".join(doc))
    path.write_text("\n".join(lines) + "\n")


def prepare(inputs, r, lambda_step):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyLDAvis.prepare(np.array(inputs["topic_term_dists"]),
                                np.array(inputs["doc_topic_dists"]),
                                inputs["doc_lengths"], inputs["vocab"], inputs["term_frequency"],
                                R=r, lambda_step=lambda_step, mds="pcoa", sort_topics=True,
                                n_jobs=1).to_dict()


def close(a, b, rel=REL, abs_tol=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def assert_same(ours, ref):
    assert set(ours) == set(ref)
    assert ours["topic.order"] == ref["topic.order"]
    assert ours["R"] == ref["R"] and close(ours["lambda.step"], ref["lambda.step"])
    assert ours["plot.opts"] == ref["plot.opts"]

    mds, ref_mds = ours["mdsDat"], ref["mdsDat"]
    assert mds["topics"] == ref_mds["topics"] and mds["cluster"] == ref_mds["cluster"]
    for a, b in zip(mds["Freq"], ref_mds["Freq"], strict=True):
        assert close(a, b), (a, b)
    # Coordinates up to reflection of each axis: align signs, then compare.
    for axis in ("x", "y"):
        a, b = np.array(mds[axis]), np.array(ref_mds[axis])
        sign = -1.0 if np.dot(a, b) < 0 else 1.0
        assert np.allclose(sign * a, b, rtol=REL, atol=1e-9), (axis, a, b)
    # And rotation-free: the pairwise distances.
    def dists(m):
        pts = np.column_stack([m["x"], m["y"]])
        return np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=-1)
    assert np.allclose(dists(mds), dists(ref_mds), rtol=REL, atol=1e-9)

    # tinfo: Default rows are the top-R terms by saliency; Topic rows the relevance rankings.
    tinfo, ref_tinfo = ours["tinfo"], ref["tinfo"]
    assert tinfo["Category"] == ref_tinfo["Category"]
    assert tinfo["Term"] == ref_tinfo["Term"]
    for column in ("Freq", "Total", "logprob", "loglift"):
        for i, (a, b) in enumerate(zip(tinfo[column], ref_tinfo[column], strict=True)):
            assert close(a, b, abs_tol=1e-9), (column, i, tinfo["Term"][i], a, b)

    table, ref_table = ours["token.table"], ref["token.table"]
    assert table["Term"] == ref_table["Term"] and table["Topic"] == ref_table["Topic"]
    for a, b in zip(table["Freq"], ref_table["Freq"], strict=True):
        assert close(a, b), (a, b)


def sorted_terms(prepared, topic, lam):
    """PreparedData.sorted_terms over a to_dict() result."""
    t = prepared["tinfo"]
    rows = [i for i, c in enumerate(t["Category"]) if c == f"Topic{topic}"]
    rel = {i: lam * t["logprob"][i] + (1 - lam) * t["loglift"][i] for i in rows}
    return [t["Term"][i] for i in sorted(rows, key=lambda i: -rel[i])]


@pytest.fixture(scope="module")
def trained(hashlake_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ldavis")
    corpus = tmp / "planted.txt"
    write_corpus(corpus)
    model, raw = tmp / "planted.hltm", tmp / "raw.json"
    run(hashlake_bin, "train", "--corpus", corpus, "--format", "text", "--k", 5,
        "--iterations", 40, "--threads", 1, "--seed", 5, "--holdout", 0.1, "--no-coherence",
        "--model-out", model, "--ldavis-out", raw, "--quiet")
    return tmp, model, raw


def test_inputs_path_equals_pyldavis(hashlake_bin, trained):
    tmp, _, raw = trained
    out = tmp / "vis_inputs.json"
    run(hashlake_bin, "ldavis", "--inputs", raw, "--out", out)
    ours = json.loads(out.read_text())
    ref = prepare(json.loads(raw.read_text()), 30, 0.01)
    assert_same(ours, ref)
    assert len(ours["mdsDat"]["x"]) == 5 and ours["R"] == 30
    for topic in range(1, 6):
        for lam in (0.0, 0.3, 0.6, 1.0):
            assert sorted_terms(ours, topic, lam)[:30] == sorted_terms(ref, topic, lam)[:30]


def test_model_path_equals_pyldavis(hashlake_bin, trained):
    tmp, model, raw = trained
    out, exact = tmp / "vis_model.json", tmp / "exact_inputs.json"
    run(hashlake_bin, "ldavis", "--model", model, "--out", out, "--lambda-step", 0.1, "--R", 10,
        "--inputs-out", exact)
    inputs = json.loads(exact.read_text())
    # The model's phi is what train exported (there at 6 significant digits).
    written = np.array(json.loads(raw.read_text())["topic_term_dists"])
    assert np.allclose(np.array(inputs["topic_term_dists"]), written, rtol=1e-5, atol=1e-9)
    ours = json.loads(out.read_text())
    ref = prepare(inputs, 10, 0.1)
    assert_same(ours, ref)
    assert ours["R"] == 10 and ours["lambda.step"] == 0.1
    assert sum(ours["mdsDat"]["Freq"]) == pytest.approx(100)


def test_bad_arguments_fail(hashlake_bin, trained, tmp_path):
    _, model, raw = trained
    both = subprocess.run([str(hashlake_bin), "lda", "ldavis", "--model", str(model), "--inputs",
                           str(raw)], capture_output=True, text=True, timeout=60)
    assert both.returncode != 0 and "exactly one" in both.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"topic_term_dists": [[0.5, 0.5]], "doc_topic_dists": [[1]]}')
    r = subprocess.run([str(hashlake_bin), "lda", "ldavis", "--inputs", str(bad)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "doc_lengths" in r.stderr
