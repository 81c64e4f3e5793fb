"""Retrain on a company's own labelled notes and compare with the current model before writing."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from classifier.model import ReasonModel
from classifier.taxonomy import Taxonomy, default_taxonomy

from .corpus import TEST_FILE, load_corpus
from .evaluate import evaluate
from .train import train_model

COMPANY_WEIGHT = 3.0
HOLDOUT = 0.2


def split_holdout(frame: pd.DataFrame, share: float = HOLDOUT, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified split of labelled notes into (fit, held-out); stratified where every label has 2+ notes."""
    if len(frame) < 20 or share <= 0:
        return frame, frame.iloc[:0]
    counts = frame["label"].value_counts()
    stratify = frame["label"] if counts.min() >= 2 else None
    fit, held = train_test_split(frame, test_size=share, random_state=seed, stratify=stratify)
    return fit.sort_index(), held.sort_index()


def _scores(model: ReasonModel | None, frame: pd.DataFrame) -> dict | None:
    if model is None or frame.empty or not set(frame["label"]) <= set(model.labels):
        return None
    return evaluate(model, frame["text"].tolist(), frame["label"].tolist())


def retrain(
    company: pd.DataFrame,
    *,
    current: ReasonModel | None = None,
    with_default_corpus: bool = True,
    weight: float = COMPANY_WEIGHT,
    taxonomy: Taxonomy | None = None,
    seed: int = 0,
    holdout: float = HOLDOUT,
    progress: Callable[[str], None] | None = None,
) -> ReasonModel:
    """Train on ``company`` notes (``text``, ``label``), optionally together with the bundled corpus.

    Each company note weighs ``weight`` times a corpus note (a sample weight in the SVM and its
    calibration), so a few hundred company notes can outvote the corpus on their own shorthand.
    Before the final fit, a model trained without a held-out ``holdout`` share of the company's
    notes is compared with ``current`` on that share and on the independent test set; the
    comparison goes into the card (``comparison``). The returned model is then fit on all notes.
    """
    say = progress or (lambda message: None)
    taxonomy = taxonomy or default_taxonomy()
    company = company[["text", "label"]].reset_index(drop=True)
    corpus = load_corpus()[["text", "label"]] if with_default_corpus else company.iloc[:0]
    fit, held = split_holdout(company, holdout, seed)

    def combined(part: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray]:
        texts = part["text"].tolist() + corpus["text"].tolist()
        labels = part["label"].tolist() + corpus["label"].tolist()
        weights = np.r_[np.full(len(part), weight), np.ones(len(corpus))]
        return texts, labels, weights

    comparison: dict = {}
    if len(held):
        say(f"comparing on {len(held)} held-out company notes (model trained on the other {len(fit)})")
        texts, labels, weights = combined(fit)
        trial = train_model(texts, labels, taxonomy=taxonomy, seed=seed, sample_weight=weights, cv=0)
        comparison["company"] = {"n": len(held), "before": _scores(current, held), "after": _scores(trial, held)}
        if set(taxonomy.labels) == set(default_taxonomy().labels):
            independent = load_corpus(TEST_FILE)
            comparison["independent"] = {
                "n": len(independent), "before": _scores(current, independent), "after": _scores(trial, independent),
            }
    say(f"training on {len(company)} company notes" + (f" and {len(corpus)} corpus notes" if len(corpus) else ""))
    texts, labels, weights = combined(company)
    model = train_model(texts, labels, taxonomy=taxonomy, seed=seed, sample_weight=weights, progress=say)
    model.card.update(
        comparison=comparison,
        company={"n": len(company), "weight": weight, "with_default_corpus": with_default_corpus, "holdout": len(held)},
    )
    return model
