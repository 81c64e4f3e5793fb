"""The one factory for the reason model: spaCy preprocessing, n-gram features, calibrated linear SVM."""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .preprocess import NotePreprocessor

_CHAR_CACHE: dict[tuple[str, int, int], list[str]] = {}


def word_ngrams(doc: str) -> list[str]:
    """Unigrams and bigrams of a preprocessed (space-separated) note.

    >>> word_ngrams("kein budget da")
    ['kein', 'budget', 'da', 'kein budget', 'budget da']
    """
    tokens = doc.split()
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


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
            if token.startswith(("cue_", "xx")):
                continue
            key = (token, self.min_n, self.max_n)
            hit = _CHAR_CACHE.get(key)
            if hit is None:
                padded = f" {token} "
                hit = [
                    padded[i : i + n]
                    for n in range(self.min_n, self.max_n + 1)
                    for i in range(len(padded) - n + 1)
                ]
                if len(_CHAR_CACHE) < 1_000_000:
                    _CHAR_CACHE[key] = hit
            grams.extend(hit)
        return grams


def build_pipeline(
    *,
    C: float = 1.0,
    char_min: int = 3,
    char_max: int = 5,
    cues: bool = True,
    calibration_folds: int = 5,
    seed: int = 0,
) -> Pipeline:
    """Build the untrained reason classifier.

    Steps: ``prep`` (:class:`NotePreprocessor`, the spaCy step), ``features`` (TF-IDF of word
    1-2-grams over lemmas plus character n-grams for typos and compounds), ``clf`` (a linear SVM
    with sigmoid-calibrated probabilities, one final model so its weights can explain a note).
    """
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer=CharNgrams(char_min, char_max), sublinear_tf=True, min_df=2)),
        ]
    )
    svm = LinearSVC(C=C, class_weight="balanced", random_state=seed)
    clf = CalibratedClassifierCV(
        svm,
        method="sigmoid",
        cv=StratifiedKFold(calibration_folds, shuffle=True, random_state=seed),
        ensemble=False,
    )
    return Pipeline([("prep", NotePreprocessor(cues=cues)), ("features", features), ("clf", clf)])
