"""The spaCy step: raw notes in, normalised lemma strings out.

Per note: HTML/Unicode clean-up, placeholders (e-mail, phone, URL, money, dates, quarters,
years, numbers), language detection, spaCy tokenisation of ``spacy.blank(lang)``, lookup lemmas
from ``spacy-lookups-data``, lower case, umlaut folding, and cue tokens from a PhraseMatcher.
Negations and other stop words are kept: "kein Budget" and "not a budget problem" differ.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from classifier.cues import CUES
from classifier.lexicon import concept_tokens, content_tokens
from classifier.language import detect_language
from classifier.normalize import clean, fold, mask

LANGS = ("de", "en")
CACHE_LIMIT = 200_000  # distinct tokens remembered per lemma cache
_ATTRS = ["ORTH", "IS_PUNCT", "IS_SPACE"]
MAX_CHARS = 2000


@lru_cache(maxsize=None)
def load_nlp(lang: str):
    """A blank spaCy pipeline (tokenizer, vocabulary, stop words) for ``de`` or ``en``; no download."""
    import spacy

    if lang not in LANGS:
        raise ValueError(f"Got language {lang!r} but expected one of {LANGS}.")
    return spacy.blank(lang)


@lru_cache(maxsize=None)
def _lemma_table(lang: str) -> dict[str, str]:
    """The lookup-lemma table that spaCy's lookup lemmatizer uses, from spacy-lookups-data.

    Found through spaCy's lookups registry and read as a plain dict: spaCy's own ``Table``
    hashes all 355k German keys on load (0.6 s of every cold start); the mapping is the same.
    """
    import srsly
    from spacy.util import registry

    path = Path(registry.lookups.get(lang)["lemma_lookup"])
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    return srsly.read_gzip_json(path) if path.suffix == ".gz" else srsly.read_json(path)


class _Lemmatiser:
    """Token text -> folded lower-case lemma, with a per-language cache (tokens repeat a lot)."""

    def __init__(self, lang: str):
        self.primary = _lemma_table(lang)
        self.secondary = _lemma_table("en" if lang == "de" else "de")
        self.own_words = load_nlp(lang).Defaults.stop_words  # "am" is German, never English "be"
        self.cache: dict[str, str] = {}
        self.orth_cache: dict[int, str] = {}

    def __call__(self, text: str) -> str:
        hit = self.cache.get(text)
        if hit is None:
            lemma = self._lookup(text)
            if lemma is None and _FOLDED.search(text):  # "gewuenscht" -> "gewünscht"
                lemma = self._lookup(_unfold(text))
            hit = fold((lemma or text).lower())
            if len(self.cache) < CACHE_LIMIT:
                self.cache[text] = hit
        return hit


    def by_orth(self, orth: int, strings) -> str:
        """Lemma of a token given by its orth hash (what ``Doc.to_array`` returns)."""
        hit = self.orth_cache.get(orth)
        if hit is None:
            hit = self(strings[orth])
            if len(self.orth_cache) < CACHE_LIMIT:
                self.orth_cache[orth] = hit
        return hit

    def _lookup(self, text: str) -> str | None:
        tables = (self.primary,) if text.lower() in self.own_words else (self.primary, self.secondary)
        for table in tables:
            for form in (text, text.lower(), text.capitalize()):
                lemma = table.get(form)
                if lemma is not None:
                    return lemma
        return None


_FOLDED = re.compile(r"ae|oe|ue|ss", re.I)
_UNFOLD = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß", "Ae": "Ä", "Oe": "Ö", "Ue": "Ü"}


def _unfold(text: str) -> str:
    """Undo ae/oe/ue/ss spellings so a lemma table with umlauts finds the word."""
    return _FOLDED.sub(lambda m: _UNFOLD.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=None)
def _lemmatiser(lang: str) -> _Lemmatiser:
    return _Lemmatiser(lang)


def _doc_lemmas(doc, lang: str) -> list[str]:
    """Folded lemmas of a tokenised note, punctuation and spaces left out.

    Reads token hashes with ``Doc.to_array`` instead of creating a ``Token`` per word.
    """
    if not len(doc):
        return []
    lemma, strings = _lemmatiser(lang), doc.vocab.strings
    return [lemma.by_orth(orth, strings) for orth, punct, space in doc.to_array(_ATTRS).tolist() if not (punct or space)]


def note_tokens(text: str, lang: str | None = None) -> list[str]:
    """Normalised lemma tokens of one note, without cue tokens.

    >>> note_tokens("Diese Person war NICHT der Entscheidungstraeger!")
    ['dies', 'person', 'sein', 'nicht', 'der', 'entscheidungstraeger']
    """
    masked = mask(clean(text)[:MAX_CHARS])
    lang = lang or detect_language(masked)
    return _doc_lemmas(load_nlp(lang).tokenizer(masked), lang)


@lru_cache(maxsize=None)
def _cue_matcher():
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    vocab = load_nlp("en").vocab
    matcher = PhraseMatcher(vocab)
    for name, phrases in CUES.items():
        patterns = [Doc(vocab, words=note_tokens(p)) for p in phrases]
        matcher.add(f"cue_{name}", [p for p in patterns if len(p)])
    return matcher


_SEPARATOR = "\u241e"  # a token no cue phrase contains, between notes of a batch


def cue_tokens(tokens: list[str]) -> list[str]:
    """Cue names (``cue_money``, ``cue_authority`` ...) whose phrases occur in the tokens."""
    return batch_cue_tokens([tokens])[0]


def batch_cue_tokens(batch: list[list[str]]) -> list[list[str]]:
    """:func:`cue_tokens` for many notes with one PhraseMatcher call over a single Doc."""
    from spacy.tokens import Doc

    words: list[str] = []
    starts = np.empty(len(batch), dtype=np.int64)
    for i, tokens in enumerate(batch):
        starts[i] = len(words)
        words.extend(tokens)
        words.append(_SEPARATOR)
    found: list[set[str]] = [set() for _ in batch]
    if not words:
        return [[] for _ in batch]
    matcher = _cue_matcher()
    strings = matcher.vocab.strings
    for match_id, start, _ in matcher(Doc(matcher.vocab, words=words)):
        found[int(np.searchsorted(starts, start, side="right")) - 1].add(strings[match_id])
    return [sorted(names) for names in found]


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
        Append ``cue_<name>`` tokens for curated phrases found by a spaCy PhraseMatcher.
    concepts : bool
        Append ``cue_about_<concept>`` (and ``cue_negated_<concept>`` under a negation) tokens from the
        bilingual concept lexicon (:mod:`classifier.lexicon`).
    function_words : {"keep", "drop"}
        ``"drop"`` leaves pronouns, articles, auxiliaries and particles out of the model input
        (negations stay); cue phrases are matched before they are dropped. Kept by default:
        once the corpus holds buyer quotes and summaries, where such words occur under every
        label, keeping them measured better (README, ablation).
    batch_size : int
        Notes per ``tokenizer.pipe`` batch.

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

    def prepare(self, X: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Model input (as :meth:`transform`) and the detected language (``de``/``en``) of each note."""
        notes = ["" if x is None else str(x) for x in _check_notes(X)]
        distinct = list(dict.fromkeys(notes))
        masked = [mask(clean(n)[:MAX_CHARS]) for n in distinct]
        langs = [detect_language(m) for m in masked]
        result: dict[str, str] = {}
        for lang in LANGS:
            index = [i for i, lg in enumerate(langs) if lg == lang]
            if not index:
                continue
            docs = load_nlp(lang).tokenizer.pipe((masked[i] for i in index), batch_size=self.batch_size)
            for start in range(0, len(index), self.batch_size):
                part = index[start : start + self.batch_size]
                batch = [_doc_lemmas(doc, lang) for doc in itertools.islice(docs, len(part))]
                cues = batch_cue_tokens(batch) if self.cues else [[] for _ in batch]
                for i, tokens, extra in zip(part, batch, cues):
                    if self.concepts:
                        extra = extra + concept_tokens(tokens)
                    if self.function_words == "drop":
                        tokens = content_tokens(tokens)
                    result[distinct[i]] = " ".join(tokens + extra)
        language = dict(zip(distinct, langs))
        return (
            np.array([result[n] for n in notes], dtype=object),
            np.array([language[n] for n in notes], dtype=object),
        )

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array(["note_lemmas"], dtype=object)
