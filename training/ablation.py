"""Ablation: each modelling choice against cross-validation, the test set per register and a dev set.

Usage::

    python -m training.ablation --dev ../shared/real_phrases/real_phrases_dev.csv [--test] [--only NAME ...] [--readme]

Every configuration is :func:`classifier.pipeline.build_pipeline` with some parameters changed
from the shipped ones (``BASE``). For each it prints stratified 5-fold cross-validated macro-F1
on the training corpus, macro-F1 on every labelled file given with ``--dev`` (overall and per
language) with the share right among its 65% most confident notes (``right@65%``: what
``needs_review`` can reach flagging 35%; not for the test set, where nearly all are right), and with ``--test`` macro-F1 on the independent test
set per register and on the unprompted test slice (texts written without a label). Choose
features on cross-validation and the dev set only; ``--test`` is for the final record.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier.pipeline import after_preprocessing, build_pipeline, preprocessor

from .corpus import load_corpus
from .evaluate import tradeoff

BASE: dict = {}
CONFIGS: list[tuple[str, dict]] = [
    ("shipped: concept lexicon, function words kept, calibrated SVM + naive Bayes", {}),
    ("calibrated SVM alone (no naive Bayes committee)", {"bayes_weight": 0.0}),
    ("naive Bayes weight 0.5", {"bayes_weight": 0.5}),
    ("no concept lexicon (round-1 features)", {"concepts": False}),
    ("function words dropped", {"function_words": "drop"}),
    ("cue-pair block added", {"cue_weight": 1.0}),
    ("function words dropped and cue-pair block (first registers model)", {"function_words": "drop", "cue_weight": 1.0}),
    ("no curated cue phrases", {"cues": False}),
    ("no character n-grams", {"char_weight": 0.0}),
    ("character n-grams weighted 0.5", {"char_weight": 0.5}),
    ("logistic regression instead of calibrated SVM", {"model": "logreg"}),
    ("SVM C = 0.3", {"C": 0.3}),
    ("SVM C = 2", {"C": 2.0}),
    ("character n-grams weighted 2", {"char_weight": 2.0}),
    ("character 3-6-grams", {"char_max": 6}),
]


def macro_f1(y_true, y_pred) -> float:
    return round(float(f1_score(y_true, y_pred, average="macro", labels=sorted(set(y_true)), zero_division=0)), 3)


def run(params: dict, corpus: pd.DataFrame, evals: dict[str, pd.DataFrame], cv: int = 5, prepared_by: dict | None = None) -> dict[str, float]:
    """Figures of one configuration: ``cv`` and ``<eval>[/<group>]`` macro-F1 values, ``<eval> right@65%``.

    ``prepared_by`` keeps the preprocessed notes per spaCy-step configuration, so configurations
    that differ only after it share one preprocessing run.
    """
    pipeline = build_pipeline(**{**BASE, **params})
    prep = preprocessor(pipeline)
    key = repr(sorted(prep.get_params().items()))
    prepared_by = {} if prepared_by is None else prepared_by
    if key not in prepared_by:
        prepared_by[key] = prep.fit_transform(corpus["text"].tolist()), {n: prep.transform(f["text"].tolist()) for n, f in evals.items()}
    prepared, prepared_evals = prepared_by[key]
    y = corpus["label"].to_numpy(dtype=object)
    row: dict[str, float] = {}
    if cv:
        folds = StratifiedKFold(cv, shuffle=True, random_state=0)
        row["cv"] = macro_f1(y, cross_val_predict(clone(after_preprocessing(pipeline)), prepared, y, cv=folds))
    rest = after_preprocessing(pipeline).fit(prepared, y)
    for name, frame in evals.items():
        proba = rest.predict_proba(prepared_evals[name])
        predicted = rest.classes_[proba.argmax(axis=1)]
        row[name] = macro_f1(frame["label"], predicted)
        if name != "test":  # nearly every test note is right anyway
            row[f"{name} right@65%"] = round(tradeoff(frame["label"], predicted, proba.max(axis=1), [0.65])[0]["accuracy"], 3)
        for column in ("lang", "register"):
            if name != "unprompted" and column in frame and frame[column].nunique() > 1:
                for value, index in frame.groupby(column).groups.items():
                    row[f"{name}/{value}"] = macro_f1(frame.loc[index, "label"], predicted[frame.index.get_indexer(index)])
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", action="append", default=[], help="labelled CSV (text,label[,lang]) to score; repeatable")
    parser.add_argument("--test", action="store_true", help="also score the independent test set per register and the unprompted test slice")
    parser.add_argument("--only", nargs="*", help="configuration names to run (substring match)")
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--readme", action="store_true", help="write the table into README.md's ablation block")
    args = parser.parse_args(argv)
    corpus = load_corpus()
    evals = {f"dev{i + 1}" if len(args.dev) > 1 else "dev": pd.read_csv(p, dtype=str, keep_default_na=False) for i, p in enumerate(args.dev)}
    if args.test:
        evals["test"] = load_corpus("independent_test.csv")
        evals["unprompted"] = load_corpus("unprompted_test.csv")
    rows, prepared_by = [], {}
    for name, params in CONFIGS:
        if args.only and not any(o in name for o in args.only):
            continue
        row = {"configuration": name, **run(params, corpus, evals, args.cv, prepared_by)}
        rows.append(row)
        print(" | ".join(f"{k}={v}" for k, v in row.items()), file=sys.stderr, flush=True)
    table = markdown_table(rows)
    print(table)
    if args.readme:
        _write_readme(table)
    return 0


def markdown_table(rows: list[dict]) -> str:
    """Rows of :func:`run` figures as a markdown table, one column per figure."""
    columns = list(dict.fromkeys(k for row in rows for k in row if k != "configuration"))
    lines = ["| configuration | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for row in rows:
        lines.append(f"| {row['configuration']} | " + " | ".join(f"{row[c]:.3f}" if c in row else "" for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _write_readme(table: str) -> None:
    import re

    from .bundle import README

    text = README.read_text(encoding="utf-8")
    block = re.compile(r"(<!-- ablation:start -->\n)(.*?)(<!-- ablation:end -->)", re.S)
    README.write_text(block.sub(lambda m: m.group(1) + table + m.group(3), text), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
