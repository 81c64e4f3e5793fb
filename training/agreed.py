"""Join a batch written without labels with two annotators' labels; keep the texts both label alike.

Usage: python -m training.agreed WRITTEN.csv FIRST.csv SECOND.csv OUT.csv [--record ANNOTATION.csv]

``WRITTEN.csv`` is a writer's ``text,lang,register``; each annotator's file is ``id,label`` with
``id`` the row number in ``WRITTEN.csv`` (annotators see only ``id,text``). ``OUT.csv`` is a batch
file for :mod:`training.build_corpus` holding the agreed texts. With ``--record``, every text
with both labels is appended to that file as ``batch,text,annotator_1,annotator_2`` (the batch
is ``OUT.csv``'s stem), so agreement can be recomputed later (round 14's and 15's records are in
``benchmarks/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from classifier.taxonomy import default_taxonomy


def agreed(written: pd.DataFrame, first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """``written`` with ``annotator_1`` and ``annotator_2`` columns; raises ``ValueError`` on a missing or unknown label."""
    labels = set(default_taxonomy().labels)
    frame = written.reset_index(drop=True).copy()
    for name, notes in (("annotator_1", first), ("annotator_2", second)):
        by_id = notes.astype({"id": int}).set_index("id")["label"].str.strip()
        if by_id.index.duplicated().any() or set(by_id.index) != set(frame.index):
            raise ValueError(f"{name}: ids must be 0..{len(frame) - 1}, each once")
        if not set(by_id) <= labels:
            raise ValueError(f"{name}: unknown labels {sorted(set(by_id) - labels)}")
        frame[name] = by_id.reindex(frame.index)
    return frame


def main(argv: list[str]) -> int:
    record = None
    if "--record" in argv:
        at = argv.index("--record")
        record, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2 :]
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    written, first, second = (pd.read_csv(p, dtype=str, keep_default_na=False) for p in argv[:3])
    out = Path(argv[3])
    frame = agreed(written, first, second)
    same = frame[frame["annotator_1"] == frame["annotator_2"]]
    batch = same.assign(label=same["annotator_1"], secondary_label="")[["text", "label", "lang", "secondary_label", "register"]]
    batch.to_csv(out, index=False)
    if record:
        rows = frame.assign(batch=out.stem)[["batch", "text", "annotator_1", "annotator_2"]]
        rows.to_csv(record, mode="a", header=not record.exists(), index=False)
    print(f"{out}: {len(batch)} of {len(frame)} texts kept, annotators agree on {len(batch) / len(frame):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
