"""The one factory for the reason model: spaCy preprocessing, n-gram features, calibrated linear SVM."""

from __future__ import annotations

from weakref import WeakKeyDictionary

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from classifier.preprocess import NotePreprocessor

CACHE_LIMIT = 200_000  # distinct tokens remembered per cache: bounds memory on huge exports
_CHAR_CACHE: dict[tuple[str, int, int], list[str]] = {}


def word_ngrams(doc: str) -> list[str]:
    """Unigrams and bigrams of a preprocessed (space-separated) note.

    >>> word_ngrams("kein budget da")
    ['kein', 'budget', 'da', 'kein budget', 'budget da']
    """
    tokens = doc.split()
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def cue_pairs(doc: str) -> list[str]:
    """Cue tokens of a preprocessed note and every pair of them (ideas that occur together).

    >>> cue_pairs("chef entscheiden cue_about_boss cue_about_decide")
    ['cue_about_boss', 'cue_about_decide', 'cue_about_boss|cue_about_decide']
    """
    cues = sorted({t for t in doc.split() if t.startswith("cue_")})
    return cues + [f"{a}|{b}" for i, a in enumerate(cues) for b in cues[i + 1 :]]


class CharNgrams:
    """Character n-grams inside each token (like ``char_wb``), cached per token.

    Notes share most of their tokens, so caching makes this several times faster than
    ``TfidfVectorizer(analyzer="char_wb")`` while giving the same kind of features.

    >>> CharNgrams(3, 3)("ab cde")
    [' ab', 'ab ', ' cd', 'cde', 'de ']
    """

    def __init__(self, min_n: int = 2, max_n: int = 5):
        self.min_n = min_n
        self.max_n = max_n

    def __call__(self, doc: str) -> list[str]:
        grams: list[str] = []
        for token in doc.split():
            key = (token, self.min_n, self.max_n)
            hit = _CHAR_CACHE.get(key)
            if hit is None:
                hit = self.token_grams(token)
                if len(_CHAR_CACHE) < CACHE_LIMIT:
                    _CHAR_CACHE[key] = hit
            grams.extend(hit)
        return grams

    def token_grams(self, token: str) -> list[str]:
        """The n-grams of one token; none for cue tokens and placeholders."""
        if token.startswith(("cue_", "xx")):
            return []
        padded = f" {token} "
        return [padded[i : i + n] for n in range(self.min_n, self.max_n + 1) for i in range(len(padded) - n + 1)]


_INDEX_CACHE: WeakKeyDictionary = WeakKeyDictionary()


class TokenTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` with a fast ``transform`` for this project's analyzers, same output.

    For :class:`CharNgrams` the features of a note are the features of its tokens, and tokens
    repeat across notes: each token's columns are looked up once and cached. For
    :func:`word_ngrams` the unigrams and bigrams are looked up directly, without building the
    feature strings twice. Other analyzers take the generic path.
    """

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and idf, as ``TfidfVectorizer.fit``; forgets cached columns of an earlier fit."""
        _INDEX_CACHE.pop(self, None)
        return super().fit(raw_documents, y)

    def fit_transform(self, raw_documents, y=None):
        """Learn vocabulary and idf and return the document-term matrix; forgets cached columns of an earlier fit."""
        _INDEX_CACHE.pop(self, None)
        return super().fit_transform(raw_documents, y)

    def transform(self, raw_documents) -> sp.csr_matrix:
        """Tf-idf-weighted document-term matrix of ``raw_documents``, equal to ``TfidfVectorizer.transform``."""
        check_is_fitted(self, "vocabulary_")
        if self.analyzer is word_ngrams:
            indices, indptr = self._word_columns(raw_documents)
        elif hasattr(self.analyzer, "token_grams"):
            indices, indptr = self._token_columns(raw_documents)
        else:
            return super().transform(raw_documents)
        counts = sp.csr_matrix(
            (np.ones(len(indices), dtype=self.dtype), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(len(indptr) - 1, len(self.vocabulary_)),
        )
        counts.sum_duplicates()
        return self._tfidf.transform(counts, copy=False)

    def _cache(self) -> dict:
        cache = _INDEX_CACHE.get(self)
        if cache is None:
            cache = _INDEX_CACHE[self] = {}
        return cache

    def _token_columns(self, raw_documents) -> tuple[list[int], list[int]]:
        """Columns of each token's n-grams, looked up once per distinct token."""
        cache, vocabulary, grams = self._cache(), self.vocabulary_, self.analyzer.token_grams
        indices: list[int] = []
        indptr = [0]
        for doc in raw_documents:
            for token in doc.split():
                columns = cache.get(token)
                if columns is None:
                    columns = [vocabulary[g] for g in grams(token) if g in vocabulary]
                    if len(cache) < CACHE_LIMIT:
                        cache[token] = columns
                indices.extend(columns)
            indptr.append(len(indices))
        return indices, indptr

    def _word_columns(self, raw_documents) -> tuple[list[int], list[int]]:
        """Columns of :func:`word_ngrams` features: unigrams and bigrams by direct look-up."""
        get = self.vocabulary_.get
        indices: list[int] = []
        indptr = [0]
        for doc in raw_documents:
            tokens = doc.split()
            for feature in tokens:
                column = get(feature)
                if column is not None:
                    indices.append(column)
            for a, b in zip(tokens, tokens[1:]):
                column = get(f"{a} {b}")
                if column is not None:
                    indices.append(column)
            indptr.append(len(indices))
        return indices, indptr


def build_pipeline(
    *,
    C: float | None = None,
    char_min: int = 3,
    char_max: int = 5,
    cues: bool = True,
    concepts: bool = True,
    function_words: str = "keep",
    char_weight: float = 1.0,
    cue_weight: float = 0.0,
    model: str = "svm",
    calibration_folds: int = 5,
    seed: int = 0,
) -> Pipeline:
    """Build the untrained reason classifier.

    Steps: ``prep`` (:class:`NotePreprocessor`, the spaCy step), ``features`` (TF-IDF of word
    1-2-grams over lemmas, character n-grams for typos and compounds, and the cue tokens with
    their pairs, weighted ``char_weight`` and ``cue_weight``), ``clf``: ``model="logreg"``, a
    multinomial logistic regression (``C`` default 10) whose probabilities need no extra
    calibration, or ``"svm"``, a linear SVM (``C`` default 1) with sigmoid-calibrated
    probabilities. Either is one linear model, so its weights can explain a note.
    """
    blocks = [
        ("words", TokenTfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=1)),
        ("chars", TokenTfidfVectorizer(analyzer=CharNgrams(char_min, char_max), sublinear_tf=True, min_df=2)),
        ("cues", TokenTfidfVectorizer(analyzer=cue_pairs, sublinear_tf=True, min_df=2)),
    ]
    weights = {"words": 1.0, "chars": char_weight, "cues": cue_weight}
    blocks = [(name, vectoriser) for name, vectoriser in blocks if weights[name]]
    features = FeatureUnion(blocks, transformer_weights={name: weights[name] for name, _ in blocks})
    if model == "logreg":
        clf = LogisticRegression(C=10.0 if C is None else C, class_weight="balanced", max_iter=3000)
    elif model == "svm":
        clf = CalibratedClassifierCV(
            LinearSVC(C=1.0 if C is None else C, class_weight="balanced", random_state=seed),
            method="sigmoid",
            cv=StratifiedKFold(calibration_folds, shuffle=True, random_state=seed),
            ensemble=False,
        )
    else:
        raise ValueError(f"Got model {model!r} but expected 'logreg' or 'svm'.")
    return Pipeline([("prep", NotePreprocessor(cues=cues, concepts=concepts, function_words=function_words)), ("features", features), ("clf", clf)])


def preprocessor(pipeline: Pipeline) -> NotePreprocessor:
    """The pipeline's spaCy step (``prep``), looked up by name."""
    return pipeline.named_steps["prep"]


def after_preprocessing(pipeline: Pipeline) -> Pipeline:
    """The steps after ``prep`` (features and classifier): what runs on preprocessed notes."""
    return pipeline[list(pipeline.named_steps).index("prep") + 1 :]
