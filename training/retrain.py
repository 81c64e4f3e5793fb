"""Retrain on a company's own labelled notes and compare with the current model before writing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from classifier.errors import InputError
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


def train_files(
    paths: Sequence[str],
    *,
    taxonomy: Taxonomy | None = None,
    mode: str | None = None,
    weight: float = 3.0,
    seed: int = 0,
    text_column: str | None = None,
    label_column: str | None = None,
    heldout: str | None = None,
    current: ReasonModel | str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReasonModel:
    """Train on labelled CSV/Excel files, as ``rejection-radar train`` does.

    ``mode`` ``None`` trains on the files alone (their ``source`` column, if any, groups the
    notes for cross-writer validation); ``"with"`` adds the bundled corpus and ``"only"`` does
    not, both holding out 20% of the files' notes to compare with ``current`` first
    (:func:`training.retrain.retrain`); ``current`` may be a model or a model name or folder
    (a missing one is said through ``progress`` and skipped). ``heldout`` is a labelled file
    scored into the card.
    """
    import pandas as pd

    from .corpus import files_sha256, read_labelled

    taxonomy = taxonomy or default_taxonomy()
    if mode == "with" and set(taxonomy.labels) != set(default_taxonomy().labels):
        raise InputError("--with-default-corpus needs the bundled labels; with your own taxonomy use --only-my-data.")
    frame = pd.concat([read_labelled(p, text_column, label_column) for p in paths], ignore_index=True)
    if mode and not isinstance(current, ReasonModel):
        from classifier.errors import ModelError
        from classifier.persistence import load_model

        try:
            current = load_model(current)
        except ModelError as e:
            (progress or (lambda m: None))(f"no current model to compare with ({e})")
            current = None
    if mode:
        model = retrain(frame, current=current, with_default_corpus=mode == "with", weight=weight, taxonomy=taxonomy, seed=seed, progress=progress)
        model.card["corpus_sha256"] = files_sha256(paths)
    else:
        groups = frame["source"].tolist() if "source" in frame.columns else None
        model = train_model(
            frame["text"].tolist(), frame["label"].tolist(), taxonomy=taxonomy, seed=seed, groups=groups,
            corpus_sha256=files_sha256(paths), progress=progress,
        )
    model.card["corpus_files"] = [str(p) for p in paths]
    if heldout:
        from .evaluate import evaluate

        test = read_labelled(heldout, text_column, label_column)
        model.card["heldout"] = evaluate(model, test["text"].tolist(), test["label"].tolist())
    return model


def format_comparison(comparison: dict) -> str:
    """The before/after table of :func:`retrain` (company held-out notes and the independent test set)."""
    lines = []
    for name, title in (("company", "your held-out notes"), ("independent", "independent test set")):
        part = comparison.get(name)
        if not part:
            continue
        before, after = part["before"], part["after"]
        lines.append(f"{title} (n={part['n']}): before -> after")
        keys = [("macro_f1", "macro-F1"), ("weak_f1", "weak-vs-valid F1"), ("accuracy", "accuracy")]
        for key, label in keys:
            old = before[key] if before else None
            new = after[key] if after else None
            diff = f"{new - old:+.3f}" if old is not None and new is not None else ""
            lines.append(f"  {label:24} {_figure(old):>7} -> {_figure(new):>7}  {diff}")
        if after:
            lines.append(f"  {'per label (F1)':24}")
            for label, row in after["per_label"].items():
                if row["support"] == 0:
                    continue
                old = before["per_label"].get(label, {}).get("f1") if before else None
                diff = f"{row['f1'] - old:+.3f}" if old is not None else ""
                lines.append(f"    {label:22} {_figure(old):>7} -> {_figure(row['f1']):>7}  {diff}")
    return "\n".join(lines) if lines else "no held-out company notes to compare on (fewer than 20 notes)"


def _figure(value) -> str:
    return "-" if value is None else f"{value:.3f}"
