"""The spaCy step as a scikit-learn transformer: raw notes in, normalised lemma strings out.

The work is done by :func:`classifier.lemmas.prepare_notes` (clean-up, placeholders, language,
spaCy tokens and lookup lemmas, cue and concept tokens), which imports no scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from classifier.lemmas import prepare_notes


def _check_notes(X):
    """``X`` itself, unless it is a bare string (which would be read letter by letter)."""
    if isinstance(X, (str, bytes)):
        raise TypeError(f"Got {type(X).__name__} but expected an iterable of notes, e.g. [{str(X)[:40]!r}].")
    return X


class NotePreprocessor(TransformerMixin, BaseEstimator):
    """Turn raw CRM notes into space-separated normalised lemmas for a vectoriser.

    Stateless: ``fit`` learns nothing. Distinct notes are processed once per call, so exports
    where "kein Bedarf" occurs thousands of times cost little.

    Parameters
    ----------
    cues : bool
        Append ``cue_<name>`` tokens for curated phrases (:data:`classifier.cues.CUES`) found in the lemmas.
    concepts : bool
        Append ``cue_about_<concept>`` (and ``cue_negated_<concept>`` under a negation) tokens from the
        bilingual concept lexicon (:mod:`classifier.lexicon`).
    function_words : {"keep", "drop"}
        ``"drop"`` leaves pronouns, articles, auxiliaries and particles out of the model input
        (negations stay); cue phrases are matched before they are dropped. Kept by default:
        once the corpus holds buyer quotes and summaries, where such words occur under every
        label, keeping them measured better (README, ablation).
    batch_size : int
        Ignored since notes are tokenised chunk by chunk (:class:`classifier.lemmas._ChunkLemmas`); kept so
        that models saved with it still load.

    Examples
    --------
    >>> NotePreprocessor().transform(["<p>Kein Budget f&uuml;r Q3</p>"]).tolist()
    ['kein budget fuer xxquarter cue_money cue_about_money cue_about_time_later cue_negated_money cue_negated_time_later']
    """

    def __init__(self, cues: bool = True, concepts: bool = True, function_words: str = "keep", batch_size: int = 1000):
        self.cues = cues
        self.concepts = concepts
        self.function_words = function_words
        self.batch_size = batch_size

    def fit(self, X: Iterable[str], y=None) -> "NotePreprocessor":
        """Learn nothing (the step is stateless); checks ``X`` and returns ``self``."""
        _check_notes(X)
        self.n_features_in_ = 1
        return self

    def transform(self, X: Iterable[str]) -> np.ndarray:
        """Normalised lemma strings, one per note, in order (``None`` counts as an empty note)."""
        return self.prepare(X)[0]

    def prepare(self, X: Iterable[str], with_texts: bool = False) -> tuple[np.ndarray, ...]:
        """Model input (as :meth:`transform`) and the detected language (``de``/``en``) of each note,
        and with ``with_texts`` the note as the model reads it (:func:`classifier.lemmas.reading_text`)."""
        columns = prepare_notes(
            _check_notes(X), cues=self.cues, concepts=self.concepts, function_words=self.function_words, with_texts=with_texts
        )
        return tuple(np.array(column, dtype=object) for column in columns)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array(["note_lemmas"], dtype=object)
