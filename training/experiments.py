"""Ideas measured and not shipped, so the README's "what was tried" has a command for each figure.

Usage::

    python -m training.experiments --dev ../shared/real_phrases/real_phrases_dev.csv compounds registers ensemble

``compounds``
    German compound splitting: each German lemma that splits into two words of spaCy's German
    lemma table (parts of 4+ letters, linking s/n/en allowed) also adds its parts as tokens,
    once as plain lemmas and once with a ``cmp_`` marker.
``registers``
    Training notes of the other registers (buyer quotes, rule language, summaries) weighted 2 or
    4 times a rep note, or half of one.
``ensemble``
    The shipped pipeline averaged with a TF-IDF word 1-2-gram + char_wb 2-5-gram linear SVM on
    the raw text (sigmoid-calibrated), at several weights; with the accuracy of the notes kept
    when the least confident 35% are flagged.

Each trains on the whole corpus and prints macro-F1 on the ``--dev`` file (overall, German,
English) and on the independent test set.
"""

from __future__ import annotations

import argparse
from functools import lru_cache

import numpy as np
import pandas as pd

from classifier.pipeline import build_pipeline

from .ablation import macro_f1
from .corpus import load_corpus


def _figures(name: str, predicted: np.ndarray, dev: pd.DataFrame, predicted_test: np.ndarray, test: pd.DataFrame) -> str:
    german = (dev["lang"] == "de").to_numpy()
    y = dev["label"].to_numpy()
    return (f"{name}: dev {macro_f1(y, predicted):.3f} de {macro_f1(y[german], predicted[german]):.3f} "
            f"en {macro_f1(y[~german], predicted[~german]):.3f} test {macro_f1(test['label'], predicted_test):.3f}")


def _compound_splitter(marker: str):
    from classifier.lemmas import _lemma_table, _lemmatiser
    from classifier.normalize import fold

    table = _lemma_table("de")
    words = {fold(k.lower()) for k in table} | {fold(v.lower()) for v in table.values()}

    @lru_cache(maxsize=None)
    def parts(token: str) -> tuple[str, ...]:
        best: tuple[str, str] | None = None
        if len(token) >= 8 and token.isalpha():
            for i in range(4, len(token) - 3):
                left, right = token[:i], token[i:]
                stems = [left] + [left[: -len(link)] for link in ("s", "n", "en") if left.endswith(link)]
                stem = next((s for s in stems if len(s) >= 3 and s in words), None)
                if right in words and stem is not None:
                    if best is None or len(right) > len(best[1]):
                        best = (stem, right)
        return tuple(marker + _lemmatiser("de")(p) for p in best) if best else ()

    return parts


def compounds(corpus: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame) -> None:
    import classifier.preprocess as preprocess

    plain = preprocess.prepare_notes
    for marker in ("", "cmp_"):
        parts = _compound_splitter(marker)

        def with_parts(notes, **params):
            prepared, langs = plain(notes, **params)
            return [p + "".join(f" {x}" for t in p.split() if not t.startswith("cue_") for x in parts(t)) if lang == "de" else p
                    for p, lang in zip(prepared, langs)], langs

        preprocess.prepare_notes = with_parts
        try:
            model = build_pipeline().fit(corpus["text"], corpus["label"])
            print(_figures(f"compound parts as tokens{' with marker ' + marker if marker else ''}",
                           model.predict(dev["text"]), dev, model.predict(test["text"]), test), flush=True)
        finally:
            preprocess.prepare_notes = plain


def registers(corpus: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame) -> None:
    for weight in (2.0, 4.0, 0.5):
        sample_weight = np.where(corpus["register"] == "rep_note", 1.0, weight)
        model = build_pipeline().fit(corpus["text"], corpus["label"], clf__sample_weight=sample_weight)
        print(_figures(f"other registers weighted {weight}", model.predict(dev["text"]), dev, model.predict(test["text"]), test), flush=True)


def ensemble(corpus: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame) -> None:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    ours = build_pipeline().fit(corpus["text"], corpus["label"])
    words_chars = make_union(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)),
                             TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2))
    peer = make_pipeline(words_chars, CalibratedClassifierCV(LinearSVC(class_weight="balanced", random_state=0), method="sigmoid", cv=5))
    peer.fit(corpus["text"], corpus["label"])
    labels = np.asarray(ours.classes_)
    assert list(peer.classes_) == list(labels)
    p_dev = [m.predict_proba(dev["text"]) for m in (ours, peer)]
    p_test = [m.predict_proba(test["text"]) for m in (ours, peer)]
    for weight in (1.0, 0.7, 0.5, 0.3, 0.0):
        proba = weight * p_dev[0] + (1 - weight) * p_dev[1]
        predicted = labels[proba.argmax(axis=1)]
        confidence = proba.max(axis=1)
        kept = confidence >= np.quantile(confidence, 0.35)
        right = float((predicted[kept] == dev["label"].to_numpy()[kept]).mean())
        test_predicted = labels[(weight * p_test[0] + (1 - weight) * p_test[1]).argmax(axis=1)]
        print(_figures(f"shipped model weight {weight}", predicted, dev, test_predicted, test)
              + f"; {right:.3f} right with the least confident 35% flagged", flush=True)


EXPERIMENTS = {"compounds": compounds, "registers": registers, "ensemble": ensemble}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", required=True, help="labelled CSV (text,label,lang), e.g. the real phrases")
    parser.add_argument("names", nargs="+", choices=sorted(EXPERIMENTS))
    args = parser.parse_args(argv)
    corpus = load_corpus("corpus.csv").dropna(subset=["text"])
    dev = pd.read_csv(args.dev, dtype=str, keep_default_na=False)
    test = load_corpus("independent_test.csv")
    for name in args.names:
        EXPERIMENTS[name](corpus, dev, test)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
