"""The one factory for the reason model: spaCy preprocessing, n-gram features, calibrated linear SVM
averaged with a complement naive Bayes model."""

from __future__ import annotations

from weakref import WeakKeyDictionary

import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from classifier.features import TermColumns, Tokens, split_tokens
from classifier.ngrams import CharNgrams, cue_pairs, word_ngrams
from classifier.preprocess import NotePreprocessor

_COLUMNS: WeakKeyDictionary = WeakKeyDictionary()  # fitted vectoriser -> its TermColumns


class TokenTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` with a fast ``transform`` for this project's analyzers, same output.

    Notes share most of their tokens: ``transform`` counts terms with
    :class:`~classifier.features.TermColumns` (columns cached per distinct token, bigrams as
    pairs of unigram columns) instead of analysing every note. Other analyzers take the generic path.
    """

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and idf, as ``TfidfVectorizer.fit``; forgets cached columns of an earlier fit."""
        _COLUMNS.pop(self, None)
        return super().fit(raw_documents, y)

    def fit_transform(self, raw_documents, y=None):
        """Learn vocabulary and idf and return the document-term matrix; forgets cached columns of an earlier fit."""
        _COLUMNS.pop(self, None)
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

    def transform_tokens(self, tokens: Tokens) -> sp.csr_matrix:
        """:meth:`transform` of notes already split by :func:`~classifier.features.split_tokens`."""
        columns = _COLUMNS.get(self)
        if columns is None:
            columns = _COLUMNS[self] = TermColumns(self.vocabulary_, self.analyzer)
        return self._tfidf.transform(columns.counts(tokens).astype(self.dtype, copy=False), copy=False)


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
    bayes_weight: float = 0.35,
    bayes_alpha: float = 0.1,
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
    if not 0 <= bayes_weight < 1:
        raise ValueError(f"Got bayes_weight={bayes_weight!r} but expected a number from 0 up to (not including) 1.")
    if bayes_weight:
        clf = VotingClassifier(
            [(model, clf), ("bayes", ComplementNB(alpha=bayes_alpha))], voting="soft", weights=[1 - bayes_weight, bayes_weight]
        )
    return Pipeline([("prep", NotePreprocessor(cues=cues, concepts=concepts, function_words=function_words)), ("features", features), ("clf", clf)])


def linear_part(clf):
    """The linear model of a fitted ``clf`` step (itself, or the first member of its committee)."""
    return clf.estimators_[0] if isinstance(clf, VotingClassifier) else clf


def bayes_part(clf) -> tuple[ComplementNB | None, float]:
    """The naive Bayes member of a fitted ``clf`` step and its share of the probabilities, or ``(None, 0.0)``."""
    if not isinstance(clf, VotingClassifier):
        return None, 0.0
    weights = clf.weights or [1.0] * len(clf.estimators_)
    return clf.estimators_[1], float(weights[1] / sum(weights))


def describe_classifier(clf) -> str:
    """A fitted ``clf`` step in words, e.g. "calibrated linear SVM (0.65) averaged with complement naive Bayes (0.35)"."""
    linear = linear_part(clf)
    name = {"CalibratedClassifierCV": "calibrated linear SVM", "LogisticRegression": "logistic regression"}.get(
        type(linear).__name__, type(linear).__name__
    )
    bayes, share = bayes_part(clf)
    return f"{name} ({1 - share:.2f}) averaged with complement naive Bayes ({share:.2f})" if bayes is not None else name


def preprocessor(pipeline: Pipeline) -> NotePreprocessor:
    """The pipeline's spaCy step (``prep``), looked up by name."""
    return pipeline.named_steps["prep"]


def after_preprocessing(pipeline: Pipeline) -> Pipeline:
    """The steps after ``prep`` (features and classifier): what runs on preprocessed notes."""
    return pipeline[list(pipeline.named_steps).index("prep") + 1 :]
