"""Merge hand-written batch files into one corpus file, dropping duplicates and near-duplicates.

Usage: python -m training.build_corpus OUT.csv BATCH.csv [BATCH.csv ...]

Each batch is a CSV with ``text,label,lang,secondary_label`` written by one writer persona;
the batch's file stem is kept in a ``source`` column. Within a label, a note whose character
3-gram Jaccard similarity to an earlier note is >= 0.8 is dropped (the first one stays).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .corpus import near_duplicates

COLUMNS = ["text", "label", "lang", "secondary_label", "source"]


def merge_batches(paths: list[str | Path]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Concatenated batches without exact or near duplicates, and how many rows each rule dropped."""
    frames = []
    for path in paths:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["source"] = Path(path).stem
        frames.append(frame.reindex(columns=COLUMNS, fill_value=""))
    merged = pd.concat(frames, ignore_index=True)
    merged["text"] = merged["text"].str.strip()
    merged = merged[merged["text"] != ""]
    for column in ("label", "lang", "secondary_label"):
        merged[column] = merged[column].str.strip()
    merged.loc[merged["secondary_label"] == merged["label"], "secondary_label"] = ""
    before = len(merged)
    merged = merged.drop_duplicates("text", keep="first")
    dropped = {"exact": before - len(merged), "near": 0}
    keep = pd.Series(True, index=merged.index)
    for _, group in merged.groupby("label"):
        for i, j, _sim in near_duplicates(group["text"].tolist()):
            if keep[group.index[i]]:
                keep[group.index[j]] = False
    dropped["near"] = int((~keep).sum())
    return merged[keep].reset_index(drop=True), dropped


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, batches = argv[0], sorted(argv[1:])
    merged, dropped = merge_batches(batches)
    merged.to_csv(out, index=False)
    print(f"{len(merged)} notes from {len(batches)} batches -> {out}; dropped {dropped['exact']} exact and {dropped['near']} near duplicates")
    print(merged.groupby(["label", "lang"]).size().unstack(fill_value=0).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
