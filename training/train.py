"""Train a reason model: cross-validate, choose the review threshold, fit on all data, write a card."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier.errors import InputError
from classifier.model import ReasonModel
from classifier.pipeline import build_pipeline
from classifier.taxonomy import Taxonomy, default_taxonomy

from .evaluate import choose_threshold, confident_part, scores

MIN_EXAMPLES = 10
CV_FOLDS = 5


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


def train_model(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    taxonomy: Taxonomy | None = None,
    seed: int = 0,
    params: dict | None = None,
    sample_weight: Sequence[float] | None = None,
    cv: int = CV_FOLDS,
    corpus_sha256: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReasonModel:
    """Fit the default pipeline on labelled notes and return a model with its card.

    The card holds stratified ``cv``-fold cross-validated scores (macro-F1, weak-vs-valid F1,
    per label), the ``needs_review`` threshold chosen on the out-of-fold predictions, and
    what share the confident part covers. Deterministic for a given ``seed``.
    """
    taxonomy = taxonomy or default_taxonomy()
    texts = [str(t) for t in texts]
    labels = [str(l) for l in labels]
    check_labels(labels, taxonomy, max(MIN_EXAMPLES if cv else 2, cv or 0))
    say = progress or (lambda message: None)
    pipeline = build_pipeline(seed=seed, **(params or {}))
    say(f"preprocessing {len(texts)} notes with spaCy")
    prepared = pipeline[:1].fit_transform(texts)
    rest = pipeline[1:]
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
        threshold = choose_threshold(y, predicted, confidence)
        card["cv"] = scores(y, predicted, [l for l in taxonomy.labels if l in set(labels)], taxonomy.weak_labels)
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
