"""Tf-idf matrices of preprocessed notes for the word and character blocks, without scikit-learn.

Notes share most of their tokens. :func:`split_tokens` numbers the distinct tokens of a batch
once for both blocks; :class:`TermColumns` turns them into a notes x terms count matrix (each
distinct token's character n-gram columns are looked up once and cached; bigrams are found as
pairs of unigram columns in a sorted key array); :func:`sublinear_tfidf` weighs the counts as
``TfidfVectorizer(sublinear_tf=True, norm="l2")`` does. Training reaches them through
:class:`classifier.pipeline.TokenTfidfVectorizer`, classifying through
:class:`classifier.compact.CompactScorer`.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from classifier.ngrams import CACHE_LIMIT, word_ngrams

PANDAS_FROM = 20_000  # tokens in a batch from which pandas.factorize numbers them (faster; costs its import)


class Tokens(NamedTuple):
    """Space-separated notes split once: distinct tokens, each position's token id and note row."""

    distinct: list[str]
    ids: np.ndarray
    rows: np.ndarray
    lengths: np.ndarray
    n_docs: int


def split_tokens(raw_documents) -> Tokens:
    """Split preprocessed notes at spaces and number their distinct tokens in order of first occurrence.

    >>> split_tokens(["kein budget", "budget da"]).ids.tolist()
    [0, 1, 1, 2]
    """
    docs = [doc.split() for doc in raw_documents]
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    count = int(lengths.sum())
    if count >= PANDAS_FROM:
        import pandas as pd

        flat = np.fromiter(itertools.chain.from_iterable(docs), dtype=object, count=count)
        ids, distinct = pd.factorize(flat)
        distinct = distinct.tolist()
    else:
        position: dict[str, int] = {}
        ids = np.fromiter((position.setdefault(t, len(position)) for t in itertools.chain.from_iterable(docs)), dtype=np.int64, count=count)
        distinct = list(position)
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    return Tokens(distinct, ids.astype(np.int64, copy=False), rows, lengths, len(docs))


class TermColumns:
    """Counts of a block's terms in split notes: ``vocabulary`` maps term -> column, ``analyzer``
    is :func:`~classifier.ngrams.word_ngrams` or has ``token_grams`` (:class:`~classifier.ngrams.CharNgrams`)."""

    def __init__(self, vocabulary: dict[str, int], analyzer):
        self.vocabulary = vocabulary
        self.analyzer = analyzer
        self._columns: dict[str, np.ndarray] = {}
        self._bigrams: tuple[np.ndarray, np.ndarray] | None = None

    def counts(self, tokens: Tokens) -> sp.csr_matrix:
        """The notes x terms count matrix (float64, no duplicate entries)."""
        shape = (tokens.n_docs, len(self.vocabulary))
        if self.analyzer is word_ngrams:
            return self._word_counts(tokens, shape)
        notes = sp.csr_matrix((np.ones(len(tokens.ids)), (tokens.rows, tokens.ids)), shape=(tokens.n_docs, len(tokens.distinct)))
        return (notes @ self._token_matrix(tokens.distinct)).tocsr()  # unsorted indices are fine downstream

    def _token_matrix(self, distinct: list[str]) -> sp.csr_matrix:
        """Rows of n-gram counts for ``distinct`` tokens, each token's columns looked up once."""
        cache, vocabulary, grams = self._columns, self.vocabulary, self.analyzer.token_grams
        columns = []
        for token in distinct:
            hit = cache.get(token)
            if hit is None:
                hit = np.array([vocabulary[g] for g in grams(token) if g in vocabulary], dtype=np.int64)
                if len(cache) < CACHE_LIMIT:
                    cache[token] = hit
            columns.append(hit)
        indptr = np.zeros(len(distinct) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in columns], out=indptr[1:])
        indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        return sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(distinct), len(vocabulary)))

    def _bigram_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted keys ``first * V + second`` (unigram columns) of the bigram terms, and their columns."""
        if self._bigrams is None:
            vocabulary, size = self.vocabulary, len(self.vocabulary)
            pairs = [(f.split(" "), column) for f, column in vocabulary.items() if " " in f]
            keys = np.array([vocabulary[a] * size + vocabulary[b] for (a, b), _ in pairs], dtype=np.int64)
            columns = np.array([column for _, column in pairs], dtype=np.int64)
            order = np.argsort(keys)
            self._bigrams = (keys[order], columns[order])
        return self._bigrams

    def _word_counts(self, tokens: Tokens, shape: tuple[int, int]) -> sp.csr_matrix:
        """Counts of :func:`word_ngrams` terms: unigram columns per distinct token, bigrams by key."""
        get = self.vocabulary.get
        unigram = np.array([get(t, -1) for t in tokens.distinct], dtype=np.int64)[tokens.ids] if tokens.distinct else np.zeros(0, dtype=np.int64)
        first, second = unigram[:-1], unigram[1:]
        same_doc = np.ones(len(first), dtype=bool)
        ends = np.cumsum(tokens.lengths)[:-1] - 1  # last position of every note but the final one
        same_doc[ends[(ends >= 0) & (ends < len(first))]] = False
        keys, key_columns = self._bigram_keys()
        candidate = (first >= 0) & (second >= 0) & same_doc
        wanted = first[candidate] * shape[1] + second[candidate]
        at = np.searchsorted(keys, wanted).clip(max=max(len(keys) - 1, 0))
        found = keys[at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
        known = unigram >= 0
        columns = np.concatenate([unigram[known], key_columns[at[found]]])
        doc_rows = np.concatenate([tokens.rows[known], tokens.rows[:-1][candidate][found]])
        return sp.csr_matrix((np.ones(len(columns)), (doc_rows, columns)), shape=shape)


def sublinear_tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """``(1 + log(count)) * idf``, each row scaled to unit length (rows with no term stay empty); changes ``counts``."""
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    squares = sp.csr_matrix((counts.data**2, counts.indices, counts.indptr), shape=counts.shape)
    norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
    counts.data /= np.repeat(norms, np.diff(counts.indptr))  # a row with terms has a norm > 0
    return counts
