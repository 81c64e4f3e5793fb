"""Review queue: the unlabelled notes whose labels would teach the model most.

Uncertainty sampling with a diversity cap: notes are ranked by how unsure the model is (low
top probability, top two reasons close), then picked greedily so that no pick is a near-copy
of an earlier one (cosine similarity of the model's own TF-IDF vectors below ``max_similarity``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

from classifier.model import ReasonModel
from classifier.normalize import is_empty_note
from classifier.pipeline import preprocessor

MAX_SIMILARITY = 0.5
CHUNK = 2000  # candidates vectorised at a time, most uncertain first
COLUMNS = ["label", "reason_1", "p_1", "reason_2", "p_2", "reason_3", "p_3", "uncertainty"]


def uncertainty(proba: np.ndarray) -> np.ndarray:
    """Mean of least-confidence (``1 - p_1``) and margin (``1 - (p_1 - p_2)``), in [0, 1].

    >>> uncertainty(np.array([[0.9, 0.1, 0.0], [0.4, 0.35, 0.25]])).round(3).tolist()
    [0.15, 0.775]
    """
    top = -np.sort(-proba, axis=1)
    second = top[:, 1] if proba.shape[1] > 1 else np.zeros(len(proba))
    return ((1 - top[:, 0]) + (1 - (top[:, 0] - second))) / 2


def diverse_order(
    scores: np.ndarray,
    vectorise: Callable[[np.ndarray], object],
    n: int,
    max_similarity: float = MAX_SIMILARITY,
    *,
    seed: int = 0,
    chunk: int = CHUNK,
) -> np.ndarray:
    """Pick ``n`` rows: highest score first, skipping rows too similar to a row already picked.

    ``vectorise(rows)`` returns L2-normalised vectors (sparse or dense) of the given rows; it
    is called on ``chunk`` rows at a time in score order, so only the top of a long list is
    ever vectorised. All-zero rows (nothing the model knows) count as identical to each other.
    When no row below ``max_similarity`` is left, the top chunk is searched for the rows least
    similar to all picks, so ``n`` rows come back whenever there are that many. Ties in
    ``scores`` are broken by ``seed``.

    >>> v = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> diverse_order(np.array([0.9, 0.8, 0.1]), lambda rows: v[rows], 2).tolist()
    [0, 2]
    """
    n = min(n, len(scores))
    tiebreak = np.random.default_rng(seed).permutation(len(scores))
    ranking = np.lexsort((tiebreak, -np.asarray(scores)))
    picks: list[int] = []
    picked: list = []  # (vector, is_zero) of each pick
    for start in range(0, len(ranking), chunk):
        if len(picks) == n:
            break
        rows = ranking[start : start + chunk]
        _greedy(rows, vectorise(rows), n, max_similarity, picks, picked)
    if len(picks) < n:  # the rest are all near-copies of picks: take the least similar ones
        rows = ranking[:chunk]
        _greedy(rows, vectorise(rows), n, None, picks, picked)
    return np.asarray(picks, dtype=int)


def _greedy(rows: np.ndarray, vectors, n: int, cap: float | None, picks: list[int], picked: list) -> None:
    """Extend ``picks`` from ``rows``: in order while below ``cap`` similarity, or least similar first when ``cap`` is None."""
    zero = np.asarray(abs(vectors).sum(axis=1)).ravel() == 0
    closest = np.zeros(len(rows))
    for vector, is_zero in picked:
        np.maximum(closest, _similarity(vectors, vector, zero, is_zero), out=closest)
    closest[np.isin(rows, picks)] = np.inf
    while len(picks) < n:
        if cap is None:
            i = int(np.argmin(closest))
        else:
            free = np.flatnonzero(closest < cap)
            i = int(free[0]) if len(free) else -1
        if i < 0 or closest[i] == np.inf:
            return
        picks.append(int(rows[i]))
        picked.append((vectors[i], zero[i]))
        np.maximum(closest, _similarity(vectors, vectors[i], zero, zero[i]), out=closest)
        closest[i] = np.inf


def _similarity(vectors, vector, zero: np.ndarray, vector_is_zero: bool) -> np.ndarray:
    """Cosine similarity of normalised rows to one of them; all-zero rows match each other."""
    if vector_is_zero:
        return zero.astype(float)
    similarity = vectors @ vector.T
    return similarity.toarray().ravel() if hasattr(similarity, "toarray") else np.ravel(similarity)


def _model_vectors(model: ReasonModel, notes: list[str], rows: np.ndarray):
    """The model's own TF-IDF features of some notes, rows scaled to unit length."""
    prepared = preprocessor(model.pipeline).transform([notes[i] for i in rows])
    return normalize(model.pipeline.named_steps["features"].transform(prepared))


def review_queue(
    model: ReasonModel,
    notes: Sequence[str],
    n: int = 100,
    *,
    seed: int = 0,
    max_similarity: float = MAX_SIMILARITY,
) -> pd.DataFrame:
    """The ``n`` notes whose labels would teach ``model`` most, most uncertain first.

    Empty notes and repeats of an earlier note are skipped. Picks are spread out: no two have
    a cosine similarity of ``max_similarity`` or more on the model's TF-IDF features (so notes
    the model sees as identical come once), unless the input holds fewer such notes.
    Probabilities go through :meth:`ReasonModel.predict_proba`, so a caller inside
    ``with model.workers():`` scores large inputs in parallel. Deterministic for a ``seed``.

    Returns
    -------
    pandas.DataFrame
        Indexed by the notes' positions in ``notes``; columns ``label`` (the suggested label, to
        be corrected), ``reason_1, p_1, reason_2, p_2, reason_3, p_3`` and ``uncertainty``.

    Examples
    --------
    >>> queue = review_queue(load_model(), notes, n=100)          # doctest: +SKIP
    >>> queue.join(export)                                         # doctest: +SKIP
    """
    first: dict[str, int] = {}
    for i, note in enumerate(notes):
        first.setdefault("" if note is None else str(note), i)
    distinct = [note for note in first if not is_empty_note(note)]
    if not distinct or n <= 0:
        empty = {c: pd.Series(dtype=object if c.startswith(("label", "reason")) else float) for c in COLUMNS}
        return pd.DataFrame(empty, index=pd.Index([], dtype=int, name="position"))
    positions = np.array([first[note] for note in distinct])
    proba = model.predict_proba(distinct)
    scores = uncertainty(proba)
    chosen = diverse_order(scores, partial(_model_vectors, model, distinct), n, max_similarity, seed=seed)
    chosen = chosen[np.lexsort((positions[chosen], -scores[chosen]))]
    labels = np.array(model.labels, dtype=object)
    order = np.argsort(-proba[chosen], axis=1, kind="stable")
    frame = pd.DataFrame({"label": labels[order[:, 0]]}, index=pd.Index(positions[chosen], name="position"))
    for k in range(3):
        has = k < proba.shape[1]
        frame[f"reason_{k + 1}"] = labels[order[:, k]] if has else ""
        frame[f"p_{k + 1}"] = proba[chosen, order[:, k]].round(4) if has else 0.0
    frame["uncertainty"] = scores[chosen].round(4)
    return frame


def review_export(model: ReasonModel, export, n: int = 100, *, seed: int = 0) -> "pd.DataFrame":
    """:func:`review_queue` over an export: the picked rows with all their columns, a ``text``
    column with the note as the model read it, and the queue's columns (label pre-filled)."""
    import pandas as pd

    notes = export.note_text()
    picks = review_queue(model, notes.tolist(), n, seed=seed)
    frame = export.frame.iloc[picks.index].reset_index(drop=True)
    names = {c: c if c not in frame.columns else f"{c}_radar" for c in picks.columns}
    out = pd.concat([frame, picks.reset_index(drop=True).rename(columns=names)], axis=1)
    if export.roles.get("note") != "text":
        out.insert(len(frame.columns), "text", notes.iloc[picks.index].to_numpy())
    return out
