"""Drift hint: are these notes further from the training data than the model card expects?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from classifier.model import ReasonModel

SAMPLE = 5_000
FACTOR = 2.0
MARGIN = 0.05


def word_tokens(prepared: str) -> list[str]:
    """Word tokens of a preprocessed note, without cue tokens and placeholders."""
    return [t for t in prepared.split() if not t.startswith(("cue_", "xx"))]


def unseen_share(prepared: Sequence[str], vocabulary: set[str]) -> float:
    """Share of word tokens that are not in ``vocabulary``."""
    tokens = [t for note in prepared for t in word_tokens(note)]
    return float(np.mean([t not in vocabulary for t in tokens])) if tokens else 0.0


def drift_check(model: ReasonModel, notes: Sequence[str], needs_review_share: float, seed: int = 0) -> dict | None:
    """Compare the share of notes needing review and of unseen words with the card's baseline.

    Returns ``None`` for models whose card has no baseline. ``drifting`` is true when either
    share is more than twice the baseline and at least five points above it.
    """
    baseline = model.card.get("drift_baseline")
    if not baseline or not len(notes):
        return None
    rng = np.random.default_rng(seed)
    sample = [notes[i] for i in rng.choice(len(notes), size=min(SAMPLE, len(notes)), replace=False)]
    prepared = model.prepare(sample)[0]
    oov = unseen_share(prepared, model.words)

    def high(value: float, expected: float | None) -> bool:
        return expected is not None and value > FACTOR * expected and value > expected + MARGIN

    return {
        "needs_review_share": round(needs_review_share, 4),
        "expected_needs_review_share": baseline["needs_review_share"],
        "unseen_word_share": round(oov, 4),
        "expected_unseen_word_share": baseline["unseen_word_share"],
        "drifting": high(needs_review_share, baseline["needs_review_share"]) or high(oov, baseline["unseen_word_share"]),
    }
