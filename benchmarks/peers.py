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
(``training.evaluate.scores``), overall and per value of its ``register`` column (rep_note,
buyer_quote, formal, summary, article) and on ``training/data/unprompted_test.csv`` (texts
written without a label, overall and per language); with ``--dev PATH`` also on a labelled real-world dev file
(columns ``text,label,lang``; e.g. ``../shared/real_phrases/real_phrases_dev.csv``): macro-F1
overall and per language, weak-vs-valid F1. Only scores and predicted labels are stored, never
the dev file's text. Then train seconds (median of ``--train-runs``) and predict notes/s on the
same 100k unique notes from ``make_export.py``, one process, each run a fresh process with the
model loaded and warmed on a few notes before the clock starts (median of ``--runs``;
``--no-speed`` skips this and keeps the speed figures of an earlier run, if any).

Run it in the benchmark environment (peers are not project dependencies)::

    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install -e ".[bench]"
    /tmp/benchvenv/bin/python benchmarks/peers.py                 # train, score, time
    # scores only (no timing), also on the real phrases:
    /tmp/benchvenv/bin/python benchmarks/peers.py --dev ../shared/real_phrases/real_phrases_dev.csv --no-speed
    /tmp/benchvenv/bin/python benchmarks/peers.py report          # the tables
    /tmp/benchvenv/bin/python benchmarks/peers.py compare         # is the macro-F1 gap real? (test set)
    /tmp/benchvenv/bin/python benchmarks/peers.py compare --dev ../shared/real_phrases/real_phrases_dev.csv
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
UNPROMPTED_TEST = REPO / "training" / "data" / "unprompted_test.csv"  # texts written without a label, never trained on
SPEED_ROWS = 100_000
WARMUP = ["kein Budget", "no answer", "nicht der Entscheider"]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_rows(path: Path) -> list[dict]:
    import csv

    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_labelled(path: Path) -> tuple[list[str], list[str]]:
    rows = read_rows(path)
    return [r["text"] for r in rows], [r["label"] for r in rows]


def shown_path(path: Path | str) -> str:
    """``path`` relative to the repository (``../shared/...`` rather than a machine path)."""
    return os.path.relpath(Path(path).resolve(), REPO)


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


def grouped_scores(labels, predicted, groups, taxonomy) -> dict:
    """``training.evaluate.scores`` per value of ``groups`` (register, language): macro-F1, weak F1, n."""
    from training.evaluate import scores

    out = {}
    for group in sorted(set(groups)):
        idx = [i for i, g in enumerate(groups) if g == group]
        s = scores([labels[i] for i in idx], [predicted[i] for i in idx], taxonomy.labels, taxonomy.weak_labels)
        out[group] = {"macro_f1": s["macro_f1"], "weak_f1": s["weak_f1"], "accuracy": s["accuracy"], "n": s["n"]}
    return out


def work_score(name: str, dev: str = "") -> None:
    from classifier.taxonomy import default_taxonomy
    from training.evaluate import scores

    taxonomy = default_taxonomy()
    rows = read_rows(TEST)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    predict = PEERS[name].load(WORK / name)
    predicted = [str(p) for p in predict(texts)]
    (WORK / name).mkdir(parents=True, exist_ok=True)
    (WORK / name / "test_predictions.json").write_text(json.dumps(predicted), encoding="utf-8")
    s = scores(labels, predicted, taxonomy.labels, taxonomy.weak_labels)
    result = {"macro_f1": s["macro_f1"], "weak_f1": s["weak_f1"], "accuracy": s["accuracy"], "n": s["n"],
              "per_label_f1": {k: v["f1"] for k, v in s["per_label"].items()}}
    if rows and "register" in rows[0]:
        result["by_register"] = grouped_scores(labels, predicted, [r["register"] for r in rows], taxonomy)
    if UNPROMPTED_TEST.exists():
        un_rows = read_rows(UNPROMPTED_TEST)
        un_labels = [r["label"] for r in un_rows]
        un_pred = [str(p) for p in predict([r["text"] for r in un_rows])]
        (WORK / name / "unprompted_predictions.json").write_text(json.dumps(un_pred), encoding="utf-8")
        u = scores(un_labels, un_pred, taxonomy.labels, taxonomy.weak_labels)
        result["unprompted"] = {"macro_f1": u["macro_f1"], "weak_f1": u["weak_f1"], "accuracy": u["accuracy"], "n": u["n"],
                                "by_lang": grouped_scores(un_labels, un_pred, [r["lang"] for r in un_rows], taxonomy)}
    if dev:
        # evaluation data: only scores and predicted labels leave this function, never its text
        dev_rows = read_rows(Path(dev))
        dev_labels = [r["label"] for r in dev_rows]
        dev_pred = [str(p) for p in predict([r["text"] for r in dev_rows])]
        (WORK / name / "dev_predictions.json").write_text(json.dumps(dev_pred), encoding="utf-8")
        d = scores(dev_labels, dev_pred, taxonomy.labels, taxonomy.weak_labels)
        result["dev"] = {"path": shown_path(dev), "macro_f1": d["macro_f1"], "weak_f1": d["weak_f1"],
                         "accuracy": d["accuracy"], "n": d["n"],
                         "per_label_f1": {k: v["f1"] for k, v in d["per_label"].items() if v["support"]},
                         "by_lang": grouped_scores(dev_labels, dev_pred, [r["lang"] for r in dev_rows], taxonomy)}
    emit(result)


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
    if not args.no_speed and not src.exists():
        make_export(SPEED_ROWS, "unique", src)
    failed = []
    for name in names:
        try:
            run_one(name, args, src)
        except RuntimeError as e:  # one peer failing (missing library, unloadable model) does not stop the rest
            failed.append(name)
            say(f"{name}: FAILED, skipped\n{e}")
    if failed:
        say(f"failed: {', '.join(failed)}")


def run_one(name: str, args, src: Path) -> None:
    """Train (unless ``--skip-train``), score and time one peer; saves ``peer_NAME``."""
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
    score = run_measured(worker("score", name, str(args.dev or "")))["result"]
    if not args.dev and "dev" in (previous.get("score") or {}) and (args.skip_train or name not in TRAINED_HERE):
        score["dev"] = previous["score"]["dev"]  # the same model: keep the dev figures of the last run with --dev
    say(f"{name}: macro-F1 {score['macro_f1']:.3f}, weak-vs-valid F1 {score['weak_f1']:.3f}; by register "
        + ", ".join(f"{g} {v['macro_f1']:.3f}" for g, v in score.get("by_register", {}).items()))
    if "unprompted" in score:
        u = score["unprompted"]
        say(f"{name}: unprompted test slice macro-F1 {u['macro_f1']:.3f} ("
            + ", ".join(f"{g} {v['macro_f1']:.3f}" for g, v in u["by_lang"].items()) + ")")
    if "dev" in score:
        d = score["dev"]
        say(f"{name}: dev macro-F1 {d['macro_f1']:.3f} ("
            + ", ".join(f"{g} {v['macro_f1']:.3f}" for g, v in d["by_lang"].items())
            + f"), weak-vs-valid F1 {d['weak_f1']:.3f}")
    if args.no_speed:
        kept = {k: previous[k] for k in ("notes_per_s", "peak_rss_mb", "speed_runs", "speed_machine") if k in previous}
        if "notes_per_s" in previous and "speed_machine" not in previous:
            kept["speed_machine"] = previous.get("machine")
        record.update(score=score, machine=machine_info(), **kept)
        save(f"peer_{name}", record)
        return
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
    record["speed_machine"] = record["machine"]
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


def report_accuracy() -> None:
    """Test set overall and per register, dev set overall, per language and weak-vs-valid."""
    registers = ["rep_note", "buyer_quote", "formal", "summary", "article"]
    langs = ["de", "en"]
    rows, dev_paths = [], set()
    for name in PEERS:
        r = harness.load(f"peer_{name}")
        if not r or "score" not in r:
            continue
        s = r["score"]
        reg = s.get("by_register", {})
        d, u = s.get("dev"), s.get("unprompted")
        cells = [f"{s['macro_f1']:.3f}"] + [f"{reg[g]['macro_f1']:.3f}" if g in reg else "–" for g in registers]
        cells.append(f"{u['macro_f1']:.3f}" if u else "–")
        if d:
            dev_paths.add(d["path"])
            cells += [f"{d['macro_f1']:.3f}"] + [f"{d['by_lang'][g]['macro_f1']:.3f}" if g in d["by_lang"] else "–" for g in langs]
            cells.append(f"{d['weak_f1']:.3f}")
        else:
            cells += ["–"] * (2 + len(langs))
        rows.append(f"| {LABELS[name]} | " + " | ".join(cells) + " |")
    print("| peer | test macro-F1 | " + " | ".join(f"test {g}" for g in registers) + " | unprompted test slice | real phrases macro-F1 | "
          + " | ".join(f"real phrases {g}" for g in langs) + " | weak-vs-valid F1, real phrases |")
    print("|---|" + "---:|" * (4 + len(registers) + len(langs)))
    print("\n".join(rows))
    if dev_paths:
        print(f"\nDev file: {', '.join(sorted(dev_paths))}")


def report(args) -> None:
    report_accuracy()
    print()
    rows = []
    for name in PEERS:
        r = harness.load(f"peer_{name}")
        if not r or "notes_per_s" not in r:
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
    if not rows:
        return
    print("| model | macro-F1 | weak-vs-valid F1 | predict notes/s, 100k unique, 1 process: median (min-max) | train s | peak RSS MB (predict run) | load before speed runs |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


def paired_bootstrap(reference: str = "ours", resamples: int = 2000, seed: int = 0,
                     labelled: Path = TEST, predictions: str = "test_predictions.json") -> dict:
    """Macro-F1 of ``reference`` minus each peer's on bootstrap resamples of ``labelled``.

    The same resampled notes score both models (paired), so the interval says whether the
    gap is larger than what the test notes (or the dev phrases) can tell apart.
    """
    import numpy as np

    _, labels = read_labelled(labelled)
    present = sorted(set(labels))
    codes = {label: i for i, label in enumerate(present)}
    k = len(present) + 1  # last code: any predicted label not in the gold labels
    y = np.asarray([codes[label] for label in labels])
    preds = {}
    for name in PEERS:
        path = WORK / name / predictions
        if path.exists():
            found = json.loads(path.read_text(encoding="utf-8"))
            if len(found) == len(y):
                preds[name] = np.asarray([codes.get(label, k - 1) for label in found])
    if reference not in preds:
        return {}
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(y), len(y)) for _ in range(resamples)]

    def f1(p, idx):
        """Macro-F1 over the gold labels (as sklearn's ``f1_score(labels=present)``, zero_division=0)."""
        cm = np.bincount(y[idx] * k + p[idx], minlength=k * k).reshape(k, k)[: k - 1]
        tp = cm[np.arange(k - 1), np.arange(k - 1)]
        denom = cm.sum(axis=1) + cm[:, : k - 1].sum(axis=0)  # 2TP + FN + FP
        return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)))
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
    wanted = "dev_predictions.json" if args.dev else "test_predictions.json"
    for name in args.only or DEFAULT:
        trained = name.startswith("ours") or (WORK / name).exists()
        if trained and not (WORK / name / wanted).exists():
            run_measured(worker("score", name, str(args.dev or "")))  # writes the predictions
    splits = [("test", TEST, "test_predictions.json")]
    if all((WORK / name / "unprompted_predictions.json").exists() for name in args.only or DEFAULT if (WORK / name).exists()):
        splits.append(("unprompted", UNPROMPTED_TEST, "unprompted_predictions.json"))
    if args.dev:
        splits.append((shown_path(args.dev), args.dev, "dev_predictions.json"))
    for title, labelled, predictions in splits:
        result = paired_bootstrap(labelled=labelled, predictions=predictions)
        key = {"test": "peer_bootstrap", "unprompted": "peer_bootstrap_unprompted"}.get(title, "peer_bootstrap_dev")
        save(key, {"kind": "bootstrap", "reference": "ours", "resamples": 2000, "on": title, "diff": result})
        print(f"\nOn {title}:\n")
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
                        help="run: train, score and time; report: the tables; compare: paired bootstrap of macro-F1 "
                             "(test set, and the dev file with --dev)")
    parser.add_argument("--only", nargs="+", choices=list(PEERS), help="Only these (default: all).")
    parser.add_argument("--runs", type=int, default=3, help="Predict-speed runs per model.")
    parser.add_argument("--train-runs", type=int, default=3, help="Training runs per peer.")
    parser.add_argument("--slow-train-runs", type=int, default=1, help="Training runs for the spaCy ensembles and fasttext_autotune.")
    parser.add_argument("--autotune-seconds", type=int, default=300, help="fastText autotuneDuration (its default: 300).")
    parser.add_argument("--skip-train", action="store_true", help="Reuse the trained peers in benchmarks/data/peers/.")
    parser.add_argument("--dev", type=Path, help="Also score on this labelled dev file (columns text,label,lang): "
                        "macro-F1 overall and per language, weak-vs-valid F1. Text is never stored.")
    parser.add_argument("--no-speed", action="store_true", help="Skip the predict-speed runs (keeps earlier speed figures).")
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
