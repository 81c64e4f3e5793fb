"""Probabilities of preprocessed notes straight from the fitted weights, block by block.

``after_preprocessing(pipeline).predict_proba`` vectorises each feature block, stacks the
blocks into one sparse matrix (``FeatureUnion``) and multiplies it with the linear model's
weights. :class:`LinearScorer` gives the same probabilities with less work: the notes are split
into tokens once for both vectorisers, each block's tf-idf matrix is multiplied with its own
slice of the weights at once, and no stacked matrix is built. Models it cannot read (another
classifier, a block without the fast path) take sklearn's path.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.compact import Block, CompactScorer, sigmoid_probabilities
from classifier.ngrams import CharNgrams, word_ngrams
from classifier.features import split_tokens
from classifier.pipeline import TokenTfidfVectorizer, after_preprocessing, preprocessor


class LinearScorer:
    """Calibrated probabilities of a fitted ``features`` union + sigmoid-calibrated linear model.

    Built from the pipeline's steps after ``prep`` by :meth:`from_pipeline`; ``None`` there
    means the model has another shape and sklearn's own ``predict_proba`` must be used.
    """

    def __init__(self, blocks: list[TokenTfidfVectorizer], weights: list[np.ndarray], intercept: np.ndarray, calibrated):
        self.blocks = blocks
        self.weights = weights
        self.intercept = intercept
        classes = calibrated.classes
        self.columns = np.searchsorted(classes, calibrated.estimator.classes_)
        self.n_classes = len(classes)
        self.a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
        self.b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)

    @classmethod
    def from_pipeline(cls, rest: Pipeline) -> "LinearScorer | None":
        """A scorer for ``rest`` (features + classifier), or ``None`` if it does not have that shape."""
        features, clf = rest.named_steps.get("features"), rest.steps[-1][1]
        if not isinstance(features, FeatureUnion) or not isinstance(clf, CalibratedClassifierCV):
            return None
        calibrated = getattr(clf, "calibrated_classifiers_", [])
        if len(calibrated) != 1 or calibrated[0].method != "sigmoid" or len(clf.classes_) < 3:
            return None
        estimator = calibrated[0].estimator
        coef = getattr(estimator, "coef_", None)
        if coef is None or coef.ndim != 2:
            return None
        blocks, weights, start = [], [], 0
        factors = features.transformer_weights or {}
        for name, block in features.transformer_list:
            if not (isinstance(block, TokenTfidfVectorizer) and block.fast):
                return None
            width = len(block.vocabulary_)
            weights.append(np.ascontiguousarray(coef[:, start : start + width].T * factors.get(name, 1.0)))
            blocks.append(block)
            start += width
        if start != coef.shape[1]:
            return None
        return cls(blocks, weights, np.asarray(estimator.intercept_, dtype=np.float64), calibrated[0])

    def decision_function(self, prepared: list[str]) -> np.ndarray:
        """The linear model's scores, one row per preprocessed note."""
        tokens = split_tokens(prepared)
        scores = np.tile(self.intercept, (len(prepared), 1))
        for block, weight in zip(self.blocks, self.weights):
            scores += block.transform_tokens(tokens) @ weight
        return scores

    def predict_proba(self, prepared: list[str]) -> np.ndarray:
        """Calibrated probabilities as ``CalibratedClassifierCV.predict_proba`` computes them."""
        return self.calibrate(self.decision_function(prepared))

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        """Probabilities from the linear model's scores: the sigmoid per class, normalised per note."""
        return sigmoid_probabilities(decision, self.a, self.b, self.columns, self.n_classes)


_SCORERS: WeakKeyDictionary = WeakKeyDictionary()  # pipeline -> (classifier it was read from, scorer)


def predict_prepared(pipeline: Pipeline, prepared: list[str]) -> np.ndarray:
    """Probabilities of preprocessed notes by ``pipeline``'s steps after ``prep``.

    The scorer is read from the fitted weights once per pipeline (again if it is refitted).
    """
    rest = after_preprocessing(pipeline)
    clf = rest.steps[-1][1]
    source = getattr(clf, "calibrated_classifiers_", None)
    hit = _SCORERS.get(pipeline)
    if hit is None or hit[0] is not source:
        hit = _SCORERS[pipeline] = (source, LinearScorer.from_pipeline(rest))
    scorer = hit[1]
    return rest.predict_proba(prepared) if scorer is None else scorer.predict_proba(prepared)


def compact_scorer(pipeline: Pipeline, source: str = "") -> CompactScorer | None:
    """The arrays of a fitted pipeline for :class:`~classifier.compact.CompactScorer`, or ``None``
    if its shape has none (e.g. logistic regression); ``source`` names the model file they come from."""
    scorer = LinearScorer.from_pipeline(after_preprocessing(pipeline))
    if scorer is None:
        return None
    blocks = []
    for vectoriser, weights in zip(scorer.blocks, scorer.weights):
        analyzer = vectoriser.analyzer
        kind = "words" if analyzer is word_ngrams else "chars" if isinstance(analyzer, CharNgrams) else None
        if kind is None or not vectoriser.sublinear_tf or vectoriser.norm != "l2" or not vectoriser.use_idf or vectoriser.binary:
            return None
        terms = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.get)
        char_range = (analyzer.min_n, analyzer.max_n) if kind == "chars" else (0, 0)
        blocks.append(Block(kind, terms, np.asarray(vectoriser.idf_, dtype=np.float64), weights, char_range))
    prep = preprocessor(pipeline)
    return CompactScorer(
        classes=[str(c) for c in pipeline.classes_],
        blocks=blocks,
        intercept=scorer.intercept,
        a=scorer.a,
        b=scorer.b,
        columns=np.asarray(scorer.columns, dtype=np.int64),
        prep={"cues": bool(prep.cues), "concepts": bool(prep.concepts), "function_words": str(prep.function_words)},
        source=source,
    )
