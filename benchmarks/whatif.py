"""Small what-if measurements behind the suggestions in RESULTS.md (one process each, median of 3).

``dedup``
    How many distinct strings the 1M-row exports hold at each stage (raw note, masked note,
    lower-cased masked note, model input), and what de-duplicating model inputs costs with
    ``np.unique`` (sorts fixed-width unicode) against ``dict.fromkeys``.
``lemma_tables``
    Loading spaCy's lookup lemma tables (``load_nlp``) against unpickling the same entries as
    a plain dict: the cold-start share that a cached table would save.
``baseline``
    Resident memory after each set-up step (imports, model, lemma tables, matcher).
``cache``
    The per-worker prediction cache (:class:`classifier.model.PredictionCache`, its own growth
    rule) driven as two workers meet the export: 10k-row chunks taken in turn, each chunk's
    distinct notes looked up and the misses added. Prints the notes each cache size leaves to
    score and the hit rate (no model runs: the probabilities are zeros).
``vocab``
    Growth of spaCy's vocabulary and the process RSS while tokenising 300k unique notes, with
    and without ``nlp.memory_zone()`` (spaCy >= 3.8) around each batch.

Example::

    python benchmarks/whatif.py baseline dedup lemma_tables cache vocab
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from pathlib import Path

import harness
from harness import DATA, emit, machine_info, print_machine, run_measured, save
from make_export import NOTE_COLUMN, default_path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def read_notes(mode: str, rows: int = 1_000_000) -> list[str]:
    import pandas as pd

    return pd.read_csv(default_path(rows, mode), dtype=str, keep_default_na=False)[NOTE_COLUMN].tolist()


def work_dedup(mode: str) -> None:
    import numpy as np

    from classifier.normalize import clean, mask
    from classifier.lemmas import MAX_CHARS
    from classifier.preprocess import NotePreprocessor

    notes = read_notes(mode)
    distinct = list(dict.fromkeys(notes))
    masked = [mask(clean(n)[:MAX_CHARS]) for n in distinct]
    lowered = {m.lower() for m in masked}
    sample = distinct[:200_000]
    prepared = NotePreprocessor().transform(sample)
    t0 = time.perf_counter()
    np.unique(prepared.astype(str), return_inverse=True)
    t_np = time.perf_counter() - t0
    t0 = time.perf_counter()
    first = dict.fromkeys(prepared.tolist())
    index = {s: i for i, s in enumerate(first)}
    [index[s] for s in prepared.tolist()]
    t_dict = time.perf_counter() - t0
    emit({"rows": len(notes), "distinct_notes": len(distinct), "distinct_masked": len(set(masked)),
          "distinct_masked_lower": len(lowered), "sample": len(sample),
          "distinct_inputs_in_sample": len(first), "np_unique_s": t_np, "dict_dedup_s": t_dict})


def work_cache(mode: str) -> None:
    import numpy as np

    from classifier.model import PREDICTION_CACHE, PredictionCache

    notes = read_notes(mode)
    result = {"rows": len(notes), "distinct_notes": len(dict.fromkeys(notes))}
    for name, size in (("half", PREDICTION_CACHE // 2), ("shipped", PREDICTION_CACHE), ("unbounded", len(notes))):
        caches, scored = [PredictionCache(size), PredictionCache(size)], 0
        for turn, start in enumerate(range(0, len(notes), 10_000)):
            cache = caches[turn % 2]
            distinct = list(dict.fromkeys(notes[start : start + 10_000]))
            todo = [n for n, hit in zip(distinct, cache.known(distinct)) if not hit]
            scored += len(todo)
            cache.add(todo, np.zeros((len(todo), 1)), ["en"] * len(todo))
        result[f"scored_{name}"] = scored
        result[f"kept_{name}"] = sum(len(c) for c in caches)
        result[f"hit_rate_{name}"] = round(sum(c.hits for c in caches) / max(1, sum(c.asked for c in caches)), 3)
    emit(result)


def work_lemma_tables() -> None:
    t0 = time.perf_counter()
    from classifier.lemmas import _lemma_table, load_nlp

    import spacy  # noqa: F401  (import cost is not the table cost)
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    tables = {lang: _lemma_table(lang) for lang in ("de", "en")}
    for lang in ("de", "en"):
        load_nlp(lang)
    t_load = time.perf_counter() - t0
    # the same entries as a plain {hash: lemma string} dict, pickled
    strings = {lang: load_nlp(lang).vocab.strings for lang in tables}
    plain = {lang: dict(table.items()) for lang, table in tables.items()}
    sizes = {lang: len(d) for lang, d in plain.items()}
    path = DATA / "lemma_tables.pickle"
    path.write_bytes(pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL))
    t0 = time.perf_counter()
    pickle.loads(path.read_bytes())
    t_pickle = time.perf_counter() - t0
    emit({"import_spacy_s": t_import, "load_nlp_de_en_s": t_load, "unpickle_plain_dict_s": t_pickle,
          "entries": sizes, "pickle_mb": path.stat().st_size / 1e6, "strings_de": len(strings["de"])})
    path.unlink()


def work_vocab(zone: str) -> None:
    from classifier.normalize import clean, mask
    from classifier.lemmas import load_nlp

    notes = [mask(clean(n)) for n in read_notes("unique")[:300_000]]
    nlp = load_nlp("de")
    before = (len(nlp.vocab), len(nlp.vocab.strings), rss_mb())
    t0 = time.perf_counter()
    for start in range(0, len(notes), 10_000):
        batch = notes[start : start + 10_000]
        if zone == "yes":
            with nlp.memory_zone():
                for doc in nlp.tokenizer.pipe(batch, batch_size=1000):
                    [t.text for t in doc]
        else:
            for doc in nlp.tokenizer.pipe(batch, batch_size=1000):
                [t.text for t in doc]
    emit({"notes": len(notes), "seconds": time.perf_counter() - t0, "lexemes_before": before[0],
          "lexemes_after": len(nlp.vocab), "strings_before": before[1], "strings_after": len(nlp.vocab.strings),
          "rss_before_mb": before[2], "rss_after_mb": rss_mb()})


def work_baseline() -> None:
    """RSS after each set-up step of ``classify``: what every process (and worker) carries."""
    steps = {"python": rss_mb()}
    import classifier

    steps["import classifier"] = rss_mb()
    model = classifier.load_model()
    steps["load_model"] = rss_mb()
    from classifier.lemmas import _cue_phrases, _lemmatiser, load_nlp

    load_nlp("de"), _lemmatiser("de")
    steps["load_nlp('de')"] = rss_mb()
    load_nlp("en"), _lemmatiser("en")
    steps["load_nlp('en')"] = rss_mb()
    _cue_phrases()
    model.classify(["kein Budget"])
    steps["cue phrases + first note"] = rss_mb()
    emit(steps)


WORKERS = {"baseline": work_baseline, "cache": work_cache, "dedup": work_dedup, "lemma_tables": work_lemma_tables, "vocab": work_vocab}


def worker(*args: str) -> list[str]:
    return harness.child_command(__file__, *args)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if harness.run_worker(argv, WORKERS):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="+", metavar="WHAT", help=", ".join(WORKERS))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print_machine()
    jobs = {"baseline": [()], "cache": [("stamped",), ("unique",), ("repeats",)], "dedup": [("unique",), ("repeats",)], "lemma_tables": [()], "vocab": [("no",), ("yes",)]}
    for what in args.what:
        if what not in WORKERS:
            parser.error(f"got {what!r} but expected one of {', '.join(WORKERS)}")
        for extra in jobs[what]:
            runs = [run_measured(worker(what, *extra)) for _ in range(1 if what in ("dedup", "cache") else args.runs)]
            results = [r["result"] for r in runs]
            merged = {k: (statistics.median(r[k] for r in results) if isinstance(v, (int, float)) else v)
                      for k, v in results[0].items()}
            name = "whatif_" + "_".join((what, *extra))
            save(name, {"kind": "whatif", "what": what, "args": list(extra), "result": merged,
                        "loads": [r["load_before"] for r in runs], "machine": machine_info()})
            print(name, merged, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
