"""Probabilities of preprocessed notes straight from the fitted weights.

``after_preprocessing(pipeline).predict_proba`` vectorises each feature block, stacks the
blocks into one sparse matrix (``FeatureUnion``) and multiplies it with the linear model's
weights. :func:`compact_scorer` reads those weights into a
:class:`~classifier.compact.CompactScorer`, which gives the same probabilities with less work:
the notes are split into tokens once for both blocks, each block's tf-idf matrix is multiplied
with its own slice of the weights, and no stacked matrix is built. :func:`predict_prepared`
scores with it; models it cannot read (another classifier, a block without the fast path)
take sklearn's path.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.compact import Block, CompactScorer
from classifier.ngrams import CharNgrams, word_ngrams
from classifier.pipeline import TokenTfidfVectorizer, after_preprocessing, bayes_part, linear_part, preprocessor


def compact_scorer(pipeline: Pipeline, source: str = "") -> CompactScorer | None:
    """The weights of a fitted pipeline as a :class:`~classifier.compact.CompactScorer`, or ``None``
    if its shape has no compact form (e.g. logistic regression); ``source`` names the model file."""
    rest = after_preprocessing(pipeline)
    features, clf = rest.named_steps.get("features"), linear_part(rest.steps[-1][1])
    bayes, bayes_weight = bayes_part(rest.steps[-1][1])
    if not isinstance(features, FeatureUnion) or not isinstance(clf, CalibratedClassifierCV):
        return None
    calibrated = getattr(clf, "calibrated_classifiers_", [])
    if len(calibrated) != 1 or calibrated[0].method != "sigmoid" or len(clf.classes_) < 3:
        return None
    estimator = calibrated[0].estimator
    coef = getattr(estimator, "coef_", None)
    if coef is None or coef.ndim != 2:
        return None
    if bayes is not None:  # its log probabilities are a second linear model: scored in the same product
        coef = np.vstack([coef, bayes.feature_log_prob_])
    blocks, start = [], 0
    factors = features.transformer_weights or {}
    for name, vectoriser in features.transformer_list:
        analyzer = getattr(vectoriser, "analyzer", None)
        kind = "words" if analyzer is word_ngrams else "chars" if isinstance(analyzer, CharNgrams) else None
        if (kind is None or not isinstance(vectoriser, TokenTfidfVectorizer) or not vectoriser.sublinear_tf
                or vectoriser.norm != "l2" or not vectoriser.use_idf or vectoriser.binary):
            return None
        width = len(vectoriser.vocabulary_)
        weights = np.ascontiguousarray(coef[:, start : start + width].T * factors.get(name, 1.0))
        terms = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.get)
        char_range = (analyzer.min_n, analyzer.max_n) if kind == "chars" else (0, 0)
        blocks.append(Block(kind, terms, np.asarray(vectoriser.idf_, dtype=np.float64), weights, char_range))
        start += width
    if start != coef.shape[1] or (bayes is not None and len(bayes.classes_) != len(clf.classes_)):
        return None
    prep = preprocessor(pipeline)
    return CompactScorer(
        classes=[str(c) for c in pipeline.classes_],
        blocks=blocks,
        intercept=np.asarray(estimator.intercept_, dtype=np.float64),
        a=np.array([c.a_ for c in calibrated[0].calibrators], dtype=np.float64),
        b=np.array([c.b_ for c in calibrated[0].calibrators], dtype=np.float64),
        columns=np.searchsorted(calibrated[0].classes, estimator.classes_).astype(np.int64),
        bayes_weight=bayes_weight,
        prep={"cues": bool(prep.cues), "concepts": bool(prep.concepts), "function_words": str(prep.function_words)},
        source=source,
    )


_SCORERS: WeakKeyDictionary = WeakKeyDictionary()  # pipeline -> (classifier it was read from, scorer)


def predict_prepared(pipeline: Pipeline, prepared: list[str]) -> np.ndarray:
    """Probabilities of preprocessed notes by ``pipeline``'s steps after ``prep``.

    The scorer is read from the fitted weights once per pipeline (again if it is refitted).
    """
    source = getattr(linear_part(pipeline.steps[-1][1]), "calibrated_classifiers_", None)
    hit = _SCORERS.get(pipeline)
    if hit is None or hit[0] is not source:
        hit = _SCORERS[pipeline] = (source, compact_scorer(pipeline))
    scorer = hit[1]
    return after_preprocessing(pipeline).predict_proba(prepared) if scorer is None else scorer.predict_proba(prepared)
