"""Our model against what a user could pick instead, on the same corpus and independent test set.

Peers, each trained on ``training/data/corpus.csv`` the way its docs recommend:

``fasttext``
    fastText supervised, the tutorial's recipe: lower-case, punctuation split off,
    ``lr=1.0, epoch=25, wordNgrams=2``.
``fasttext_autotune``
    fastText's automatic hyperparameter search (its docs' other recommendation), validated on a
    stratified 10 % of the corpus (never the independent test set); ``--autotune-seconds``.
``spacy_bow`` / ``spacy_ensemble`` / ``spacy_accuracy``
    ``spacy train`` from scratch, 90/10 stratified train/dev split of the corpus, ``model-best``,
    language ``xx`` (the corpus mixes German and English), training defaults (patience 1600
    steps). Configs: ``spacy init config --lang xx --pipeline textcat --optimize efficiency``
    (TextCatBOW); the ``textcat`` factory's default model (TextCatEnsemble: BOW plus a small
    width-64, depth-2 tok2vec), filled with ``spacy init fill-config``; and ``--optimize
    accuracy`` (ensemble with a width-256, depth-8 tok2vec, static vectors off). The last takes
    over half an hour on 2 cores and is left out unless named with ``--only``.
``tfidf_svm`` / ``tfidf_char_svm``
    scikit-learn without spaCy: ``TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))`` +
    ``LinearSVC``; the second adds ``char_wb`` 2-5-grams.
``ours``
    The bundled model, ``classifier.load_model()`` (trained on the same corpus);
    ``classify_notes`` is what a user calls, ``ours_pipeline`` times ``pipeline.predict`` alone.

For each: macro-F1 and weak-vs-valid F1 on ``training/data/independent_test.csv``
(``training.evaluate.scores``), train seconds (median of ``--train-runs``), and predict notes/s on
the same 100k unique notes from ``make_export.py``, one process, each run a fresh process with
the model loaded and warmed on a few notes before the clock starts (median of ``--runs``).

Run it in the benchmark environment (peers are not project dependencies)::

    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install -e ".[bench]"
    /tmp/benchvenv/bin/python benchmarks/peers.py                 # train, score, time; then:
    /tmp/benchvenv/bin/python benchmarks/peers.py report
    /tmp/benchvenv/bin/python benchmarks/peers.py compare       # is the macro-F1 gap real?
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import harness
from harness import DATA, REPO, emit, machine_info, print_machine, run_measured, save, summarise
from make_export import NOTE_COLUMN, default_path, make_export

WORK = DATA / "peers"
CORPUS = REPO / "training" / "data" / "corpus.csv"
TEST = REPO / "training" / "data" / "independent_test.csv"
SPEED_ROWS = 100_000
WARMUP = ["kein Budget", "no answer", "nicht der Entscheider"]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_labelled(path: Path) -> tuple[list[str], list[str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def split_dev(texts, labels, share: float = 0.1, seed: int = 0):
    """Stratified train/dev split of the corpus (for peers whose recipe needs a dev set)."""
    by_label = defaultdict(list)
    for i, label in enumerate(labels):
        by_label[label].append(i)
    rng = random.Random(seed)
    dev = set()
    for label in sorted(by_label):
        index = by_label[label]
        rng.shuffle(index)
        dev.update(index[: max(1, round(share * len(index)))])
    pick = lambda keep: ([t for i, t in enumerate(texts) if (i in dev) == keep], [l for i, l in enumerate(labels) if (i in dev) == keep])  # noqa: E731
    return pick(False), pick(True)


# ---------------------------------------------------------------- peers

_FT_PUNCT = re.compile(r"([.!?,'/()])")


def fasttext_normalise(text: str) -> str:
    """The fastText tutorial's preprocessing: punctuation split off, lower case, one line."""
    return " ".join(_FT_PUNCT.sub(r" \1 ", text).lower().split())


class FastText:
    def __init__(self, autotune: int = 0):
        self.autotune = autotune

    def train(self, texts, labels, directory: Path) -> None:
        import fasttext

        directory.mkdir(parents=True, exist_ok=True)

        def write(path, xs, ys):
            path.write_text("".join(f"__label__{y} {fasttext_normalise(x)}\n" for x, y in zip(xs, ys)), encoding="utf-8")

        if self.autotune:
            (tr_x, tr_y), (dev_x, dev_y) = split_dev(texts, labels)
            write(directory / "train.txt", tr_x, tr_y)
            write(directory / "dev.txt", dev_x, dev_y)
            model = fasttext.train_supervised(str(directory / "train.txt"), autotuneValidationFile=str(directory / "dev.txt"),
                                              autotuneDuration=self.autotune, verbose=0)
        else:
            write(directory / "train.txt", texts, labels)
            model = fasttext.train_supervised(str(directory / "train.txt"), lr=1.0, epoch=25, wordNgrams=2, verbose=0, seed=0)
        model.save_model(str(directory / "model.bin"))

    def load(self, directory: Path):
        import fasttext

        model = fasttext.load_model(str(directory / "model.bin"))

        def predict(texts):
            # list input: fastText 0.9.3's single-string path breaks on numpy 2 (np.array(copy=False))
            labels, _ = model.predict([fasttext_normalise(t) for t in texts])
            return [l[0][len("__label__"):] for l in labels]

        return predict


class SpacyTextcat:
    def __init__(self, optimize: str):
        self.optimize = optimize

    def train(self, texts, labels, directory: Path) -> None:
        import spacy
        from spacy.tokens import DocBin

        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        classes = sorted(set(labels))
        nlp = spacy.blank("xx")
        (tr_x, tr_y), (dev_x, dev_y) = split_dev(texts, labels)
        for name, xs, ys in (("train", tr_x, tr_y), ("dev", dev_x, dev_y)):
            db = DocBin()
            for doc, y in zip(nlp.tokenizer.pipe(xs), ys):
                doc.cats = {c: float(c == y) for c in classes}
                db.add(doc)
            db.to_disk(directory / f"{name}.spacy")
        config = directory / "config.cfg"
        py = [sys.executable, "-m", "spacy"]
        if self.optimize == "default":  # the textcat factory's own model: TextCatEnsemble.v2, small tok2vec
            base = spacy.blank("xx")
            base.add_pipe("textcat")
            base.config.to_disk(directory / "base.cfg")
            subprocess.run(py + ["init", "fill-config", str(directory / "base.cfg"), str(config)], check=True, capture_output=True)
        else:
            subprocess.run(py + ["init", "config", str(config), "--lang", "xx", "--pipeline", "textcat",
                                 "--optimize", self.optimize, "--force"], check=True, capture_output=True)
        overrides = ["--paths.train", str(directory / "train.spacy"), "--paths.dev", str(directory / "dev.spacy"),
                     "--system.seed", "0"]
        if self.optimize == "accuracy":  # from scratch: no pretrained static vectors to include
            overrides += ["--components.tok2vec.model.embed.include_static_vectors", "false"]
        with (directory / "train.log").open("w", encoding="utf-8") as log:
            done = subprocess.run(py + ["train", str(config), "--output", str(directory / "out"), *overrides],
                                  stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        if done.returncode:
            tail = (directory / "train.log").read_text(encoding="utf-8")[-2000:]
            raise RuntimeError(f"spacy train failed:\n{tail}")

    def load(self, directory: Path):
        import spacy

        nlp = spacy.load(directory / "out" / "model-best")

        def predict(texts):
            return [max(doc.cats, key=doc.cats.get) for doc in nlp.pipe(texts)]

        return predict


class TfidfSvm:
    def __init__(self, chars: bool = False):
        self.chars = chars

    def train(self, texts, labels, directory: Path) -> None:
        import joblib
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline, make_union
        from sklearn.svm import LinearSVC

        features = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
        if self.chars:
            features = make_union(features, TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2))
        model = make_pipeline(features, LinearSVC(random_state=0)).fit(texts, labels)
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, directory / "model.joblib")

    def load(self, directory: Path):
        import joblib

        model = joblib.load(directory / "model.joblib")
        return lambda texts: list(model.predict(texts))


class Ours:
    """The bundled model; not retrained here (``run.py train`` times training)."""

    def __init__(self, pipeline_only: bool = False):
        self.pipeline_only = pipeline_only

    def train(self, texts, labels, directory: Path) -> None:
        raise NotImplementedError

    def load(self, directory: Path):
        from classifier import classify_notes, load_model

        model = load_model()
        if self.pipeline_only:
            return lambda texts: list(model.pipeline.predict(texts))
        return lambda texts: classify_notes(texts, model)["reason"].tolist()


PEERS = {
    "ours": Ours(),
    "ours_pipeline": Ours(pipeline_only=True),
    "fasttext": FastText(),
    "fasttext_autotune": FastText(autotune=300),
    "spacy_bow": SpacyTextcat("efficiency"),
    "spacy_ensemble": SpacyTextcat("default"),
    "spacy_accuracy": SpacyTextcat("accuracy"),
    "tfidf_svm": TfidfSvm(),
    "tfidf_char_svm": TfidfSvm(chars=True),
}
TRAINED_HERE = [n for n, p in PEERS.items() if not isinstance(p, Ours)]
DEFAULT = [n for n in PEERS if n != "spacy_accuracy"]


# ---------------------------------------------------------------- workers (fresh process each)

def work_train(name: str, autotune: str) -> None:
    peer = PEERS[name]
    if isinstance(peer, FastText) and peer.autotune:
        peer.autotune = int(autotune)
    texts, labels = read_labelled(CORPUS)
    t0 = time.perf_counter()
    peer.train(texts, labels, WORK / name)
    emit({"seconds": time.perf_counter() - t0})


def work_score(name: str) -> None:
    from classifier.taxonomy import default_taxonomy
    from training.evaluate import scores

    taxonomy = default_taxonomy()
    texts, labels = read_labelled(TEST)
    predict = PEERS[name].load(WORK / name)
    predicted = [str(p) for p in predict(texts)]
    (WORK / name).mkdir(parents=True, exist_ok=True)
    (WORK / name / "test_predictions.json").write_text(json.dumps(predicted), encoding="utf-8")
    s = scores(labels, predicted, taxonomy.labels, taxonomy.weak_labels)
    emit({"macro_f1": s["macro_f1"], "weak_f1": s["weak_f1"], "accuracy": s["accuracy"], "n": s["n"],
          "per_label_f1": {k: v["f1"] for k, v in s["per_label"].items()}})


def work_speed(name: str, src: str) -> None:
    import csv

    with open(src, encoding="utf-8", newline="") as fh:
        notes = [row[NOTE_COLUMN] for row in csv.DictReader(fh)]
    t0 = time.perf_counter()
    predict = PEERS[name].load(WORK / name)
    predict(WARMUP)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = predict(notes)
    seconds = time.perf_counter() - t0
    assert len(out) == len(notes)
    emit({"notes": len(notes), "seconds": seconds, "load_s": t_load})


WORKERS = {"train": work_train, "score": work_score, "speed": work_speed}


def worker(*args: str) -> list[str]:
    return harness.child_command(__file__, *args)


# ---------------------------------------------------------------- parent

def run_all(args) -> None:
    names = args.only or DEFAULT
    src = default_path(SPEED_ROWS, "unique")
    if not src.exists():
        make_export(SPEED_ROWS, "unique", src)
    for name in names:
        previous = harness.load(f"peer_{name}") or {}
        record = {"kind": "peer", "name": name, **{k: previous.get(k) for k in ("train_s", "train_runs")}}
        if name in TRAINED_HERE and not args.skip_train:
            runs = args.train_runs if name not in ("spacy_ensemble", "spacy_accuracy", "fasttext_autotune") else args.slow_train_runs
            trains = []
            for i in range(runs):
                r = run_measured(worker("train", name, str(args.autotune_seconds)))
                trains.append(r)
                say(f"{name}: trained in {r['result']['seconds']:.1f} s (run {i + 1}, load {r['load_before']})")
            record["train_s"] = summarise([r["result"]["seconds"] for r in trains])
            record["train_runs"] = [{"seconds": r["result"]["seconds"], "load_before": r["load_before"]} for r in trains]
        score = run_measured(worker("score", name))["result"]
        say(f"{name}: macro-F1 {score['macro_f1']:.3f}, weak-vs-valid F1 {score['weak_f1']:.3f}")
        speeds = []
        for i in range(args.runs):
            r = run_measured(worker("speed", name, str(src)))
            r["notes_per_s"] = r["result"]["notes"] / r["result"]["seconds"]
            speeds.append(r)
            say(f"{name}: {r['notes_per_s']:,.0f} notes/s (run {i + 1}, load {r['load_before']}, peak RSS {r['peak_rss_mb']:.0f} MB)")
        record.update(
            score=score,
            notes_per_s=summarise([r["notes_per_s"] for r in speeds]),
            peak_rss_mb=summarise([r["peak_rss_mb"] for r in speeds]),
            speed_runs=[{"notes_per_s": r["notes_per_s"], "load_before": r["load_before"], "load_s": r["result"]["load_s"]} for r in speeds],
            machine=machine_info(),
        )
        save(f"peer_{name}", record)


LABELS = {
    "ours": "**Rejection Radar** (bundled model, `classify_notes`)",
    "ours_pipeline": "Rejection Radar, `pipeline.predict` only",
    "fasttext": "fastText supervised, tutorial recipe (wordNgrams=2, lr 1.0, 25 epochs)",
    "fasttext_autotune": "fastText supervised, autotune on a 10 % dev split",
    "spacy_bow": "spaCy textcat, bow (`--optimize efficiency`)",
    "spacy_ensemble": "spaCy textcat, default ensemble (factory default: BOW + tok2vec width 64, depth 2)",
    "spacy_accuracy": "spaCy textcat, `--optimize accuracy` ensemble (tok2vec width 256, depth 8)",
    "tfidf_svm": "TF-IDF word 1-2 + LinearSVC (no spaCy)",
    "tfidf_char_svm": "TF-IDF word 1-2 + char_wb 2-5 + LinearSVC (no spaCy)",
}


def report(args) -> None:
    rows = []
    for name in PEERS:
        r = harness.load(f"peer_{name}")
        if not r:
            continue
        train = r.get("train_s")
        if name.startswith("ours"):
            ours = harness.load("train_cv0")
            cv5 = harness.load("train_cv5")
            train_text = (f"{ours['seconds']['median']:.1f} fit only; {cv5['seconds']['median']:.1f} with 5-fold CV"
                          if ours and cv5 else "see `run.py train`")
        else:
            train_text = f"{train['median']:.1f}" if train else "?"
        loads = ", ".join(str(x["load_before"]) for x in r["speed_runs"])
        rows.append(f"| {LABELS[name]} | {r['score']['macro_f1']:.3f} | {r['score']['weak_f1']:.3f} | "
                    f"{r['notes_per_s']['median']:,.0f} ({r['notes_per_s']['min']:,.0f}-{r['notes_per_s']['max']:,.0f}) | "
                    f"{train_text} | {r['peak_rss_mb']['median']:,.0f} | {loads} |")
    print("| model | macro-F1 | weak-vs-valid F1 | predict notes/s, 100k unique, 1 process: median (min-max) | train s | peak RSS MB (predict run) | load before speed runs |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


def paired_bootstrap(reference: str = "ours", resamples: int = 2000, seed: int = 0) -> dict:
    """Macro-F1 of ``reference`` minus each peer's on bootstrap resamples of the test set.

    The same resampled notes score both models (paired), so the interval says whether the
    gap is larger than what 1,258 test notes can tell apart.
    """
    import numpy as np
    from sklearn.metrics import f1_score

    _, labels = read_labelled(TEST)
    y = np.asarray(labels, dtype=object)
    present = sorted(set(labels))
    preds = {}
    for name in PEERS:
        path = WORK / name / "test_predictions.json"
        if path.exists():
            preds[name] = np.asarray(json.loads(path.read_text(encoding="utf-8")), dtype=object)
    if reference not in preds:
        return {}
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(y), len(y)) for _ in range(resamples)]
    f1 = lambda p, idx: f1_score(y[idx], p[idx], labels=present, average="macro", zero_division=0)  # noqa: E731
    ref = [f1(preds[reference], idx) for idx in samples]
    out = {}
    for name, p in preds.items():
        if name.startswith(reference):
            continue
        diff = np.array(ref) - np.array([f1(p, idx) for idx in samples])
        out[name] = {"mean": float(diff.mean()), "low": float(np.quantile(diff, 0.025)),
                     "high": float(np.quantile(diff, 0.975)), "ours_better_share": float((diff > 0).mean())}
    return out


def compare(args) -> None:
    for name in args.only or DEFAULT:
        trained = name.startswith("ours") or (WORK / name).exists()
        if trained and not (WORK / name / "test_predictions.json").exists():
            run_measured(worker("score", name))  # writes the predictions
    result = paired_bootstrap()
    save("peer_bootstrap", {"kind": "bootstrap", "reference": "ours", "resamples": 2000, "diff": result})
    print("| peer | macro-F1 of ours minus peer: mean | 95 % interval | resamples where ours is better |")
    print("|---|---:|---:|---:|")
    for name, d in result.items():
        print(f"| {LABELS[name]} | {d['mean']:+.3f} | {d['low']:+.3f} to {d['high']:+.3f} | {d['ours_better_share']:.0%} |")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if harness.run_worker(argv, WORKERS):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["run", "report", "compare"], default="run",
                        help="run: train, score and time; report: the table; compare: paired bootstrap of macro-F1")
    parser.add_argument("--only", nargs="+", choices=list(PEERS), help="Only these (default: all).")
    parser.add_argument("--runs", type=int, default=3, help="Predict-speed runs per model.")
    parser.add_argument("--train-runs", type=int, default=3, help="Training runs per peer.")
    parser.add_argument("--slow-train-runs", type=int, default=1, help="Training runs for the spaCy ensembles and fasttext_autotune.")
    parser.add_argument("--autotune-seconds", type=int, default=300, help="fastText autotuneDuration (its default: 300).")
    parser.add_argument("--skip-train", action="store_true", help="Reuse the trained peers in benchmarks/data/peers/.")
    args = parser.parse_args(argv)
    if args.command == "report":
        report(args)
        return 0
    if args.command == "compare":
        compare(args)
        return 0
    print_machine()
    run_all(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
