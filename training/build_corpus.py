"""Merge hand-written batch files into one corpus file, dropping duplicates and near-duplicates.

Usage: python -m training.build_corpus OUT.csv BATCH.csv [BATCH.csv ...] [--exclude CORPUS.csv]

Each batch is a CSV with ``text,label,lang,secondary_label[,register]`` written by one writer
persona from a brief in ``training/briefs/``; the batch's file stem is kept in a ``source``
column (a file that already has one, such as an earlier merged corpus, keeps its own).
``register`` says whose voice a note is in (``rep_note``, ``buyer_quote``, ``formal``,
``summary``, ``article``); batches without it are rep notes. Within a label, a note whose character
3-gram Jaccard similarity to an earlier note is >= 0.8 is dropped (the first one stays).
With ``--exclude`` (used for the independent test set), notes that are exact or near copies of
a note in that file are dropped too, so test figures come from notes the model never saw.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .corpus import near_duplicates, overlapping

COLUMNS = ["text", "label", "lang", "secondary_label", "register", "source"]
DEFAULT_REGISTER = "rep_note"


def merge_batches(paths: list[str | Path], exclude: list[str] | None = None) -> tuple[pd.DataFrame, dict[str, int]]:
    """Concatenated batches without exact or near duplicates, and how many rows each rule dropped."""
    frames = []
    for path in paths:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "source" not in frame or (frame["source"] == "").all():
            frame["source"] = Path(path).stem
        frame = frame.reindex(columns=COLUMNS, fill_value="")
        frame.loc[frame["register"] == "", "register"] = DEFAULT_REGISTER
        frames.append(frame)
    merged = pd.concat(frames, ignore_index=True)
    merged["text"] = merged["text"].str.strip()
    merged = merged[merged["text"] != ""]
    for column in ("label", "lang", "secondary_label", "register"):
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
    merged = merged[keep]
    dropped["seen"] = 0
    if exclude:
        seen = overlapping(merged["text"].tolist(), exclude)
        dropped["seen"] = int(seen.sum())
        merged = merged[~seen]
    return merged.reset_index(drop=True), dropped


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    exclude = None
    if "--exclude" in argv:
        at = argv.index("--exclude")
        exclude = pd.read_csv(argv[at + 1], dtype=str, keep_default_na=False)["text"].tolist()
        argv = argv[:at] + argv[at + 2 :]
    out, batches = argv[0], argv[1:]
    merged, dropped = merge_batches(batches, exclude)
    merged.to_csv(out, index=False)
    print(f"{len(merged)} notes from {len(batches)} batches -> {out}; dropped {dropped['exact']} exact and {dropped['near']} near duplicates, {dropped['seen']} seen in --exclude")
    print(merged.groupby(["label", "lang"]).size().unstack(fill_value=0).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
