"""Check the bundled corpus and test set: label counts per language, duplicates, near-duplicates.

Usage: python -m training.check_corpus [FILE ...]   (default: corpus.csv and independent_test.csv)
Exits 1 and lists the problems when a check fails.
"""

from __future__ import annotations

import sys

import pandas as pd

from .corpus import CORPUS_FILE, MIN_PER_LABEL_LANG, TEST_FILE, check_corpus, data_path

MIN_TEST_PER_LABEL_LANG = 50


def main(argv: list[str]) -> int:
    targets = argv or [str(data_path(CORPUS_FILE)), str(data_path(TEST_FILE))]
    failed = False
    for path in targets:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        minimum = MIN_TEST_PER_LABEL_LANG if path.endswith(TEST_FILE) else MIN_PER_LABEL_LANG
        problems = check_corpus(frame, min_per_label_lang=minimum)
        print(f"{path}: {len(frame)} notes, {'OK' if not problems else f'{len(problems)} problems'}")
        for problem in problems:
            print(f"  - {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
