"""Quality figures for a reason model on labelled notes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from classifier.model import ReasonModel

TARGET_PRECISION = 0.95


def scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str], weak: set[str]) -> dict:
    """Accuracy, macro-F1, weak-vs-valid F1, per-label figures and the confusion matrix."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    labels = list(labels)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    present = [l for l in labels if l in set(y_true)]
    return {
        "n": int(len(y_true)),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)), 4),
        "weak_f1": round(
            float(f1_score([t in weak for t in y_true], [q in weak for q in y_pred], zero_division=0)), 4
        ),
        "per_label": {
            label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4), "support": int(s[i])}
            for i, label in enumerate(labels)
        },
        "confusion": {"labels": labels, "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
    }


def confident_part(y_true: Sequence[str], y_pred: Sequence[str], confidence: Sequence[float], threshold: float) -> dict:
    """Accuracy and coverage of the predictions at or above ``threshold``."""
    y_true, y_pred, confidence = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object), np.asarray(confidence)
    sure = confidence >= threshold
    return {
        "threshold": round(float(threshold), 4),
        "coverage": round(float(sure.mean()), 4) if len(sure) else 0.0,
        "accuracy": round(float((y_true[sure] == y_pred[sure]).mean()), 4) if sure.any() else 0.0,
    }


def choose_threshold(y_true: Sequence[str], y_pred: Sequence[str], confidence: Sequence[float], target: float = TARGET_PRECISION) -> float:
    """Lowest confidence threshold whose confident part reaches ``target`` precision (on held-out data)."""
    y_true, y_pred, confidence = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object), np.asarray(confidence)
    order = np.argsort(-confidence)
    correct = (y_true[order] == y_pred[order]).cumsum()
    precision = correct / np.arange(1, len(order) + 1)
    ok = np.flatnonzero(precision >= target)
    if not len(ok):
        return 1.0
    return float(confidence[order][ok[-1]])


def evaluate(model: ReasonModel, texts: Sequence[str], labels: Sequence[str]) -> dict:
    """Score ``model`` on labelled notes: :func:`scores` plus the ``confident`` part at its threshold."""
    predicted = model.classify(texts)
    result = scores(labels, predicted["reason"], model.taxonomy.labels, model.taxonomy.weak_labels)
    result["confident"] = confident_part(labels, predicted["reason"], predicted["confidence"], model.threshold)
    return result
