"""Build an N-row CRM-like CSV export from the labelled corpus, for the benchmarks.

Two modes:

``unique``
    Every row's note is a distinct string: a corpus note with the variation reps add
    (date/initial prefixes, names, numbers, typos, case, HTML from the CRM editor), made
    distinct by more variation where needed. This is the hard case for the classifier:
    no note repeats, so de-duplication saves nothing.
``stamped``
    Every note as reps stamp it: a date, initials and a ticket number around a corpus note
    ("14.03. KE - kein Budget bis Q3 (#482913)"), no note twice. The stamps carry no reason but
    cost the tokenizer and the vocabulary the most (numbers, IDs, names).
``repeats``
    The duplication real CRMs have: a few hundred short notes ("kein Bedarf", "no answer",
    "AB", "n/a", empty ...) make up about half of all rows with a Zipf-like frequency, corpus
    notes recur verbatim or with case changes, and a quarter of the rows carry unique
    variation.

Output goes to ``benchmarks/data/`` (git-ignored) unless ``-o`` says otherwise. Deterministic
for a given ``--seed``. A small ``.json`` next to the CSV records rows, distinct notes and mode.

Examples::

    python benchmarks/make_export.py                       # 1,000,000 rows, unique mode
    python benchmarks/make_export.py -n 100000 --mode repeats
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO / "training" / "data" / "corpus.csv"
DATA = HERE / "data"
NOTE_COLUMN = "Unqualified Reason"
COLUMNS = ["Record ID", "Lead Status", "Contact owner", "Original Source", "Last Modified Date", NOTE_COLUMN]

FIRST = ["Maria", "Tom", "Jonas", "Anna", "Lukas", "Sophie", "Felix", "Laura", "Max", "Julia", "Paul",
         "Lea", "David", "Sarah", "Ben", "Emma", "Noah", "Mia", "Jan", "Lisa", "Chris", "Kate", "Mike", "Nina"]
LAST = ["Schneider", "Becker", "Wolf", "Müller", "Schmidt", "Fischer", "Weber", "Meyer", "Wagner", "Hoffmann",
        "Koch", "Richter", "Klein", "Schröder", "Neumann", "Braun", "Zimmermann", "Krüger", "Hartmann",
        "Lange", "Smith", "Johnson", "Brown", "Taylor", "Miller", "Davis", "Wilson", "Moore", "Clark"]
STATUS = ["Unqualified", "Unqualified", "Unqualified", "Disqualified", "Rejected", "Closed - Not Converted",
          "Nurture", "Abgelehnt"]
SOURCES = ["Paid Search", "Organic Search", "Webinar", "Trade Show", "Referral", "Content Download",
           "Cold Call", "LinkedIn", "Partner", "Event", "Direct Traffic", "Email Campaign"]
DE_TITLES = ["Hr.", "Herr", "Fr.", "Frau"]
EN_TITLES = ["Mr", "Mrs", "Ms", ""]
CALL_PREFIX = ["Anruf:", "Call:", "Tel.", "tel:", "Telefonat -", "Email:", "LI msg:", "Notiz:", "Note:", "SDR:", "BDR -"]
SUFFIX = ["- lead closed", "-> DQ", "/ nurture", "(siehe Telefonat)", "see call notes", "- close", "!!", "...",
          "- bitte prüfen", "- pls check", "(auto)", "#dq"]
TICKET = ["Ticket #{n}", "Ref {n}", "Case {n}", "SF-{n}", "Opp {n}"]
KEYBOARD = "qwertzuiopasdfghjklyxcvbnm"
MODES = ("unique", "stamped", "repeats")
FILLER = ["n/a", "-", "", " ", "N/A", "none", "--", "?", "k.A.", "null"]


def read_corpus(path: Path = CORPUS) -> list[str]:
    """The corpus notes (``text`` column), in file order."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def typo(text: str, rng: random.Random) -> str:
    """One keyboard-style typo: swap, drop, double or replace a letter inside a word."""
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(positions) < 4:
        return text
    i = rng.choice(positions[1:-1])
    kind = rng.random()
    if kind < 0.3 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.55:
        return text[:i] + text[i + 1 :]
    if kind < 0.75:
        return text[:i] + text[i] + text[i:]
    return text[:i] + rng.choice(KEYBOARD) + text[i + 1 :]


def recase(text: str, rng: random.Random) -> str:
    """Lower, upper or sentence case, as reps type."""
    kind = rng.random()
    if kind < 0.45:
        return text.lower()
    if kind < 0.6:
        return text.upper()
    return text[:1].upper() + text[1:]


def person(rng: random.Random) -> str:
    """A contact person as a rep writes it: 'Hr. Maier', 'Frau Kessler', 'Tom', 'Ms Brown'."""
    titles = DE_TITLES if rng.random() < 0.6 else EN_TITLES
    return f"{rng.choice(titles)} {rng.choice(LAST)}".strip() if rng.random() < 0.7 else rng.choice(FIRST)


def stamp(day: date, rng: random.Random) -> str:
    """A date prefix in one of the forms reps use."""
    kind = rng.random()
    if kind < 0.4:
        return day.strftime("%d.%m.")
    if kind < 0.6:
        return day.strftime("%d.%m.%Y")
    if kind < 0.8:
        return day.isoformat()
    return day.strftime("%m/%d")


def initials(rng: random.Random) -> str:
    return rng.choice(FIRST)[0] + rng.choice(LAST)[0]


def vary(text: str, day: date, rng: random.Random, strength: float = 1.0) -> str:
    """A corpus note with the noise real CRM notes carry; ``strength`` scales how much."""
    p = lambda x: rng.random() < x * strength  # noqa: E731 (local shorthand)
    if p(0.25):
        text = typo(text, rng)
    if p(0.1):
        text = typo(text, rng)
    if p(0.2):
        text = recase(text, rng)
    if p(0.35):
        text = f"{person(rng)}: {text}" if rng.random() < 0.5 else f"{text} ({person(rng)})"
    if p(0.2):
        n = rng.randint(2, 7)
        text += rng.choice([f", {n}x versucht", f", tried {n} times", f" x{n}", f" ({n} Versuche)", f", {n} calls"])
    if p(0.1):
        text += ", " + rng.choice(TICKET).format(n=rng.randint(1000, 999999))
    if p(0.1):
        text += " " + rng.choice(SUFFIX)
    if p(0.15):
        text = f"{rng.choice(CALL_PREFIX)} {text}"
    if p(0.45):
        text = f"{stamp(day, rng)} {initials(rng)} - {text}" if rng.random() < 0.6 else f"{stamp(day, rng)} {text}"
    if p(0.04):
        text = f"<p>{text}</p>" if rng.random() < 0.7 else text.replace(", ", "<br>", 1)
    if p(0.03):
        text = text.replace(", ", "\n", 1)
    return text


def frequent_notes(corpus: list[str], rng: random.Random, k: int = 300) -> tuple[list[str], list[float]]:
    """The notes a CRM is full of, with Zipf-like weights: short corpus notes plus placeholders."""
    short = sorted({t for t in corpus if len(t) <= 24})
    rng.shuffle(short)
    head = ["kein Bedarf", "no answer", "nicht erreicht", "kein Interesse", "AB", "voicemail", "no budget",
            "not interested", "kein Budget", "Duplikat", "zu früh", "n/a", "", "-"]
    pool = list(dict.fromkeys(head + short))[:k]
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(pool))]
    return pool, weights


def notes(n: int, mode: str, corpus: list[str], rng: random.Random, days: list[date]):
    """Yield ``n`` notes for ``mode`` (``unique`` or ``repeats``)."""
    if mode == "unique":
        seen: set[str] = set()
        for i in range(n):
            text = vary(rng.choice(corpus), days[i], rng)
            strength = 1.0
            while text in seen:  # make it distinct with more of the same kind of variation
                strength += 0.5
                text = vary(text, days[i], rng, strength)
                if strength > 4:
                    text = f"{text} #{rng.randint(10**5, 10**7)}"
            seen.add(text)
            yield text
        return
    if mode == "stamped":
        seen = set()
        for i in range(n):
            text = f"{days[i].strftime('%d.%m.')} {initials(rng)} - {rng.choice(corpus)} (#{rng.randrange(100000, 1000000)})"
            while text in seen:
                text = f"{days[i].strftime('%d.%m.')} {initials(rng)} - {rng.choice(corpus)} (#{rng.randrange(100000, 1000000)})"
            seen.add(text)
            yield text
        return
    pool, weights = frequent_notes(corpus, rng)
    cum = list(_accumulate(weights))
    for i in range(n):
        r = rng.random()
        if r < 0.03:
            yield rng.choice(FILLER)
        elif r < 0.50:
            yield rng.choices(pool, cum_weights=cum)[0]
        elif r < 0.65:
            yield rng.choice(corpus)
        elif r < 0.75:
            yield vary(rng.choice(corpus), days[i], rng, strength=0.4)
        else:
            yield vary(rng.choice(corpus), days[i], rng)


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def human(n: int) -> str:
    """100000 -> '100k', 1000000 -> '1M'."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def default_path(n: int, mode: str) -> Path:
    return DATA / f"export_{mode}_{human(n)}.csv"


def make_export(n: int, mode: str, out: Path, seed: int = 0, corpus_path: Path = CORPUS) -> dict:
    """Write the export and its ``.json`` summary; return the summary."""
    if mode not in MODES:
        raise ValueError(f"Got mode {mode!r} but expected one of {MODES}.")
    rng = random.Random(seed)
    corpus = read_corpus(corpus_path)
    start = date(2023, 1, 2)
    span = 4 * 365
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n))
    owners = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(40)]
    out.parent.mkdir(parents=True, exist_ok=True)
    distinct: set[str] = set()
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        record = 1_000_000 + rng.randrange(1_000_000)
        for i, note in enumerate(notes(n, mode, corpus, rng, days)):
            distinct.add(note)
            writer.writerow([record + i, rng.choice(STATUS), rng.choice(owners), rng.choice(SOURCES),
                             days[i].isoformat(), note])
    tmp.replace(out)
    summary = {"rows": n, "distinct_notes": len(distinct), "mode": mode, "seed": seed,
               "note_column": NOTE_COLUMN, "bytes": out.stat().st_size}
    out.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=1_000_000, help="Rows to write (default 1,000,000).")
    parser.add_argument("--mode", choices=MODES, default="unique")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="CSV path (default benchmarks/data/export_MODE_N.csv).")
    args = parser.parse_args(argv)
    out = args.output or default_path(args.rows, args.mode)
    t0 = time.perf_counter()
    summary = make_export(args.rows, args.mode, out, seed=args.seed)
    print(f"wrote {out} ({summary['rows']} rows, {summary['distinct_notes']} distinct notes, "
          f"{summary['bytes'] / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
