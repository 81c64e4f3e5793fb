"""Label audit: labelled notes whose given label the data itself disagrees with.

Each note is scored by a model that never saw it (stratified k-fold, the same pipeline as
training); a label is suspect when its out-of-fold probability is low while another label is
confident. The score is ``1 - p_given / p_suggested``, in (0, 1): it ranks like
``log(p_suggested / p_given)``, which on corpus notes with flipped labels puts more
flipped rows on top than ``p_suggested - p_given`` (a given label the model finds absurd is a
stronger sign of a slip than one it finds merely less likely).
"""

from __future__ import annotations

import inspect
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier.errors import InputError
from classifier.pipeline import after_preprocessing, build_pipeline, preprocessor
from classifier.taxonomy import Taxonomy, default_taxonomy

from .train import check_labels

COLUMNS = ["label", "suggested", "p_given", "p_suggested", "score"]
CALIBRATION_FOLDS = inspect.signature(build_pipeline).parameters["calibration_folds"].default


def audit_labels(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    taxonomy: Taxonomy | None = None,
    seed: int = 0,
    cv: int = 5,
    params: dict | None = None,
) -> pd.DataFrame:
    """Rows whose out-of-fold prediction differs from the given label, most suspect first.

    Notes are preprocessed once; the rest of :func:`classifier.pipeline.build_pipeline`
    (``params`` passed on) is cross-validated in ``cv`` stratified folds. Every label needs at
    least ``max(cv, 4)`` examples; with few examples the calibration inside each fold uses
    fewer folds. Deterministic for a ``seed``.

    Returns
    -------
    pandas.DataFrame
        Indexed by input position, columns ``label`` (given), ``suggested`` (the most
        probable label), ``p_given``, ``p_suggested`` and ``score = 1 - p_given / p_suggested``;
        only rows where ``suggested != label``, sorted by ``score`` descending.

    Examples
    --------
    >>> suspects = audit_labels(frame["text"], frame["label"])   # doctest: +SKIP
    >>> frame.join(suspects[["suggested", "score"]], how="inner")  # doctest: +SKIP
    """
    if cv < 2:
        raise InputError(f"audit needs at least 2 cross-validation folds; got cv={cv}.")
    texts = ["" if t is None else str(t) for t in texts]
    labels = [str(label) for label in labels]
    if len(texts) != len(labels):
        raise InputError(f"got {len(texts)} notes but {len(labels)} labels; expected one label per note.")
    check_labels(labels, taxonomy or default_taxonomy(), max(cv, 4))
    params = dict(params or {})
    fewest = min(Counter(labels).values())
    in_training_fold = fewest - math.ceil(fewest / cv)  # >= 2 given max(cv, 4) examples per label
    params["calibration_folds"] = min(params.get("calibration_folds", CALIBRATION_FOLDS), in_training_fold)
    pipeline = build_pipeline(seed=seed, **params)
    prepared = preprocessor(pipeline).fit_transform(texts)
    y = np.asarray(labels, dtype=object)
    folds = StratifiedKFold(cv, shuffle=True, random_state=seed)
    proba = cross_val_predict(clone(after_preprocessing(pipeline)), prepared, y, cv=folds, method="predict_proba")
    classes = np.array(sorted(set(labels)), dtype=object)
    given = np.searchsorted(classes, y)
    best = proba.argmax(axis=1)
    rows = np.arange(len(y))
    p_given, p_suggested = proba[rows, given], proba[rows, best]
    score = 1 - p_given / np.maximum(p_suggested, np.finfo(float).tiny)
    frame = pd.DataFrame(
        {
            "label": y,
            "suggested": classes[best],
            "p_given": p_given.round(4),
            "p_suggested": p_suggested.round(4),
            "score": score.round(4),
        },
        index=pd.Index(rows, name="position"),
    )
    suspect = np.flatnonzero(best != given)
    return frame.iloc[suspect[np.argsort(-score[suspect], kind="stable")]]


def audit_frame(frame: "pd.DataFrame", taxonomy: Taxonomy | None = None, seed: int = 0) -> "pd.DataFrame":
    """The suspicious rows of a labelled frame (``text``, ``label`` and the user's own columns),
    most suspicious first, with ``suggested``, ``p_given``, ``p_suggested`` and ``score`` added."""
    flagged = audit_labels(frame["text"].tolist(), frame["label"].tolist(), taxonomy=taxonomy, seed=seed)
    out = frame.loc[flagged.index].copy()
    for column in ("suggested", "p_given", "p_suggested", "score"):
        out[column] = flagged[column].to_numpy()
    return out.reset_index(drop=True)
