"""A trained reason model and the per-note predictions it makes."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from classifier.normalize import is_empty_note
from classifier.taxonomy import Taxonomy

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.pipeline import Pipeline

    from classifier.compact import CompactScorer

OUTPUT_COLUMNS = ["reason", "confidence", "reason_2", "weak", "needs_review", "challenge", "note_lang"]
EMPTY_REASON = "other"
PARALLEL_MIN = 8_000  # fewer distinct notes than this are classified in one process
ASIDE_OTHER = 0.5  # an aside naming someone, read as `other` at least this sure, does not decide the note's reason

_WORKER: dict = {}  # the model of a worker process, set by the pool's initializer (one per process)


PREDICTION_CACHE = 100_000  # distinct notes whose probabilities a model remembers per process, at most


class PredictionCache:
    """Probabilities and language of up to ``size`` distinct notes, the first ones scored.

    Past half of ``size`` it grows only while notes come back (at least one look-up in ten is
    a hit): an export of repeated notes gets the whole cache, one of unique notes does not pay
    for it. The probabilities sit in one preallocated array (a row per note), so a full cache
    of 100k notes costs the notes' strings plus about 9 MB, not an array object per note.
    """

    def __init__(self, size: int = PREDICTION_CACHE):
        self.size = size
        self.row: dict[str, int] = {}
        self.proba: np.ndarray | None = None
        self.langs: list[str] = []
        self.asked = self.hits = 0

    def known(self, notes: list[str]) -> np.ndarray:
        """Which of ``notes`` (distinct) are cached; counted for :meth:`add`'s growth rule."""
        found = np.fromiter((n in self.row for n in notes), dtype=bool, count=len(notes))
        self.asked, self.hits = self.asked + len(notes), self.hits + int(found.sum())
        return found

    def __len__(self) -> int:
        return len(self.row)

    def add(self, notes: list[str], proba: np.ndarray, langs) -> None:
        """Remember as many of ``notes`` (not cached yet) as there is room for."""
        size = self.size if self.hits * 10 >= self.asked else self.size // 2
        room = min(size - len(self.row), len(notes))
        if room <= 0:
            return
        if self.proba is None:
            self.proba = np.zeros((self.size, proba.shape[1]))
        start = len(self.row)
        self.proba[start : start + room] = proba[:room]
        self.row.update(zip(notes[:room], range(start, start + room)))
        self.langs.extend(langs[:room])

    def lookup(self, notes: list[str]) -> tuple[np.ndarray, list[str]]:
        """Probabilities and languages of cached ``notes``, in order."""
        rows = np.fromiter((self.row[n] for n in notes), dtype=np.int64, count=len(notes))
        return self.proba[rows], [self.langs[r] for r in rows.tolist()]


def _predict(model: "ReasonModel", notes: list[str], cache: PredictionCache | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities and languages; each distinct model input is vectorised and scored once.

    Notes already in ``cache`` (filled here, see :class:`PredictionCache`) are not scored
    again, so "kein Bedarf" costs once per export, not once per chunk.
    """
    cache = PredictionCache(0) if cache is None else cache
    with _collector_paused():
        return _predict_cached(model, notes, cache)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector (reference counting still frees everything).

    Scoring a batch allocates millions of short-lived strings, lists and tuples but no reference
    cycles; the collector would rescan the growing token caches again and again, which cost a
    third of the scoring time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _score_texts(model: "ReasonModel", texts: list[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """Probabilities, languages and reading texts of ``texts``; each distinct model input is vectorised and scored once."""
    prepared, langs, read = model.prepare(texts, with_texts=True)
    position: dict[str, int] = {}
    inverse = np.fromiter((position.setdefault(p, len(position)) for p in prepared), dtype=np.int64, count=len(prepared))
    return model.score_prepared(list(position))[inverse], langs, read


def _rests_past_asides(model: "ReasonModel", texts: list[str]) -> dict[int, tuple[str, list[str]]]:
    """The notes (by position; ``texts`` as the model reads them, :func:`~classifier.lemmas.reading_text`) that open
    or close with an aside the model reads as no reason: the rest of each, and its asides.

    An aside is a short clause naming a person or holding a number, or a short heading
    (:func:`~classifier.asides.aside_candidates`: "Notes from call w/ Liam O'Connor 4/8:",
    "(source: call 3/3)", "Disposition:"). Read alone, it must come out ``other``: a heading above
    every other reason, an aside naming someone with at least :data:`ASIDE_OTHER`; "Hr. X ist im
    Meeting -" does not (it says why nobody answered), so it stays part of the note. A heading
    that names nobody is not set aside where the note keeps an aside that does: in "Abbruch |
    contact: Ms. Alvarez" the heading is all the note says. The
    rules of :mod:`classifier.asides` drop the wordings they know before the model sees a note;
    this catches the wordings they do not know.
    """
    from classifier.asides import aside_candidates, names_nobody  # here: loading a model needs no spaCy step

    if EMPTY_REASON not in model.labels:
        return {}
    found = [(i, aside, start, end) for i, text in enumerate(texts) for aside, start, end in aside_candidates(text)]
    if not found:
        return {}
    other = model.labels.index(EMPTY_REASON)
    proba = _score_texts(model, [aside for _, aside, _, _ in found])[0]
    spans: dict[int, tuple[int, int, list[str]]] = {}
    kept_names: set[int] = set()  # notes with an aside naming someone that the model reads as a reason
    for (i, aside, start, end), p in zip(found, proba):
        heading = names_nobody(aside)
        if p.argmax() == other and (p[other] >= ASIDE_OTHER or heading):
            s, e, asides = spans.get(i, (0, len(texts[i]), []))
            spans[i] = (max(s, start), min(e, end), asides + [aside])
        elif not heading:
            kept_names.add(i)
    rests = {i: (texts[i][s:e].strip(), asides) for i, (s, e, asides) in spans.items()
             if not (i in kept_names and all(map(names_nobody, asides)))}
    return {i: (rest, asides) for i, (rest, asides) in rests.items() if len(rest.split()) >= 2}


def _predict_cached(model: "ReasonModel", notes: list[str], cache: PredictionCache) -> tuple[np.ndarray, np.ndarray]:
    n_classes = len(model.labels)
    if not notes:
        return np.zeros((0, n_classes)), np.array([], dtype=object)
    distinct = list(dict.fromkeys(notes))
    cached = cache.known(distinct)
    proba = np.empty((len(distinct), n_classes))
    langs = np.empty(len(distinct), dtype=object)
    if cached.any():
        proba[cached], langs[cached] = cache.lookup([n for n, hit in zip(distinct, cached) if hit])
    if not cached.all():
        todo = [n for n, hit in zip(distinct, cached) if not hit]
        scored, todo_langs, read = _score_texts(model, todo)
        past = _rests_past_asides(model, read)
        if past:  # the reason of a note with an aside is the reason of the rest
            scored[list(past)] = _score_texts(model, [rest for rest, _ in past.values()])[0]
        proba[~cached], langs[~cached] = scored, todo_langs
        cache.add(todo, scored, list(todo_langs))
    if len(distinct) == len(notes):
        return proba, langs
    where = {n: i for i, n in enumerate(distinct)}
    rows = np.fromiter((where[n] for n in notes), dtype=np.int64, count=len(notes))
    return proba[rows], langs[rows]


def _init_worker(model: "ReasonModel") -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are the parent's to handle: no worker noise
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER["model"] = model


def _worker_predict(notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return _predict(_WORKER["model"], notes, _WORKER["model"]._predictions)


def _worker_call(func, item):
    return func(_WORKER["model"], item)


def _classify_task(model: "ReasonModel", notes: list[str]) -> "pd.DataFrame":
    return classify_notes(notes, model)


@dataclass
class ReasonModel:
    """A fitted pipeline with its taxonomy, review threshold and card.

    ``threshold``: predictions below this confidence are flagged ``needs_review``. A model
    loaded with ``load_model(light=True)`` has no ``pipeline``, only its ``scorer``
    (:class:`~classifier.compact.CompactScorer`): it classifies, without importing scikit-learn.
    """

    pipeline: Pipeline | None
    taxonomy: Taxonomy
    threshold: float = 0.5
    card: dict = field(default_factory=dict)
    _pool: object = field(default=None, repr=False, compare=False)
    _predictions: PredictionCache = field(default_factory=PredictionCache, repr=False, compare=False)  # see _predict
    _jobs: int = field(default=1, repr=False, compare=False)
    scorer: CompactScorer | None = field(default=None, repr=False, compare=False)

    @property
    def words(self) -> set[str]:
        """The single words the model's word features know."""
        if self.pipeline is None:
            vocabulary = next(b.columns.vocabulary for b in self.scorer.blocks if b.kind == "words")
        else:
            vocabulary = self.pipeline.named_steps["features"].transformer_list[0][1].vocabulary_
        return {term for term in vocabulary if " " not in term}

    @property
    def labels(self) -> list[str]:
        if self.pipeline is None:
            return list(self.scorer.classes)
        return [str(c) for c in self.pipeline.classes_]

    def prepare(self, notes: list[str], with_texts: bool = False):
        """Model input (space-separated lemmas and cue tokens) and language of each note: the spaCy step.
        With ``with_texts``, also each note as the model reads it (:func:`~classifier.lemmas.reading_text`)."""
        if self.pipeline is None:
            return self.scorer.prepare(notes, with_texts=with_texts)
        from classifier.pipeline import preprocessor

        return preprocessor(self.pipeline).prepare(notes, with_texts=with_texts)

    def score_prepared(self, prepared: list[str]) -> np.ndarray:
        """Probabilities of notes already through :meth:`prepare`."""
        if self.pipeline is None:
            return self.scorer.predict_proba(prepared)
        from classifier.scoring import predict_prepared

        return predict_prepared(self.pipeline, prepared)

    def predict_proba(self, notes: Iterable[str]) -> np.ndarray:
        """Probabilities per label (columns in :attr:`labels` order), one row per note."""
        return self.predict_with_language(notes)[0]

    def predict_with_language(self, notes: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities per label and the detected language of each note."""
        notes = list(notes)
        if not notes:
            return np.zeros((0, len(self.labels))), np.array([], dtype=object)
        if self._pool is None or len(notes) < PARALLEL_MIN:
            return _predict(self, notes, self._predictions)
        size = -(-len(notes) // self._jobs)
        parts = self._pool.map(_worker_predict, [notes[i : i + size] for i in range(0, len(notes), size)])
        return np.vstack([p for p, _ in parts]), np.concatenate([lg for _, lg in parts])

    def reading(self, note: str) -> tuple[str, list[str]]:
        """The part of ``note`` whose reason is the note's, and the asides set apart from it (see :func:`_rests_past_asides`)."""
        from classifier.lemmas import reading_text

        return _rests_past_asides(self, [reading_text(note)]).get(0, (note, []))

    def warm_up(self) -> None:
        """Load what the first prediction needs (spaCy's pipelines and lemma tables, about 1 s), now."""
        _predict(self, ["kein Budget", "no budget"])

    @contextmanager
    def workers(self, n_jobs: int | None = None):
        """Classify large batches in ``n_jobs`` forked processes (default: all cores) inside this block.

        The workers are forked after the model and its spaCy tables are loaded, so they share
        them without pickling. Where ``fork`` is not available this does nothing.
        """
        n_jobs = n_jobs or os.cpu_count() or 1
        if n_jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            yield self
            return
        self.warm_up()  # spaCy's tables are loaded before forking, so the workers share them
        gc.collect()
        gc.freeze()  # the model's objects leave the collector's view: no worker copies their pages by collecting them
        try:
            pool = multiprocessing.get_context("fork").Pool(n_jobs, initializer=_init_worker, initargs=(self,))
        finally:
            gc.unfreeze()
        self._pool, self._jobs = pool, n_jobs
        try:
            yield self
        finally:
            self._pool, self._jobs = None, 1
            pool.terminate()
            pool.join()

    def classify_stream(self, batches: Iterable[tuple[object, list[str]]]) -> Iterator[tuple[object, "pd.DataFrame"]]:
        """Classify ``(key, notes)`` batches in order, yielding ``(key, predictions)``.

        Inside :meth:`workers`, batches are classified in the worker processes while the caller
        reads and writes; at most one batch per worker (plus one) is in flight, so memory stays
        bounded however long the stream.
        """
        keys: deque = deque()

        def notes_only():
            for key, notes in batches:
                keys.append(key)
                yield notes

        for predictions in self.map_stream(_classify_task, notes_only()):
            yield keys.popleft(), predictions

    def map_stream(self, func, items: Iterable) -> Iterator:
        """``func(model, item)`` for each item, in order: in the worker processes inside
        :meth:`workers` (``func`` must be a module-level function), else here.

        At most one item per worker (plus one) is in flight, so memory stays bounded.
        """
        if self._pool is None:
            for item in items:
                yield func(self, item)
            return
        pending: deque = deque()
        for item in items:
            pending.append(self._pool.apply_async(_worker_call, (func, item)))
            if len(pending) > self._jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def classify_one(self, note: str) -> dict:
        """One note's ``reason, confidence, reason_2, weak, needs_review, challenge, note_lang`` as a dict.

        The same as a row of :meth:`classify`, without pandas (quick for a single note).
        """
        columns, _ = _prediction_columns(["" if note is None else str(note)], self)
        return {name: values[0].item() if hasattr(values[0], "item") else values[0] for name, values in columns.items()}

    def classify(self, notes: Iterable[str], *, batch_size: int = 200_000, progress=None) -> "pd.DataFrame":
        """Classify notes; see :func:`classify_notes`."""
        return classify_notes(notes, self, batch_size=batch_size, progress=progress)


def classify_notes(notes: Iterable[str], model: ReasonModel, *, batch_size: int = 200_000, progress=None) -> "pd.DataFrame":
    """One row per note, in order, with columns ``reason, confidence, reason_2, weak,
    needs_review, challenge, note_lang``.

    Notes that carry no reason ("", "-", "n/a", "None" ...) get ``other`` with confidence 1.0
    without asking the model. Each distinct note is classified once. ``progress`` is called
    with the number of distinct notes done after every batch.
    """
    return classify_counting_empty(notes, model, batch_size=batch_size, progress=progress)[0]


def classify_counting_empty(notes: Iterable[str], model: ReasonModel, *, batch_size: int = 200_000, progress=None) -> tuple["pd.DataFrame", int]:
    """:func:`classify_notes` and how many of the notes carry no reason."""
    import pandas as pd

    notes = ["" if n is None else str(n) for n in notes]
    distinct = list(dict.fromkeys(notes))
    columns, empty = _prediction_columns(distinct, model, batch_size, progress)
    frame = pd.DataFrame(columns)
    if len(distinct) == len(notes):
        return frame, int(empty.sum())
    position = {n: i for i, n in enumerate(distinct)}
    rows = np.fromiter((position[n] for n in notes), dtype=np.int64, count=len(notes))
    return frame.iloc[rows].reset_index(drop=True), int(empty[rows].sum())


def _prediction_columns(distinct: list[str], model: ReasonModel, batch_size: int = 200_000, progress=None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The output columns (:data:`OUTPUT_COLUMNS`) for distinct notes, as arrays, and which notes carry no reason."""
    empty = np.array([is_empty_note(n) for n in distinct], dtype=bool)
    labels = np.array(model.labels, dtype=object)
    reason = np.full(len(distinct), EMPTY_REASON, dtype=object)
    reason_2 = np.full(len(distinct), "", dtype=object)
    confidence = np.ones(len(distinct))
    langs = np.full(len(distinct), "en", dtype=object)
    todo = np.flatnonzero(~empty)
    for start in range(0, len(todo), batch_size):
        idx = todo[start : start + batch_size]
        proba, langs[idx] = model.predict_with_language([distinct[i] for i in idx])
        order = np.argsort(-proba, axis=1)
        reason[idx] = labels[order[:, 0]]
        reason_2[idx] = labels[order[:, 1]] if proba.shape[1] > 1 else ""
        confidence[idx] = proba[np.arange(len(idx)), order[:, 0]]
        if progress is not None:
            progress(len(idx))
    if len(todo):  # empty notes get their questions in the language most notes here are written in
        values, counts = np.unique(langs[todo].astype(str), return_counts=True)
        langs[empty] = values[counts.argmax()]
    weak_set = model.taxonomy.weak_labels
    questions = {(r, lg): model.taxonomy.question(r, lg) for r in model.taxonomy.labels for lg in ("de", "en")}
    return {
        "reason": reason,
        "confidence": confidence.round(4),
        "reason_2": reason_2,
        "weak": np.array([r in weak_set for r in reason], dtype=bool),
        "needs_review": (confidence < model.threshold) & ~empty,
        "challenge": np.array([questions.get((r, lg), "") for r, lg in zip(reason, langs)], dtype=object),
        "note_lang": langs,
    }, empty
