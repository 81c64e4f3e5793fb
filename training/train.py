"""Train a reason model: cross-validate, choose the review threshold, fit on all data, write a card."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

from classifier.errors import InputError
from classifier.model import ReasonModel
from classifier.pipeline import after_preprocessing, build_pipeline, preprocessor
from classifier.taxonomy import Taxonomy, default_taxonomy

from .evaluate import TARGET_PRECISION, choose_threshold, confident_part, flag_limit, scores

MIN_EXAMPLES = 10
CV_FOLDS = 5
CROSS_WRITER_PRECISION = 0.97  # the confident part's accuracy on writers the model never saw (README, "Quality")
MAX_FLAGGED = 0.35  # never flag more than this share of the held-out predictions of the notes in ``review_on``


def check_labels(labels: Sequence[str], taxonomy: Taxonomy, min_examples: int = MIN_EXAMPLES) -> None:
    """Raise :class:`InputError` for labels outside the taxonomy or with too few examples."""
    counts = Counter(labels)
    unknown = sorted(set(counts) - set(taxonomy.labels))
    if unknown:
        raise InputError(
            f"unknown labels {', '.join(map(repr, unknown))}; expected one of {', '.join(taxonomy.labels)} "
            "(or pass --taxonomy FILE with your own labels)."
        )
    few = {label: n for label, n in sorted(counts.items()) if n < min_examples}
    if few:
        listed = ", ".join(f"{label} ({n})" for label, n in few.items())
        raise InputError(f"labels with fewer than {min_examples} examples: {listed}; add notes or drop these labels.")
    if len(counts) < 2:
        raise InputError("training needs at least two different labels.")


def _unseen_rate(prepared: Sequence[str], seed: int) -> float:
    """Share of words in a random fifth of the notes that the other four fifths never use."""
    from classifier.drift import unseen_share, word_tokens

    order = np.random.default_rng(seed).permutation(len(prepared))
    cut = len(order) // 5
    known = {t for i in order[cut:] for t in word_tokens(prepared[i])}
    return unseen_share([prepared[i] for i in order[:cut]], known)


def _review_threshold(y, predicted, confidence, mask, target: float) -> float:
    """The lowest confidence whose confident part reaches ``target`` precision, but flagging at most
    ``MAX_FLAGGED`` of the notes in ``mask``."""
    return min(choose_threshold(y, predicted, confidence, target), flag_limit(confidence[mask], MAX_FLAGGED))


def train_model(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    taxonomy: Taxonomy | None = None,
    seed: int = 0,
    params: dict | None = None,
    sample_weight: Sequence[float] | None = None,
    cv: int = CV_FOLDS,
    groups: Sequence[str] | None = None,
    review_on: Sequence[bool] | None = None,
    corpus_sha256: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReasonModel:
    """Fit the default pipeline on labelled notes and return a model with its card.

    The card holds stratified ``cv``-fold cross-validated scores (macro-F1, weak-vs-valid F1,
    per label), the ``needs_review`` threshold and what share the confident part covers.
    Deterministic for a given ``seed``.

    With ``groups`` (the writer or batch of each note, at least three), the notes of each group
    are also predicted by a model that never saw that group (``cross_writer`` in the card), and
    the threshold is chosen on those predictions: unfamiliar wording is what real exports
    bring, and in-writer cross-validation is far too confident about it.
    """
    taxonomy = taxonomy or default_taxonomy()
    texts = [str(t) for t in texts]
    labels = [str(l) for l in labels]
    check_labels(labels, taxonomy, max(MIN_EXAMPLES if cv else 2, cv or 0))
    say = progress or (lambda message: None)
    pipeline = build_pipeline(seed=seed, **(params or {}))
    say(f"preprocessing {len(texts)} notes with spaCy")
    prepared = preprocessor(pipeline).fit_transform(texts)
    rest = after_preprocessing(pipeline)
    y = np.asarray(labels, dtype=object)
    fit_params = {"clf__sample_weight": np.asarray(sample_weight)} if sample_weight is not None else {}
    card: dict = {"seed": seed, "params": params or {}, "n_train": len(texts), "label_counts": dict(Counter(labels))}
    threshold = 0.5
    if cv:
        say(f"{cv}-fold cross-validation")
        folds = StratifiedKFold(cv, shuffle=True, random_state=seed)
        proba = cross_val_predict(clone(rest), prepared, y, cv=folds, method="predict_proba", params=fit_params or None)
        classes = np.array(sorted(set(labels)), dtype=object)
        predicted = classes[proba.argmax(axis=1)]
        confidence = proba.max(axis=1)
        mask = np.ones(len(y), dtype=bool) if review_on is None else np.asarray(review_on, dtype=bool)
        if mask.shape != y.shape or not mask.any():
            raise InputError(f"review_on marks {int(mask.sum())} of {len(mask)} entries; give one flag per note, at least one true.")
        threshold = _review_threshold(y, predicted, confidence, mask, TARGET_PRECISION)
        present = [l for l in taxonomy.labels if l in set(labels)]
        card["cv"] = scores(y, predicted, present, taxonomy.weak_labels)
        if groups is not None and len(set(groups)) >= 3:
            say("cross-writer validation: each writer's notes predicted by a model that never saw that writer")
            groups = np.asarray([str(g) for g in groups], dtype=object)
            folds = GroupKFold(min(cv, len(set(groups))))
            proba_w = cross_val_predict(clone(rest), prepared, y, cv=folds, groups=groups, method="predict_proba", params=fit_params or None)
            predicted_w, confidence_w = classes[proba_w.argmax(axis=1)], proba_w.max(axis=1)
            threshold = _review_threshold(y, predicted_w, confidence_w, mask, CROSS_WRITER_PRECISION)
            card["cross_writer"] = scores(y, predicted_w, present, taxonomy.weak_labels)
            card["cross_writer"]["confident"] = confident_part(y, predicted_w, confidence_w, threshold)
            if review_on is not None:
                card["cross_writer"]["review_on"] = {"n": int(mask.sum()), **confident_part(y[mask], predicted_w[mask], confidence_w[mask], threshold)}
        card["cv"]["confident"] = confident_part(y, predicted, confidence, threshold)
    card["drift_baseline"] = {
        "unseen_word_share": round(_unseen_rate(prepared, seed), 4),
        "needs_review_share": round(1 - card["cv"]["confident"]["coverage"], 4) if cv else None,
    }
    say("fitting the final model on all notes")
    rest.fit(prepared, y, **fit_params)
    card.update(
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        corpus_sha256=corpus_sha256 or hashlib.sha256("\x1f".join(f"{t}\x1e{l}" for t, l in zip(texts, labels)).encode()).hexdigest(),
        target_precision=0.95,
    )
    return ReasonModel(pipeline=pipeline, taxonomy=taxonomy, threshold=round(float(threshold), 4), card=card)

