"""Coherence computed by `hashlake lda eval` agrees with gensim's CoherenceModel (1e-6 rel).

gensim is run with processes=1: its multi-process accumulator counts windows differently.
"""
import json
import subprocess

import pytest

gensim = pytest.importorskip("gensim")
from gensim.corpora import Dictionary  # noqa: E402
from gensim.models.coherencemodel import CoherenceModel  # noqa: E402


def hashlake(binary, *args):
    result = subprocess.run([str(binary), "lda", *map(str, args)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def gensim_scores(topics, texts):
    dictionary = Dictionary(texts)
    scores = {}
    for measure, key in (("u_mass", "umass"), ("c_npmi", "npmi"), ("c_v", "c_v")):
        model = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                               coherence=measure, topn=len(topics[0]), processes=1)
        scores[key] = model.get_coherence()
    return scores


def compare(binary, model, corpus_args, texts):
    topics = [[term for term, _ in topic]
              for topic in json.loads(hashlake(binary, "show", "--model", model, "--json",
                                               "--top", 10))["topics"]]
    ours = json.loads(hashlake(binary, "eval", "--model", model, *corpus_args,
                               "--coherence-top", 10))
    theirs = gensim_scores(topics, texts)
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-6, abs=1e-12), (key, ours[key], value)


def test_coherence_matches_gensim_on_short_texts(hashlake_bin, shared_data, tmp_path):
    tweets = shared_data / "lda" / "sttm" / "Tweet.txt"
    model = tmp_path / "tweets.hltm"
    hashlake(hashlake_bin, "train", "--corpus", tweets, "--format", "text", "--k", 8,
             "--iterations", 30, "--threads", 2, "--holdout", 0, "--model-out", model, "--quiet",
             "--no-coherence")
    texts = [line.split() for line in tweets.read_text().splitlines()]
    compare(hashlake_bin, model, ["--corpus", tweets, "--format", "text"], texts)


def test_coherence_matches_gensim_on_long_documents(hashlake_bin, shared_data, tmp_path):
    # 250 AP documents (~190 tokens each): windows of 10 and 110 slide within documents.
    ap_dir = shared_data / "lda" / "ap"
    lines = (ap_dir / "ap.dat").read_text().splitlines()[:250]
    subset = tmp_path / "ap250.dat"
    subset.write_text("\n".join(lines) + "\n")
    vocab = (ap_dir / "vocab.txt").read_text().splitlines()
    model = tmp_path / "ap.hltm"
    hashlake(hashlake_bin, "train", "--corpus", subset, "--format", "lda-c", "--vocab",
             ap_dir / "vocab.txt", "--k", 6, "--iterations", 30, "--threads", 2, "--holdout", 0,
             "--model-out", model, "--quiet", "--no-coherence")
    texts = []
    for line in lines:
        words = []
        for pair in line.split()[1:]:
            term_id, count = pair.split(":")
            words += [vocab[int(term_id)]] * int(count)
        texts.append(words)
    compare(hashlake_bin, model,
            ["--corpus", subset, "--format", "lda-c", "--vocab", ap_dir / "vocab.txt"], texts)
