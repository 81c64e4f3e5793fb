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


def flag_limit(confidence: Sequence[float], share: float) -> float:
    """Highest threshold that flags (puts below itself) at most ``share`` of ``confidence``."""
    ordered = np.sort(np.asarray(confidence, dtype=float))
    k = int(np.floor(share * len(ordered)))
    return float(ordered[k]) if k < len(ordered) else 1.0


COVERAGES = (1.0, 0.9, 0.8, 0.7, 0.65, 0.6, 0.5)


def tradeoff(y_true: Sequence[str], y_pred: Sequence[str], confidence: Sequence[float], coverages: Sequence[float] = COVERAGES) -> list[dict]:
    """Accuracy of the most confident notes at each share of notes kept (``coverage``).

    Each row also gives the ``threshold`` (the lowest confidence kept) that reaches it.
    """
    y_true, y_pred, confidence = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object), np.asarray(confidence)
    order = np.argsort(-confidence, kind="stable")
    correct = (y_true[order] == y_pred[order]).cumsum()
    rows = []
    for coverage in coverages:
        k = max(1, int(round(coverage * len(order))))
        rows.append({"coverage": coverage, "threshold": round(float(confidence[order][k - 1]), 4), "accuracy": round(float(correct[k - 1] / k), 4)})
    return rows


def costly_pairs(confusion: dict, top: int = 8) -> list[dict]:
    """The confusions with the most notes: ``true``, ``predicted``, ``n`` and whether they cross weak/valid."""
    labels, matrix = confusion["labels"], np.asarray(confusion["matrix"])
    pairs = [
        {"true": labels[i], "predicted": labels[j], "n": int(matrix[i, j])}
        for i in range(len(labels)) for j in range(len(labels)) if i != j and matrix[i, j]
    ]
    return sorted(pairs, key=lambda p: (-p["n"], p["true"], p["predicted"]))[:top]


def evaluate(
    model: ReasonModel,
    texts: Sequence[str],
    labels: Sequence[str],
    by: dict[str, Sequence[str]] | None = None,
) -> dict:
    """Score ``model`` on labelled notes.

    Returns :func:`scores` plus the ``mean_confidence`` (next to ``accuracy`` it shows whether
    the confidence over- or understates how often the model is right), the ``confident`` part
    at the model's threshold, the coverage/accuracy ``tradeoff``, the ``costly_pairs`` of the confusion matrix and, under
    ``by``, the same headline figures per value of each grouping column (``lang`` is always
    there: the file's own column if given, else the detected language).
    """
    unknown = sorted(set(labels) - set(model.taxonomy.labels))
    if unknown:
        from classifier.errors import InputError

        raise InputError(
            f"labels {', '.join(map(repr, unknown[:5]))} are not in the model's taxonomy ({', '.join(model.taxonomy.labels)}); "
            "fix the label column or evaluate a model trained with that taxonomy."
        )
    predicted = model.classify(texts)
    result = scores(labels, predicted["reason"], model.taxonomy.labels, model.taxonomy.weak_labels)
    result["mean_confidence"] = round(float(predicted["confidence"].mean()), 4)
    result["confident"] = confident_part(labels, predicted["reason"], predicted["confidence"], model.threshold)
    result["tradeoff"] = tradeoff(labels, predicted["reason"], predicted["confidence"])
    result["costly_pairs"] = costly_pairs(result["confusion"])
    groups = {"lang": predicted["note_lang"].tolist(), **(by or {})}
    y_true, y_pred = np.asarray(labels, dtype=object), predicted["reason"].to_numpy(dtype=object)
    conf = predicted["confidence"].to_numpy()
    result["by"] = {}
    for column, values in groups.items():
        values = np.asarray([str(v) for v in values], dtype=object)
        part = {}
        for value in sorted(set(values)):
            rows = values == value
            figures = scores(y_true[rows], y_pred[rows], model.taxonomy.labels, model.taxonomy.weak_labels)
            part[value] = {
                "n": figures["n"], "accuracy": figures["accuracy"], "macro_f1": figures["macro_f1"], "weak_f1": figures["weak_f1"],
                "confident": confident_part(y_true[rows], y_pred[rows], conf[rows], model.threshold),
            }
        result["by"][column] = part
    return result


def format_scores(result: dict, title: str) -> str:
    """Headline figures and per-label precision/recall/F1 of :func:`scores`, as text."""
    lines = [
        f"{title}: n={result['n']}  accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}  "
        f"weak-vs-valid F1 {result['weak_f1']:.3f}",
        f"  {'label':24} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>6}",
    ]
    for label, row in result["per_label"].items():
        lines.append(f"  {label:24} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} {row['support']:6d}")
    if "mean_confidence" in result:
        lines.append(f"  mean confidence {result['mean_confidence']:.3f} against accuracy {result['accuracy']:.3f} (equal when confidence is calibrated)")
    conf = result.get("confident")
    if conf:
        lines.append(
            f"  confident part (confidence >= {conf['threshold']:.2f}): accuracy {conf['accuracy']:.3f} "
            f"on {conf['coverage']:.0%} of notes"
        )
    return "\n".join(lines)


def format_breakdown(result: dict) -> str:
    """Per-group figures, the coverage/accuracy trade-off and the costliest confusions."""
    lines = []
    for column, groups in result.get("by", {}).items():
        lines.append(f"by {column}:")
        for value, row in groups.items():
            conf = row["confident"]
            lines.append(
                f"  {value:24} n={row['n']:<5d} accuracy {row['accuracy']:.3f}  macro-F1 {row['macro_f1']:.3f}  "
                f"weak-vs-valid F1 {row['weak_f1']:.3f}  not flagged: {conf['accuracy']:.3f} right on {conf['coverage']:.0%}"
            )
    if result.get("tradeoff"):
        lines.append("coverage/accuracy trade-off (keep the most confident notes, flag the rest for review):")
        lines += [f"  keep {row['coverage']:4.0%}  (confidence >= {row['threshold']:.2f}): accuracy {row['accuracy']:.3f}" for row in result["tradeoff"]]
    if result.get("costly_pairs"):
        lines.append("costliest confusions (true -> predicted):")
        lines += [f"  {p['n']:4d}  {p['true']} -> {p['predicted']}" for p in result["costly_pairs"]]
    return "\n".join(lines)


def format_confusion(confusion: dict) -> str:
    """The confusion matrix as a text table (rows: true label, columns: predicted)."""
    labels = confusion["labels"]
    short = [label[:6] for label in labels]
    lines = ["confusion matrix (rows: true, columns: predicted)", " " * 24 + " ".join(f"{s:>6}" for s in short)]
    for label, row in zip(labels, confusion["matrix"]):
        lines.append(f"{label:24}" + " ".join(f"{v:6d}" for v in row))
    return "\n".join(lines)


def evaluate_file(
    path, model: ReasonModel, *, text_column: str | None = None, label_column: str | None = None, by: Sequence[str] = ()
) -> dict:
    """:func:`evaluate` on a labelled CSV/Excel file, broken down by its ``lang`` column (if any)
    and every column named in ``by``."""
    from classifier.errors import InputError

    from .corpus import read_labelled

    frame = read_labelled(path, text_column, label_column)
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise InputError(f"{path} has no column {missing[0]!r} for --by; columns: {', '.join(map(str, frame.columns))}.")
    groups = {c: frame[c].tolist() for c in dict.fromkeys((["lang"] if "lang" in frame.columns else []) + list(by))}
    return evaluate(model, frame["text"].tolist(), frame["label"].tolist(), by=groups)
