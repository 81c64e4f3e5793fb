"""Check the bundled corpus and test set: label counts per language, duplicates, near-duplicates.

Usage::

    python -m training.check_corpus [FILE ...]      (default: corpus.csv and independent_test.csv)
    python -m training.check_corpus --against REF.csv [--threshold 0.6] [FILE ...]

Exits 1 and lists the problems when a check fails. With ``--against``, the files are instead
checked for notes close to a reference file (character 3-gram Jaccard >= ``--threshold``), e.g.
the real-phrases development set, which must never leak into training data.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from .corpus import CORPUS_FILE, MIN_PER_LABEL_LANG, TEST_FILE, check_corpus, data_path, near_copies

MIN_TEST_PER_LABEL_LANG = 50


def close_to(texts: list[str], reference: list[str], threshold: float) -> list[tuple[str, str, float]]:
    """``(text, reference text, similarity)`` for every text within ``threshold`` of a reference text."""
    return [(texts[i], reference[j], s) for i, j, s in near_copies(texts, reference, threshold)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.check_corpus")
    parser.add_argument("files", nargs="*")
    parser.add_argument("--against", help="reference CSV (column text): report notes close to its rows")
    parser.add_argument("--threshold", type=float, default=0.6)
    args = parser.parse_args(argv)
    targets = args.files or [str(data_path(CORPUS_FILE)), str(data_path(TEST_FILE))]
    failed = False
    for path in targets:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if args.against:
            reference = pd.read_csv(args.against, dtype=str, keep_default_na=False)["text"].tolist()
            problems = [f"{s:.2f}: {a!r} ~ {b!r}" for a, b, s in close_to(frame["text"].tolist(), reference, args.threshold)]
        else:
            minimum = MIN_TEST_PER_LABEL_LANG if path.endswith(TEST_FILE) else MIN_PER_LABEL_LANG
            problems = check_corpus(frame, min_per_label_lang=minimum)
        print(f"{path}: {len(frame)} notes, {'OK' if not problems else f'{len(problems)} problems'}")
        for problem in problems:
            print(f"  - {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
