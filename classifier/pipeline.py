"""The one factory for the reason model: spaCy preprocessing, n-gram features, calibrated linear SVM."""

from __future__ import annotations

import itertools
from typing import NamedTuple
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

from classifier.ngrams import CACHE_LIMIT, CharNgrams, cue_pairs, word_ngrams
from classifier.preprocess import NotePreprocessor

class Tokens(NamedTuple):
    """Space-separated notes split once: distinct tokens, each position's token id and note row."""

    distinct: list[str]
    ids: np.ndarray
    rows: np.ndarray
    lengths: np.ndarray
    n_docs: int


def split_tokens(raw_documents) -> Tokens:
    """Split preprocessed notes at spaces and number their distinct tokens (``pandas.factorize``)."""
    import pandas as pd

    docs = [doc.split() for doc in raw_documents]
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    flat = np.fromiter(itertools.chain.from_iterable(docs), dtype=object, count=int(lengths.sum()))
    ids, distinct = pd.factorize(flat) if len(flat) else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    return Tokens(distinct.tolist(), ids, rows, lengths, len(docs))


_INDEX_CACHE: WeakKeyDictionary = WeakKeyDictionary()


class TokenTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` with a fast ``transform`` for this project's analyzers, same output.

    Notes share most of their tokens. ``transform`` numbers the distinct tokens of a batch,
    builds a notes x tokens count matrix with numpy and multiplies it with a tokens x features
    matrix whose rows are looked up once per token and cached (:class:`CharNgrams` columns, or
    the unigram column for :func:`word_ngrams`); bigrams are found as pairs of unigram columns
    in a sorted key array. Other analyzers take the generic path.
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
        if not self.fast:
            return super().transform(raw_documents)
        return self.transform_tokens(split_tokens(raw_documents))

    @property
    def fast(self) -> bool:
        """Whether :meth:`transform_tokens` can vectorise this analyzer's features."""
        return self.analyzer is word_ngrams or hasattr(self.analyzer, "token_grams")

    def transform_tokens(self, tokens: "Tokens") -> sp.csr_matrix:
        """:meth:`transform` of notes already split by :func:`split_tokens` (shared between vectorisers)."""
        shape = (tokens.n_docs, len(self.vocabulary_))
        if self.analyzer is word_ngrams:
            counts = self._word_counts(tokens.distinct, tokens.ids, tokens.rows, tokens.lengths, shape)
        else:
            notes = sp.csr_matrix((np.ones(len(tokens.ids), dtype=self.dtype), (tokens.rows, tokens.ids)), shape=(tokens.n_docs, len(tokens.distinct)))
            counts = (notes @ self._token_matrix(tokens.distinct)).tocsr()  # no duplicates; unsorted indices are fine downstream
        return self._tfidf.transform(counts.astype(self.dtype, copy=False), copy=False)

    def _cache(self) -> dict:
        cache = _INDEX_CACHE.get(self)
        if cache is None:
            cache = _INDEX_CACHE[self] = {}
        return cache

    def _token_matrix(self, tokens: list[str]) -> sp.csr_matrix:
        """Rows of n-gram counts for ``tokens`` (distinct), each token's columns looked up once."""
        cache, vocabulary, grams = self._cache(), self.vocabulary_, self.analyzer.token_grams
        columns = []
        for token in tokens:
            hit = cache.get(token)
            if hit is None:
                hit = np.array([vocabulary[g] for g in grams(token) if g in vocabulary], dtype=np.int64)
                if len(cache) < CACHE_LIMIT:
                    cache[token] = hit
            columns.append(hit)
        indptr = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in columns], out=indptr[1:])
        indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        return sp.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(len(tokens), len(self.vocabulary_)))

    def _bigram_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted keys ``first * V + second`` (unigram columns) of the bigram features, and their columns."""
        cache = self._cache()
        if "bigrams" not in cache:
            vocabulary, size = self.vocabulary_, len(self.vocabulary_)
            pairs = [(f.split(" "), column) for f, column in vocabulary.items() if " " in f]
            keys = np.array([vocabulary[a] * size + vocabulary[b] for (a, b), _ in pairs], dtype=np.int64)
            columns = np.array([column for _, column in pairs], dtype=np.int64)
            order = np.argsort(keys)
            cache["bigrams"] = (keys[order], columns[order])
        return cache["bigrams"]

    def _word_counts(self, tokens: list[str], ids: np.ndarray, rows: np.ndarray, lengths: np.ndarray, shape) -> sp.csr_matrix:
        """Counts of :func:`word_ngrams` features: unigram columns per distinct token, bigrams by key."""
        get = self.vocabulary_.get
        unigram = np.array([get(t, -1) for t in tokens], dtype=np.int64)[ids] if tokens else np.zeros(0, dtype=np.int64)
        first = unigram[:-1]
        second = unigram[1:]
        same_doc = np.ones(len(first), dtype=bool)
        ends = np.cumsum(lengths)[:-1] - 1  # last position of every note but the final one
        same_doc[ends[(ends >= 0) & (ends < len(first))]] = False
        keys, key_columns = self._bigram_keys()
        candidate = (first >= 0) & (second >= 0) & same_doc
        wanted = first[candidate] * shape[1] + second[candidate]
        at = np.searchsorted(keys, wanted).clip(max=max(len(keys) - 1, 0))
        found = keys[at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
        known = unigram >= 0
        columns = np.concatenate([unigram[known], key_columns[at[found]]])
        doc_rows = np.concatenate([rows[known], rows[:-1][candidate][found]])
        return sp.csr_matrix((np.ones(len(columns), dtype=np.float64), (doc_rows, columns)), shape=shape)


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
