"""A trained reason model and the per-note predictions it makes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from .language import detect_language
from .normalize import clean, is_empty_note
from .taxonomy import Taxonomy

OUTPUT_COLUMNS = ["reason", "confidence", "reason_2", "weak", "needs_review", "challenge", "note_lang"]
EMPTY_REASON = "other"


@dataclass
class ReasonModel:
    """A fitted pipeline with its taxonomy, review threshold and card.

    ``threshold``: predictions below this confidence are flagged ``needs_review``.
    """

    pipeline: Pipeline
    taxonomy: Taxonomy
    threshold: float = 0.5
    card: dict = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    def predict_proba(self, notes: Iterable[str]) -> np.ndarray:
        """Probabilities per label (columns in :attr:`labels` order), one row per note."""
        notes = list(notes)
        if not notes:
            return np.zeros((0, len(self.labels)))
        return self.pipeline.predict_proba(notes)

    def classify(self, notes: Iterable[str], *, batch_size: int = 20_000, progress=None) -> pd.DataFrame:
        """Classify notes; see :func:`classify_notes`."""
        return classify_notes(notes, self, batch_size=batch_size, progress=progress)


def classify_notes(notes: Iterable[str], model: ReasonModel, *, batch_size: int = 20_000, progress=None) -> pd.DataFrame:
    """One row per note, in order, with columns ``reason, confidence, reason_2, weak,
    needs_review, challenge, note_lang``.

    Notes that carry no reason ("", "-", "n/a", "None" ...) get ``other`` with confidence 1.0
    without asking the model. Each distinct note is classified once. ``progress`` is called
    with the number of notes done after every batch.
    """
    notes = ["" if n is None else str(n) for n in notes]
    distinct = list(dict.fromkeys(notes))
    empty = np.array([is_empty_note(n) for n in distinct], dtype=bool)
    labels = np.array(model.labels, dtype=object)
    reason = np.full(len(distinct), EMPTY_REASON, dtype=object)
    reason_2 = np.full(len(distinct), "", dtype=object)
    confidence = np.ones(len(distinct))
    todo = np.flatnonzero(~empty)
    for start in range(0, len(todo), batch_size):
        idx = todo[start : start + batch_size]
        proba = model.predict_proba([distinct[i] for i in idx])
        order = np.argsort(-proba, axis=1)
        reason[idx] = labels[order[:, 0]]
        reason_2[idx] = labels[order[:, 1]] if proba.shape[1] > 1 else ""
        confidence[idx] = proba[np.arange(len(idx)), order[:, 0]]
        if progress is not None:
            progress(len(idx))
    langs = [detect_language(clean(n)) for n in distinct]
    weak_set = model.taxonomy.weak_labels
    frame = pd.DataFrame(
        {
            "reason": reason,
            "confidence": confidence.round(4),
            "reason_2": reason_2,
            "weak": [r in weak_set for r in reason],
            "needs_review": (confidence < model.threshold) & ~empty,
            "challenge": [model.taxonomy.question(r, lg) for r, lg in zip(reason, langs)],
            "note_lang": langs,
        }
    )
    position = {n: i for i, n in enumerate(distinct)}
    return frame.iloc[[position[n] for n in notes]].reset_index(drop=True)
