"""Where the time of ``classify`` goes: a stage breakdown, cProfile, and the cold-start imports.

Three views of the same path, on the same export (default: 100k unique notes):

``stages``
    Replays the classify path step by step with a clock around each step and no profiler
    overhead: CSV read, de-duplication, empty-note check, clean-up, placeholder regexes,
    language detection, spaCy tokenizer per chunk with lemma lookups, cue phrases, the two TF-IDF
    vectorisers, calibrated-SVM predict, the output frame, CSV write. It checks that the replay
    gives the same preprocessed strings as ``NotePreprocessor.transform`` on a sample.
``cprofile``
    cProfile of one real run (the CLI's ``classify`` in-process when it can read files, else
    the API path of ``run.py``), top functions by cumulative and by own time. cProfile inflates
    code that makes many small Python calls; read it for *which* functions, the stage table
    for *how much*.
``coldstart``
    ``python -X importtime`` of ``cli.py --help`` and ``cli.py classify --text``: the slowest
    imports, and a breakdown of one-note classify (imports, model load, spaCy load, first note).

Example::

    python benchmarks/profile_classify.py            # all three; results in benchmarks/data/results/
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import harness
from harness import DATA, REPO, emit, machine_info, print_machine, run_measured, save
from make_export import NOTE_COLUMN, default_path, human, make_export

CLI = REPO / "cli.py"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Clock:
    """Named wall-clock stages, in order."""

    def __init__(self):
        self.stages: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        t0 = time.perf_counter()
        yield
        self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0


def stages(src: Path, column: str) -> dict:
    """Replay ``classify`` on one CSV with a clock around every step."""
    clock = Clock()
    with clock("import pandas, sklearn, classifier"):
        import numpy as np
        import pandas as pd

        from classifier import load_model
        from classifier.language import detect_language
        from classifier.model import EMPTY_REASON
        from classifier.normalize import clean, is_empty_note, mask
        from classifier.compact import sigmoid_probabilities
        from classifier.features import split_tokens
        from classifier.scoring import compact_scorer
        from classifier.lemmas import LANGS, MAX_CHARS, _chunk_lemmas, _cue_phrases, _cue_scanner, _lemmatiser, load_nlp
        from classifier.preprocess import NotePreprocessor
    with clock("load model (checksum + unpickle)"):
        model = load_model()
    with clock("load spaCy (blank de/en + lookups) + cue phrases"):
        for lang in LANGS:
            load_nlp(lang)
            _lemmatiser(lang)
        _cue_phrases()
    gc.disable()  # as ReasonModel scores a batch: no cyclic collector (see classifier.model._collector_paused)
    with clock("read CSV (pandas)"):
        frame = pd.read_csv(src, dtype=str, keep_default_na=False)
        notes = frame[column].tolist()
    with clock("de-duplicate notes"):
        distinct = list(dict.fromkeys(notes))
    with clock("is_empty_note (runs clean)"):
        empty = np.array([is_empty_note(n) for n in distinct], dtype=bool)
    todo = [n for n, e in zip(distinct, empty) if not e]
    with clock("clean (HTML, NFKC)"):
        cleaned = [clean(n)[:MAX_CHARS] for n in todo]
    with clock("mask (placeholder regexes)"):
        masked = [mask(c) for c in cleaned]
    with clock("detect_language"):
        langs = [detect_language(m) for m in masked]
    with clock("spaCy tokenizer per distinct chunk + lemma lookup (cached)"):
        tokens = [_chunk_lemmas(lang)(m) for m, lang in zip(masked, langs)]
    scan = _cue_scanner(True, True)
    with clock("cue phrases and concept tokens (one pass, per-lemma cache)"):
        cues = [scan(t) for t in tokens]
    with clock("join lemma strings"):
        prepared = [" ".join(t + c) for t, c in zip(tokens, cues)]
    check = NotePreprocessor().transform(todo[:2000]).tolist()
    same = sum(a == b for a, b in zip(check, prepared[:2000])) / max(1, len(check))
    with clock("de-duplicate model inputs (dict)"):
        position: dict[str, int] = {}
        inverse = np.fromiter((position.setdefault(p, len(position)) for p in prepared), dtype=np.int64, count=len(prepared))
        unique_inputs = list(position)
    scorer = compact_scorer(model.pipeline)
    with clock("split model inputs into tokens (once, both blocks)"):
        split = split_tokens(unique_inputs)
    decision = np.tile(scorer.intercept, (len(unique_inputs), 1))
    for block in scorer.blocks:
        with clock(f"TF-IDF {block.kind} block x its weights"):
            decision += block.scores(split)
    with clock("sigmoid calibration"):
        proba = sigmoid_probabilities(decision, scorer.a, scorer.b, scorer.columns, len(scorer.classes))[inverse]
    with clock("classify_notes: output frame (argsort, labels, challenge)"):
        labels = np.array(model.labels, dtype=object)
        order = np.argsort(-proba, axis=1)
        reason = np.full(len(distinct), EMPTY_REASON, dtype=object)
        idx = np.flatnonzero(~empty)
        reason[idx] = labels[order[:, 0]]
        langs_out = np.full(len(distinct), "de", dtype=object)
        langs_out[idx] = langs
        out = pd.DataFrame({"reason": reason, "challenge": [model.taxonomy.question(r, lg) for r, lg in zip(reason, langs_out)],
                            "note_lang": langs_out})
        position = {n: i for i, n in enumerate(distinct)}
        out = out.iloc[[position[n] for n in notes]].reset_index(drop=True)
    with clock("write CSV (pandas)"):
        pd.concat([frame, out], axis=1).to_csv(DATA / "profile_out.csv", index=False)
    (DATA / "profile_out.csv").unlink()
    setup = ("import pandas, sklearn, classifier", "load model (checksum + unpickle)",
             "load spaCy (blank de/en + lookups) + cue phrases")
    work = {k: v for k, v in clock.stages.items() if k not in setup}
    total = sum(work.values())
    return {"rows": len(notes), "distinct": len(distinct), "setup_s": {k: clock.stages[k] for k in setup},
            "stages_s": work, "total_s": total, "replay_matches_transform": round(same, 4),
            "langs": {lg: langs.count(lg) for lg in LANGS}, "distinct_inputs": int(len(unique_inputs))}


def cli_can_read_files() -> bool:
    return (REPO / "classifier" / "io.py").exists()


def work_cprofile(src: str, column: str, top: str) -> None:
    """cProfile of one classify run on ``src``; prints pstats text to stdout."""
    out = DATA / "profile_out.csv"
    profiler = cProfile.Profile()
    if cli_can_read_files():
        import cli

        argv = ["classify", src, "-o", str(out), "--text-column", column]
        if any(p.name == "jobs" for p in cli.classify.params):  # profile the work, not a parent waiting on workers
            argv += ["--jobs", "1"]
        how = f"cli.py {' '.join(argv[:1] + argv[2:3])} ... {' '.join(argv[5:])} (in-process)"
        profiler.enable()
        cli.cli.main(argv, standalone_mode=False)
        profiler.disable()
    else:
        import run

        how = "Python API (run.py classify_api)"
        profiler.enable()
        run.work_classify_api(src, str(out), column, "100000")
        profiler.disable()
    out.unlink(missing_ok=True)
    profiler.dump_stats(str(DATA / "results" / "profile.prof"))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(int(top))
    stats.sort_stats("tottime").print_stats(int(top))
    total = stats.total_tt
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
        rows.append({"function": f"{file}:{line}({func})", "calls": nc, "own_s": tt, "cumulative_s": ct})
    rows.sort(key=lambda r: -r["cumulative_s"])
    by_cum = rows[: int(top)]
    by_own = sorted(rows, key=lambda r: -r["own_s"])[: int(top)]
    emit({"how": how, "total_s": total, "by_cumulative": by_cum, "by_own": by_own, "text": text.getvalue()})


def work_stages(src: str, column: str) -> None:
    emit(stages(Path(src), column))


def work_onenote() -> None:
    """One-note classify, split into its parts, in a fresh interpreter."""
    t = {}
    t0 = time.perf_counter()
    import classifier  # noqa: F401
    t["import classifier (sklearn, pandas, numpy)"] = time.perf_counter() - t0
    from classifier import persistence

    t0 = time.perf_counter()
    card = persistence.read_card(persistence.default_model_dir())
    persistence.check_card(card, persistence.default_model_dir())
    t["model card check (SHA-256 + versions)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = classifier.load_model()
    t["load_model (check again + joblib unpickle)"] = time.perf_counter() - t0
    from classifier.lemmas import _cue_phrases, load_nlp

    t0 = time.perf_counter()
    import spacy  # noqa: F401
    t["import spacy"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_nlp("de")
    t["load_nlp('de') (blank + lookup tables)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_nlp("en")
    t["load_nlp('en')"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _cue_phrases()
    t["cue phrases as lemma sequences"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.classify(["Diese Person war nicht der Entscheidungstraeger"])
    t["classify the note"] = time.perf_counter() - t0
    emit(t)


def importtime(args: list[str], top: int = 10) -> list[dict]:
    """Slowest packages imported by ``python -X importtime ARGS``: each package root (``pandas``,
    ``sklearn``, ``spacy`` ...) at its first import, with its cumulative time (nested: pandas
    includes numpy if it imported it first)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=REPO, capture_output=True, text=True, env=env)
    rows = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_us, cum_us, name = line[len("import time:"):].split("|", 2)
        root = name.strip().split(".")[0]
        if root == name.strip() or root not in rows:
            rows[root] = max(rows.get(root, 0.0), int(cum_us) / 1000)
    ranked = sorted(rows.items(), key=lambda kv: -kv[1])
    return [{"module": m, "cumulative_ms": ms} for m, ms in ranked[:top]]


VIEWS = ("stages", "cprofile", "coldstart")
WORKERS = {"cprofile": work_cprofile, "stages": work_stages, "onenote": work_onenote}


def worker(*args: str) -> list[str]:
    return harness.child_command(__file__, *args)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if harness.run_worker(argv, WORKERS):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("views", nargs="*", metavar="VIEW", help="stages, cprofile, coldstart (default: all three)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--mode", choices=["unique", "stamped", "repeats"], default="stamped")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3, help="Runs of the stage replay (median per stage).")
    args = parser.parse_args(argv)
    views = args.views or list(VIEWS)
    if set(views) - set(VIEWS):
        parser.error(f"got views {views} but expected some of {', '.join(VIEWS)}")
    print_machine()
    src = default_path(args.rows, args.mode)
    if not src.exists():
        make_export(args.rows, args.mode, src)
    tag = f"{args.mode}_{human(args.rows)}"
    if "stages" in views:
        runs = [run_measured(worker("stages", str(src), NOTE_COLUMN)) for _ in range(args.runs)]
        results = [r["result"] for r in runs]
        import statistics

        med = {k: statistics.median(r["stages_s"][k] for r in results) for k in results[0]["stages_s"]}
        setup = {k: statistics.median(r["setup_s"][k] for r in results) for k in results[0]["setup_s"]}
        total = sum(med.values())
        payload = {"kind": "stages", "rows": args.rows, "mode": args.mode, "stages_s": med, "setup_s": setup,
                   "total_s": total, "replay_matches_transform": results[0]["replay_matches_transform"],
                   "langs": results[0]["langs"], "distinct": results[0]["distinct"],
                   "distinct_inputs": results[0]["distinct_inputs"],
                   "loads": [r["load_before"] for r in runs], "peak_rss_mb": [r["peak_rss_mb"] for r in runs],
                   "machine": machine_info()}
        save(f"profile_stages_{tag}", payload)
        print(stage_table(payload))
    if "cprofile" in views:
        r = run_measured(worker("cprofile", str(src), NOTE_COLUMN, str(args.top)))["result"]
        (harness.RESULTS / f"profile_cprofile_{tag}.txt").write_text(r.pop("text"), encoding="utf-8")
        save(f"profile_cprofile_{tag}", {"kind": "cprofile", **r, "machine": machine_info()})
        print(f"\ncProfile ({r['how']}), total {r['total_s']:.1f} s; top by cumulative time:\n")
        print(function_table(r["by_cumulative"][: args.top]))
        print("\ntop by own time:\n")
        print(function_table(r["by_own"][: args.top]))
    if "coldstart" in views:
        onenote = [run_measured(worker("onenote"))["result"] for _ in range(3)]
        import statistics

        parts = {k: statistics.median(o[k] for o in onenote) for k in onenote[0]}
        payload = {"kind": "coldstart_profile", "onenote_s": parts,
                   "imports_help": importtime([str(CLI), "--help"]),
                   "imports_classify_text": importtime([str(CLI), "classify", "--text", "kein Budget"]),
                   "machine": machine_info()}
        save("profile_coldstart", payload)
        print("\n| one-note classify, fresh interpreter | seconds (median of 3) |\n|---|---:|")
        print("\n".join(f"| {k} | {v:.3f} |" for k, v in parts.items()))
        print("\nslowest imports of `classify --text`:", ", ".join(f"{r['module']} {r['cumulative_ms']:.0f} ms" for r in payload["imports_classify_text"][:8]))
        print("slowest imports of `--help`:", ", ".join(f"{r['module']} {r['cumulative_ms']:.0f} ms" for r in payload["imports_help"][:5]))
    return 0


def stage_table(p: dict) -> str:
    total = p["total_s"]
    lines = [f"| stage ({p['rows']:,} rows, {p['mode']}: {p['distinct']:,} distinct notes, "
             f"{p['distinct_inputs']:,} distinct model inputs) | seconds | share | notes/s alone |",
             "|---|---:|---:|---:|"]
    for name, s in p["stages_s"].items():
        rate = f"{p['rows'] / s:,.0f}" if s > 0 else "-"
        lines.append(f"| {name} | {s:.2f} | {s / total:.0%} | {rate} |")
    lines.append(f"| **total (one process, one core)** | **{total:.1f}** | 100% | **{p['rows'] / total:,.0f}** |")
    lines.append("")
    lines.append("Set-up, once per process: " + ", ".join(f"{k} {v:.2f} s" for k, v in p["setup_s"].items())
                 + f". Replay equals `NotePreprocessor.transform` on {p['replay_matches_transform']:.1%} of a 2,000-note sample.")
    return "\n".join(lines)


def function_table(rows: list[dict]) -> str:
    lines = ["| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| `{r['function']}` | {r['calls']:,} | {r['own_s']:.2f} | {r['cumulative_s']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
