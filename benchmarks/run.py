"""Measure Rejection Radar: end-to-end classify, preprocessing, training, cold start.

Each measurement runs in a fresh process, ``--runs`` times (default 3); the median, min and
max go to ``benchmarks/data/results/NAME.json`` and a one-line summary to stderr. Machine info
(CPU, cores, load, Python and library versions, a fingerprint of the classifier code) is
printed first and stored with every result. ``report`` renders all stored results as the
Markdown tables of ``benchmarks/RESULTS.md``.

Examples::

    python benchmarks/run.py ceiling            # 1M stamped/unique/repeats: CLI against spaCy's tokenizer ceiling
    python benchmarks/run.py e2e --rows 100000 1000000 --modes unique repeats
    python benchmarks/run.py streamreport       # `report` on a 1M-row stamped export: wall, tree memory
    python benchmarks/run.py preprocess
    python benchmarks/run.py train
    python benchmarks/run.py coldstart --runs 7
    python benchmarks/run.py report > /tmp/tables.md

``e2e --via auto`` (default) drives the real CLI (``cli.py classify IN -o OUT``) when it can
classify ``examples/crm_export.csv``; otherwise it falls back to the Python API (pandas reads
the CSV in chunks, ``classify_notes`` per chunk, pandas writes the CSV) and says so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import harness
from harness import DATA, REPO, emit, machine_info, print_machine, run_measured, save, summarise
from make_export import NOTE_COLUMN, default_path, human, make_export

CLI = REPO / "cli.py"
ONE_NOTE = "Diese Person war nicht der Entscheidungstraeger, Chef entscheidet"


def ensure_export(rows: int, mode: str) -> Path:
    path = default_path(rows, mode)
    if not path.exists():
        print(f"building {path.relative_to(REPO)}", file=sys.stderr)
        make_export(rows, mode, path)
    return path


def worker(name: str, *args: str) -> list[str]:
    """Command line that runs ``name`` in a fresh interpreter (this one)."""
    return [sys.executable, str(Path(__file__).resolve()), "_work", name, *args]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- workers (run in a child)

def work_classify_api(src: str, dst: str, column: str, chunk_rows: str) -> None:
    """CSV in, CSV out through the Python API, chunk by chunk (as the CLI streams)."""
    t0 = time.perf_counter()
    import pandas as pd

    from classifier import classify_notes, load_model

    model = load_model()
    t_load = time.perf_counter() - t0
    times = {"read": 0.0, "classify": 0.0, "write": 0.0}
    rows = 0
    mark = time.perf_counter()
    reader = pd.read_csv(src, dtype=str, keep_default_na=False, chunksize=int(chunk_rows))
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        for i, chunk in enumerate(reader):
            now = time.perf_counter(); times["read"] += now - mark; mark = now
            predictions = classify_notes(chunk[column].tolist(), model)
            predictions.index = chunk.index
            now = time.perf_counter(); times["classify"] += now - mark; mark = now
            pd.concat([chunk, predictions], axis=1).to_csv(fh, header=i == 0, index=False)
            rows += len(chunk)
            now = time.perf_counter(); times["write"] += now - mark; mark = now
    emit({"rows": rows, "load_model_s": t_load, **{f"{k}_s": v for k, v in times.items()}})


def work_preprocess(src: str, column: str) -> None:
    """NotePreprocessor.transform alone on the export's notes, after a tiny warm-up."""
    import pandas as pd

    from classifier.preprocess import NotePreprocessor

    notes = pd.read_csv(src, dtype=str, keep_default_na=False)[column].tolist()
    t0 = time.perf_counter()
    prep = NotePreprocessor()
    prep.fit(["kein Budget", "no answer"]).transform(["kein Budget", "no answer"])  # loads spaCy + matcher
    t_warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = prep.transform(notes)
    elapsed = time.perf_counter() - t0
    emit({"notes": len(notes), "distinct": len(set(notes)), "seconds": elapsed, "warmup_s": t_warm, "n_out": len(out)})


def work_tokenizer(src: str, column: str, what: str) -> None:
    """Reference ceiling: spaCy's own speed on the same notes (one language, no masking).

    ``what``: ``tokenizer`` (``spacy.blank("de").tokenizer.pipe``) or ``lemmatizer``
    (``nlp.pipe`` with the lookup lemmatizer, as the issue measured).
    """
    import pandas as pd
    import spacy

    notes = pd.read_csv(src, dtype=str, keep_default_na=False)[column].tolist()
    nlp = spacy.blank("de")
    if what == "lemmatizer":
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        run = nlp.pipe
    else:
        run = nlp.tokenizer.pipe
    t0 = time.perf_counter()
    n_tokens = sum(len(doc) for doc in run(notes, batch_size=1000))
    emit({"notes": len(notes), "seconds": time.perf_counter() - t0, "tokens": n_tokens})


def work_tokenizer_part(src: str, column: str, part: str, parts: str) -> None:
    """spaCy's tokenizer alone (``spacy.blank("de").tokenizer.pipe``) on every ``parts``-th note from ``part``.

    Run once per core at the same time: the wall time of the slowest is the tokenizer ceiling
    of the machine, the speed no classify path that tokenises every note with spaCy can beat.
    """
    import pandas as pd
    import spacy

    notes = pd.read_csv(src, dtype=str, keep_default_na=False)[column].tolist()[int(part)::int(parts)]
    tokenizer = spacy.blank("de").tokenizer
    t0 = time.perf_counter()
    n_tokens = sum(len(doc) for doc in tokenizer.pipe(notes, batch_size=1000))
    emit({"notes": len(notes), "seconds": time.perf_counter() - t0, "tokens": n_tokens})


def work_read(src: str) -> None:
    """Read a whole export with the tool's reader (sniffing, roles, checks), as every command does."""
    t0 = time.perf_counter()
    from classifier.exports import open_export

    rows = 0
    with open_export(src) as reader:
        for chunk in reader:
            rows += len(chunk.frame)
    emit({"rows": rows, "seconds": time.perf_counter() - t0})


def work_train(cv: str) -> None:
    """train_model on the full corpus (``cv`` folds of cross-validation first, as ``train`` does)."""
    import pandas as pd

    from training.train import train_model

    corpus = pd.read_csv(REPO / "training" / "data" / "corpus.csv", dtype=str, keep_default_na=False)
    t0 = time.perf_counter()
    model = train_model(corpus["text"].tolist(), corpus["label"].tolist(), cv=int(cv))
    emit({"seconds": time.perf_counter() - t0, "n": len(corpus), "cv_macro_f1": model.card.get("cv", {}).get("macro_f1")})


WORKERS = {"classify_api": work_classify_api, "preprocess": work_preprocess, "tokenizer": work_tokenizer,
           "tokenizer_part": work_tokenizer_part, "train": work_train, "read": work_read}


# ---------------------------------------------------------------- measurements (parent)

def cli_works() -> tuple[bool, str]:
    """Can ``cli.py classify FILE -o OUT`` classify the example export?"""
    if not (REPO / "classifier" / "exports" / "reader.py").exists():
        return False, "classifier/exports/reader.py is missing, so `classify FILE` cannot read files yet"
    out = DATA / "cli_check.csv"
    try:
        run_measured([sys.executable, str(CLI), "classify", str(REPO / "examples" / "crm_export.csv"), "-o", str(out)])
    except RuntimeError as e:
        return False, f"`cli.py classify examples/crm_export.csv` failed: {str(e).splitlines()[-1]}"
    return True, "cli"


def count_rows(path: Path) -> int:
    import pandas as pd

    return sum(len(c) for c in pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=200_000, usecols=[0]))


def e2e_command(via: str, src: Path, dst: Path, jobs: int, chunk_rows: int) -> list[str]:
    if via == "api":
        return worker("classify_api", str(src), str(dst), NOTE_COLUMN, str(chunk_rows))
    cmd = [sys.executable, str(CLI), "classify", str(src), "-o", str(dst), "--text-column", NOTE_COLUMN]
    return cmd + (["--jobs", str(jobs)] if jobs else [])


def measure_e2e(args) -> None:
    via, why = args.via, ""
    if via == "auto":
        ok, why = cli_works()
        via = "cli" if ok else "api"
        if not ok:
            say(f"note: measuring through the Python API: {why}")
    for rows in args.rows:
        for mode in args.modes:
            for jobs in args.jobs if via == "cli" else [0]:
                measure_e2e_one(args, via, why, rows, mode, jobs)


def measure_e2e_one(args, via: str, why: str, rows: int, mode: str, jobs: int) -> None:
    src = ensure_export(rows, mode)
    dst = DATA / f"out_{mode}_{human(rows)}.csv"
    cmd = e2e_command(via, src, dst, jobs, args.chunk_rows)
    tag = f"e2e_{mode}_{human(rows)}" + (f"_j{jobs}" if jobs else "")
    runs = []
    for i in range(args.runs):
        r = run_measured(cmd)
        r["notes_per_s"] = rows / r["wall_s"]
        runs.append(r)
        say(f"{tag} via {via} run {i + 1}: {r['wall_s']:.1f} s, {r['notes_per_s']:,.0f} notes/s, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB, tree PSS {r['peak_tree_pss_mb']:.0f} MB, load {r['load_before']}")
    written = count_rows(dst)
    summary = json.loads(src.with_suffix(".json").read_text())
    save(tag, {
        "kind": "e2e", "via": via, "why": why, "rows": rows, "mode": mode, "jobs": jobs or "default",
        "distinct_notes": summary["distinct_notes"], "rows_written": written,
        "chunk_rows": args.chunk_rows if via == "api" else None,
        "wall_s": summarise([r["wall_s"] for r in runs]),
        "notes_per_s": summarise([r["notes_per_s"] for r in runs]),
        "peak_rss_mb": summarise([r["peak_rss_mb"] for r in runs]),
        "peak_tree_pss_mb": summarise([r["peak_tree_pss_mb"] for r in runs]),
        "runs": runs, "machine": machine_info(),
    })
    dst.unlink(missing_ok=True)


def measure_ceiling(args) -> None:
    """The 1M exports (benchmark's own and stamped), spaCy's two-core tokenizer ceiling on each,
    and the CLI on the same notes: wall, notes/s, ratio to the ceiling, peak tree memory."""
    import os
    import subprocess

    cores = os.cpu_count() or 1
    for mode in args.modes:
        src = ensure_export(args.rows, mode)
        procs = [subprocess.Popen(worker("tokenizer_part", str(src), NOTE_COLUMN, str(i), str(cores)), cwd=REPO,
                                  stdout=subprocess.PIPE, text=True) for i in range(cores)]
        outputs = [p.communicate()[0] for p in procs]
        parts = [json.loads(next(line[len(harness.RESULT_PREFIX):] for line in out.splitlines()[::-1]
                                 if line.startswith(harness.RESULT_PREFIX))) for out in outputs]
        ceiling_s = max(part["seconds"] for part in parts)
        runs = [run_measured(e2e_command("cli", src, DATA / f"out_{mode}.csv", 0, 0)) for _ in range(args.runs)]
        walls = [r["wall_s"] for r in runs]
        wall = summarise(walls)["median"]
        result = {
            "kind": "ceiling", "rows": args.rows, "mode": mode, "cores": cores,
            "tokenizer_s": ceiling_s, "tokenizer_notes_per_s": args.rows / ceiling_s,
            "cli_wall_s": summarise(walls), "cli_notes_per_s": args.rows / wall, "ratio": ceiling_s / wall,
            "peak_tree_pss_mb": summarise([r["peak_tree_pss_mb"] for r in runs]),
            "peak_rss_mb": summarise([r["peak_rss_mb"] for r in runs]), "machine": machine_info(),
            "cpu_s": summarise([r["user_s"] + r["sys_s"] for r in runs]),  # the CLI and its reaped workers
        }
        save(f"ceiling_{mode}_{human(args.rows)}", result)
        (DATA / f"out_{mode}.csv").unlink(missing_ok=True)
        say(f"{mode} {args.rows:,}: tokenizer alone on {cores} cores {ceiling_s:.1f} s "
            f"({result['tokenizer_notes_per_s']:,.0f} notes/s); CLI classify median {wall:.1f} s "
            f"({result['cli_notes_per_s']:,.0f} notes/s, runs {', '.join(f'{w:.1f}' for w in walls)}); "
            f"{result['ratio']:.2f} of the ceiling; peak tree PSS {result['peak_tree_pss_mb']['median']:.0f} MB; "
            f"{result['cpu_s']['median']:.0f} CPU-s (CLI and workers)")


def ensure_xlsx(rows: int) -> Path:
    """An XLSX copy of the first ``rows`` rows of the stamped export (openpyxl, write-only)."""
    import csv

    from openpyxl import Workbook

    path = DATA / f"export_stamped_{human(rows)}.xlsx"
    if not path.exists():
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Leads")
        with ensure_export(1_000_000, "stamped").open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                if i > rows:
                    break
                sheet.append(row)
        book.save(path)
    return path


def measure_read(args) -> None:
    """Reading a 100k-row XLSX and the same rows as CSV: the whole export through ``open_export``."""
    xlsx = ensure_xlsx(args.rows)
    for path in (xlsx,):
        runs = [run_measured(worker("read", str(path))) for _ in range(args.runs)]
        seconds = [r["result"]["seconds"] for r in runs]
        save(f"read_{path.suffix[1:]}_{human(args.rows)}", {"kind": "read", "rows": args.rows, "format": path.suffix[1:],
                                                           "seconds": summarise(seconds), "machine": machine_info()})
        say(f"read {path.name}: median {summarise(seconds)['median']:.2f} s (runs {', '.join(f'{x:.2f}' for x in seconds)})")


def measure_streamreport(args) -> None:
    """`cli.py report` on an N-row export (HTML out): wall seconds and peak tree PSS of the CLI and workers."""
    src = ensure_export(args.rows, args.mode)
    out = DATA / "streamreport.html"
    runs = [run_measured([sys.executable, str(CLI), "report", str(src), "-o", str(out)]) for _ in range(args.runs)]
    out.unlink(missing_ok=True)
    result = {"kind": "streamreport", "rows": args.rows, "mode": args.mode,
              "wall_s": summarise([r["wall_s"] for r in runs]),
              "peak_tree_pss_mb": summarise([r["peak_tree_pss_mb"] for r in runs]), "machine": machine_info()}
    save(f"streamreport_{args.mode}_{human(args.rows)}", result)
    say(f"report on {args.rows:,} {args.mode} rows: median {result['wall_s']['median']:.1f} s, "
        f"peak tree PSS {result['peak_tree_pss_mb']['median']:.0f} MB")


def measure_history(args) -> None:
    """`ingest` of a 1M-row export into a fresh SQLite history, then `report --db`: time, size, memory."""
    src = ensure_export(args.rows, args.mode)
    db = DATA / f"history_{args.mode}_{human(args.rows)}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    ingest = run_measured([sys.executable, str(CLI), "ingest", str(src), "--db", str(db), "--text-column", NOTE_COLUMN])
    size = sum(Path(str(db) + suffix).stat().st_size for suffix in ("", "-wal") if Path(str(db) + suffix).exists())
    again = run_measured([sys.executable, str(CLI), "ingest", str(src), "--db", str(db), "--text-column", NOTE_COLUMN])
    report_run = run_measured([sys.executable, str(CLI), "report", "--db", str(db), "-o", str(DATA / "history_report.json")])
    result = {"kind": "history", "rows": args.rows, "mode": args.mode, "ingest_s": ingest["wall_s"],
              "ingest_tree_pss_mb": ingest["peak_tree_pss_mb"], "db_mb": size / 1e6, "reingest_s": again["wall_s"],
              "report_s": report_run["wall_s"], "report_peak_rss_mb": report_run["peak_rss_mb"], "machine": machine_info()}
    save(f"history_{args.mode}_{human(args.rows)}", result)
    say(f"ingest {args.rows:,} {args.mode} rows: {ingest['wall_s']:.1f} s, tree PSS {ingest['peak_tree_pss_mb']:.0f} MB, "
        f"database {size / 1e6:.0f} MB; the same file again {again['wall_s']:.1f} s (nothing changes); "
        f"report --db {report_run['wall_s']:.1f} s, peak RSS {report_run['peak_rss_mb']:.0f} MB")


def measure_preprocess(args) -> None:
    for mode in args.modes:
        src = ensure_export(args.rows, mode)
        jobs = [("preprocess", worker("preprocess", str(src), NOTE_COLUMN))]
        if mode == "unique":
            jobs += [(f"spacy_{w}", worker("tokenizer", str(src), NOTE_COLUMN, w)) for w in ("tokenizer", "lemmatizer")]
        for name, cmd in jobs:
            runs = []
            for i in range(args.runs):
                r = run_measured(cmd)
                r["notes_per_s"] = r["result"]["notes"] / r["result"]["seconds"]
                runs.append(r)
                say(f"{name} {mode} {human(args.rows)} run {i + 1}: {r['notes_per_s']:,.0f} notes/s "
                    f"({r['result']['seconds']:.1f} s), load {r['load_before']}")
            save(f"{name}_{mode}_{human(args.rows)}", {
                "kind": name, "rows": args.rows, "mode": mode,
                "notes_per_s": summarise([r["notes_per_s"] for r in runs]),
                "seconds": summarise([r["result"]["seconds"] for r in runs]),
                "peak_rss_mb": summarise([r["peak_rss_mb"] for r in runs]),
                "runs": runs, "machine": machine_info(),
            })


def measure_train(args) -> None:
    for cv in args.cv:
        runs = []
        for i in range(args.runs):
            r = run_measured(worker("train", str(cv)))
            runs.append(r)
            say(f"train cv={cv} run {i + 1}: {r['result']['seconds']:.1f} s in train_model, "
                f"{r['wall_s']:.1f} s with start-up, load {r['load_before']}")
        save(f"train_cv{cv}", {
            "kind": "train", "cv": cv,
            "seconds": summarise([r["result"]["seconds"] for r in runs]),
            "wall_s": summarise([r["wall_s"] for r in runs]),
            "peak_rss_mb": summarise([r["peak_rss_mb"] for r in runs]),
            "runs": runs, "machine": machine_info(),
        })


COLDSTART = {
    "python -c pass": ["-c", "pass"],
    "cli.py --help": [str(CLI), "--help"],
    "cli.py classify --text": [str(CLI), "classify", "--text", ONE_NOTE],
    "cli.py classify --text, first call for the model": [str(CLI), "classify", "--text", ONE_NOTE],
}
FIRST_CALL = "first call"  # runs in an empty Rejection Radar folder: no compact scorer cached yet


def measure_coldstart(args) -> None:
    import tempfile

    for name, tail in COLDSTART.items():
        cmd = [sys.executable, *tail]
        home = (lambda: {"REJECTION_RADAR_HOME": tempfile.mkdtemp(prefix="radar-home-")}) if FIRST_CALL in name else (lambda: None)
        run_measured(cmd, env=home())  # warm the OS file cache once; cold means a fresh interpreter, not a cold disk
        runs = [run_measured(cmd, env=home(), sample=0.05) for _ in range(args.runs)]
        say(f"{name}: median {summarise([r['wall_s'] for r in runs])['median']:.3f} s")
        save("coldstart_" + name.replace(" ", "_").replace("-", "").replace(".", "_").replace(",", ""), {
            "kind": "coldstart", "command": name,
            "wall_s": summarise([r["wall_s"] for r in runs]),
            "peak_rss_mb": summarise([r["peak_rss_mb"] for r in runs]),
            "runs": runs, "machine": machine_info(),
        })


# ---------------------------------------------------------------- report

def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _range(s: dict, digits: int = 1) -> str:
    return f"{_fmt(s['median'], digits)} ({_fmt(s['min'], digits)}-{_fmt(s['max'], digits)})"


def report(args) -> None:
    results = sorted(harness.RESULTS.glob("*.json"))
    found = {p.stem: json.loads(p.read_text()) for p in results}
    lines = []
    e2e = [v for k, v in found.items() if k.startswith("e2e_")]
    if e2e:
        lines += ["| rows | mode | distinct notes | via | jobs | wall s, median (min-max) | notes/s | peak RSS MB | peak tree PSS MB | load before runs |",
                  "|---:|---|---:|---|---|---:|---:|---:|---:|---|"]
        for v in sorted(e2e, key=lambda v: (v["rows"], v["mode"], str(v.get("jobs")))):
            loads = ", ".join(str(r["load_before"]) for r in v["runs"])
            via = "CLI" if v["via"] == "cli" else "Python API"
            lines.append(f"| {v['rows']:,} | {v['mode']} | {v['distinct_notes']:,} | {via} | {v.get('jobs', 'default')} | {_range(v['wall_s'])} | "
                         f"{_fmt(v['notes_per_s']['median'])} | {_fmt(v['peak_rss_mb']['median'])} | "
                         f"{_fmt(v['peak_tree_pss_mb']['median'])} | {loads} |")
        lines.append("")
    pre = [v for k, v in found.items() if k.startswith(("preprocess_", "spacy_"))]
    if pre:
        lines += ["| step | notes | mode | notes/s, median (min-max) | seconds | load before runs |", "|---|---:|---|---:|---:|---|"]
        for v in sorted(pre, key=lambda v: (v["mode"], v["kind"])):
            loads = ", ".join(str(r["load_before"]) for r in v["runs"])
            lines.append(f"| {v['kind']} | {v['rows']:,} | {v['mode']} | {_range(v['notes_per_s'], 0)} | "
                         f"{_fmt(v['seconds']['median'], 1)} | {loads} |")
        lines.append("")
    train = [v for k, v in found.items() if k.startswith("train_")]
    cold = [v for k, v in found.items() if k.startswith("coldstart_")]
    if train or cold:
        lines += ["| what | seconds, median (min-max) | peak RSS MB | runs | load before runs |", "|---|---:|---:|---:|---|"]
        for v in sorted(train, key=lambda v: -v["cv"]):
            what = f"train_model on corpus.csv, {v['cv']}-fold CV + final fit" if v["cv"] else "train_model, final fit only (cv=0)"
            loads = ", ".join(str(r["load_before"]) for r in v["runs"])
            lines.append(f"| {what} | {_range(v['seconds'])} | {_fmt(v['peak_rss_mb']['median'])} | {v['seconds']['runs']} | {loads} |")
        for v in cold:
            loads = ", ".join(str(r["load_before"]) for r in v["runs"])
            lines.append(f"| `{v['command']}` (fresh interpreter) | {_range(v['wall_s'], 3)} | {_fmt(v['peak_rss_mb']['median'])} | "
                         f"{v['wall_s']['runs']} | {loads} |")
        lines.append("")
    if found:
        info = next(iter(found.values()))["machine"]
        lines.append(f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; "
                     + ", ".join(f"{k} {x}" for k, x in info["versions"].items()) + f"; code {info['code']}.")
    print("\n".join(lines))


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "_work":
        WORKERS[argv[1]](*argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("e2e", help="CSV in, CSV out: notes/s and peak RSS.")
    p.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--modes", nargs="+", choices=["unique", "stamped", "repeats"], default=["unique", "repeats"])
    p.add_argument("--via", choices=["auto", "cli", "api"], default="auto")
    p.add_argument("--chunk-rows", type=int, default=100_000, help="Rows per chunk in the API fallback.")
    p.add_argument("--jobs", type=int, nargs="+", default=[0], help="CLI --jobs values to measure (0: the CLI's default).")
    p.add_argument("--runs", type=int, default=3)
    p.set_defaults(func=measure_e2e)
    p = sub.add_parser("ceiling", help="1M exports, spaCy's two-core tokenizer ceiling and the CLI on the same notes.")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--modes", nargs="+", choices=["unique", "stamped", "repeats"], default=["stamped", "unique", "repeats"])
    p.add_argument("--runs", type=int, default=3)
    p.set_defaults(func=measure_ceiling)
    p = sub.add_parser("streamreport", help="`report` on a 1M-row export: wall and peak tree memory.")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--mode", choices=["unique", "stamped", "repeats"], default="stamped")
    p.add_argument("--runs", type=int, default=1)
    p.set_defaults(func=measure_streamreport)
    p = sub.add_parser("history", help="ingest a 1M-row export into SQLite, re-ingest it, report --db.")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--mode", choices=["unique", "stamped", "repeats"], default="stamped")
    p.set_defaults(func=measure_history)
    p = sub.add_parser("read", help="Reading a 100k-row XLSX export (open_export, all chunks).")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    p.set_defaults(func=measure_read)
    p = sub.add_parser("preprocess", help="NotePreprocessor.transform alone, and spaCy's tokenizer for reference.")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--modes", nargs="+", choices=["unique", "repeats"], default=["unique", "repeats"])
    p.add_argument("--runs", type=int, default=3)
    p.set_defaults(func=measure_preprocess)
    p = sub.add_parser("train", help="Training time on the full corpus.")
    p.add_argument("--cv", type=int, nargs="+", default=[5, 0], help="Cross-validation folds (0: final fit only).")
    p.add_argument("--runs", type=int, default=3)
    p.set_defaults(func=measure_train)
    p = sub.add_parser("coldstart", help="cli.py --help and classify --text in a fresh interpreter.")
    p.add_argument("--runs", type=int, default=7)
    p.set_defaults(func=measure_coldstart)
    p = sub.add_parser("report", help="Markdown tables of all stored results.")
    p.set_defaults(func=report)
    args = parser.parse_args(argv)
    if args.command != "report":
        print_machine()
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
