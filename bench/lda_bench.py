#!/usr/bin/env python3
"""LDA side by side on AP (lda-c): hashlake vs tomotopy vs gensim LdaModel / LdaMulticore.

Usage: bench/lda_bench.py [--hashlake build/hashlake] [--k 20] [--iterations 100]
                          [--threads 1,2] [--gensim-passes 5] [--coherence-docs 500]
Prints one table: wall seconds, tokens/s, tokens/s per thread, and NPMI / C_v coherence of
each model's top-10 words, all measured by gensim's CoherenceModel (processes=1) on the same
texts (the first --coherence-docs AP documents, tokens in lda-c order). Gibbs samplers count
tokens x iterations; gensim's online VB counts tokens x passes (it does more work per pass).
"""
import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
AP = ROOT.parent / "shared" / "data" / "lda" / "ap"


def load_ap():
    vocab = (AP / "vocab.txt").read_text().splitlines()
    docs = []
    for line in (AP / "ap.dat").read_text().splitlines():
        words = []
        for pair in line.split()[1:]:
            i, c = pair.split(":")
            words += [vocab[int(i)]] * int(c)
        docs.append(words)
    return vocab, docs


def coherence(topics, texts, dictionary):
    from gensim.models.coherencemodel import CoherenceModel
    out = {}
    for measure in ("c_npmi", "c_v"):
        out[measure] = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                                      coherence=measure, topn=10, processes=1).get_coherence()
    return out


def run_hashlake(binary, args, threads):
    with tempfile.TemporaryDirectory() as tmp:
        model = pathlib.Path(tmp) / "m.hltm"
        start = time.perf_counter()
        out = subprocess.run([str(binary), "lda", "train", "--corpus", AP / "ap.dat", "--format",
                              "lda-c", "--k", str(args.k), "--iterations", str(args.iterations),
                              "--threads", str(threads), "--holdout", "0", "--quiet",
                              "--no-coherence", "--model-out", model],
                             capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        metrics = json.loads(out.stdout.strip().splitlines()[-1])
        shown = json.loads(subprocess.run([str(binary), "lda", "show", "--model", model, "--json",
                                           "--top", "10"], capture_output=True, text=True,
                                          check=True).stdout)
    topics = [[t for t, _ in topic] for topic in shown["topics"]]
    return metrics["seconds"], wall, topics


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hashlake", default=os.environ.get("HASHLAKE_BIN", ROOT / "build" / "hashlake"))
    p.add_argument("--k", type=int, default=20)
    p.add_argument("--iterations", type=int, default=100)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--gensim-passes", type=int, default=5)
    p.add_argument("--coherence-docs", type=int, default=500)
    args = p.parse_args()
    from gensim.corpora import Dictionary
    vocab, docs = load_ap()
    tokens = sum(len(d) for d in docs)
    texts = docs[: args.coherence_docs]
    dictionary = Dictionary(docs)
    rows = []

    for threads in map(int, args.threads.split(",")):
        seconds, wall, topics = run_hashlake(args.hashlake, args, threads)
        rows.append((f"hashlake lda (MH, {threads} thr)", threads, seconds, tokens * args.iterations, topics))

    try:
        import tomotopy as tp
        for threads in map(int, args.threads.split(",")):
            model = tp.LDAModel(k=args.k, alpha=0.1, eta=0.01, seed=1)
            for d in docs:
                if d:
                    model.add_doc(d)
            start = time.perf_counter()
            model.train(args.iterations, workers=threads)
            seconds = time.perf_counter() - start
            topics = [[w for w, _ in model.get_topic_words(k, top_n=10)] for k in range(args.k)]
            rows.append((f"tomotopy {tp.__version__} ({threads} thr)", threads, seconds,
                         tokens * args.iterations, topics))
    except ImportError:
        print("tomotopy not installed: skipped")

    from gensim.models import LdaModel, LdaMulticore
    bow = [dictionary.doc2bow(d) for d in docs]
    start = time.perf_counter()
    lda = LdaModel(bow, id2word=dictionary, num_topics=args.k, passes=args.gensim_passes,
                   alpha="symmetric", random_state=1)
    seconds = time.perf_counter() - start
    rows.append(("gensim LdaModel (VB)", 1, seconds, tokens * args.gensim_passes,
                 [[w for w, _ in lda.show_topic(k, 10)] for k in range(args.k)]))
    workers = max(map(int, args.threads.split(",")))
    start = time.perf_counter()
    lda = LdaMulticore(bow, id2word=dictionary, num_topics=args.k, passes=args.gensim_passes,
                       workers=workers, random_state=1)
    seconds = time.perf_counter() - start
    rows.append((f"gensim LdaMulticore ({workers} workers)", workers, seconds,
                 tokens * args.gensim_passes,
                 [[w for w, _ in lda.show_topic(k, 10)] for k in range(args.k)]))

    print(f"AP: {len(docs)} docs, {tokens} tokens, V={len(vocab)}, K={args.k}, "
          f"Gibbs iterations={args.iterations}, gensim passes={args.gensim_passes}")
    print(f"{'system':<34} {'thr':>3} {'seconds':>8} {'tokens/s':>12} {'tok/s/thr':>12} "
          f"{'npmi':>7} {'c_v':>6}")
    for name, threads, seconds, work, topics in rows:
        c = coherence(topics, texts, dictionary)
        print(f"{name:<34} {threads:>3} {seconds:>8.2f} {work / seconds:>12.0f} "
              f"{work / seconds / threads:>12.0f} {c['c_npmi']:>7.4f} {c['c_v']:>6.4f}", flush=True)


if __name__ == "__main__":
    main()
