"""The spaCy step's work, without scikit-learn: raw notes in, normalised lemma strings out.

Per note: HTML/Unicode clean-up, placeholders (e-mail, phone, URL, money, dates, quarters,
years, numbers), the words around the reason that name none dropped (:mod:`classifier.asides`:
frames, verdicts, greetings, sign-offs, stamps), language detection, spaCy tokenisation of
``spacy.blank(lang)``, lookup lemmas from ``spacy-lookups-data`` (with exceptions where the
table gives another word, :data:`LEMMA_FIXES`), lower case, umlaut folding, cue tokens for
curated phrases and concept tokens from the bilingual lexicon. spaCy's tokenizer sees each
distinct whitespace-separated chunk once (:class:`_ChunkLemmas`), which gives the same tokens as
a ``Doc`` per note at a fraction of the cost.
Negations and other stop words are kept: "kein Budget" and "not a budget problem" differ.

:class:`classifier.preprocess.NotePreprocessor` wraps :func:`prepare_notes` as a scikit-learn
step; this module imports no scikit-learn, so notes are classified without it
(:mod:`classifier.compact`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from classifier.asides import strip_asides
from classifier.cues import CUES
from classifier.language import detect_language
from classifier.lexicon import NEGATIONS, OWNED, content_tokens, owned_concepts, word_concepts
from classifier.normalize import clean, fold, mask

LANGS = ("de", "en")
CACHE_LIMIT = 50_000  # distinct tokens (or chunks) remembered per cache: bounds memory on huge exports
_ATTRS = ["ORTH", "IS_PUNCT", "IS_SPACE"]
MAX_CHARS = 2000
VOCAB_GROWTH = 20_000  # new strings a tokenizer may learn before a fresh one replaces it (bounds memory)


@lru_cache(maxsize=None)
def load_nlp(lang: str):
    """A blank spaCy pipeline (tokenizer, vocabulary, stop words) for ``de`` or ``en``; no download."""
    import spacy
    from spacy.attrs import IS_PUNCT, IS_SPACE

    if lang not in LANGS:
        raise ValueError(f"Got language {lang!r} but expected one of {LANGS}.")
    nlp = spacy.blank(lang)
    # Only ORTH, IS_PUNCT and IS_SPACE are read (_ATTRS): new words skip the other lexical
    # attributes (shape, prefix, like_num ...), a quarter of the tokenizer's time on unseen words.
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (IS_PUNCT, IS_SPACE) if attr in getters}
    return nlp


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


POSSESSIVE_LEMMAS = {
    form: base
    for base, stem in (("mein", "mein"), ("dein", "dein"), ("sein", "sein"), ("ihr", "ihr"), ("unser", "unser"),
                       ("unser", "unsr"), ("euer", "eur"))
    for form in (stem + ending for ending in ("", "e", "em", "en", "er", "es"))
    if form not in ("eur", "unsr")
} | {"euer": "euer"}
"""German possessive determiners by their own lemma: spacy-lookups-data gives "unserem", "Ihr",
"deine" the lemma "mein", "unser" and "meiner" the lemma "sich", and "mein" the verb "meinen"
(to mean), so "mein Partner" and "unser Partner" read alike."""

LEMMA_FIXES = {
    "de": {
        "bereit": "bereit", "frisch": "frisch", "sauer": "sauer", "fertig": "fertig", "schicken": "schicken",
        "gläubiger": "gläubiger", "verzogen": "verzogen", "daten": "daten", "lost": "lost", "wegen": "wegen",
        "gebeten": "bitten", "schlicht": "schlicht", "null": "null", "bot": "bot", "verband": "verband", "ran": "ran",
        "paar": "paar", "trotz": "trotz", "zustande": "zustande", "gemeinde": "gemeinde", "einführen": "einführen",
        "deutsch": "deutsch", "sitz": "sitz", "polen": "polen", "stille": "stille", "dringend": "dringend",
        "anfahrt": "anfahrt", "zusammenführen": "zusammenführen", "vergangen": "vergangen", "falls": "falls",
        **{stem + ending: stem for stem in ("später", "früher", "weiter") for ending in ("", "e", "en", "er", "es")},
    },
    "en": {
        "data": "data", "number": "number", "numbers": "number", "meeting": "meeting", "holding": "holding",
        "marketing": "marketing", "first": "first", "second": "second", "third": "third", "ai": "ai",
        "more": "more", "most": "most", "better": "better", "best": "best", "further": "further",
        "existing": "existing", "broker": "broker", "brokers": "broker", "hosting": "hosting",
        "offering": "offering", "shopping": "shopping", "rating": "rating", "leasing": "leasing",
        "beginning": "beginning", "does": "do", "bit": "bit", "putting": "put", "matter": "matter",
        "wedding": "wedding", "ops": "ops", "pos": "pos", "fell": "fell", "stated": "stated", "stating": "stating",
    },
}
"""Words whose lookup lemma is another word ("Daten" -> "Datum" the date, "wegen" -> "weg",
"number" -> "numb", "holding" -> "hold" the pause, "existing" -> "exist", "später" -> "spät",
"does" -> "doe", a name for a fake lead, "first" -> "1"), by their own. Keys are lower case."""


class _Lemmatiser:
    """Token text -> folded lower-case lemma, with a per-language cache (tokens repeat a lot)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.primary = _lemma_table(lang)
        self.secondary = _lemma_table("en" if lang == "de" else "de")
        self.own_words = load_nlp(lang).Defaults.stop_words  # "am" is German, never English "be"
        self.own_lemmas = _lemma_values(lang)
        self.fixes = {**POSSESSIVE_LEMMAS, **LEMMA_FIXES[lang]}
        self.cache: dict[str, str] = {}
        self.orth_cache: dict[int, str] = {}

    def __call__(self, text: str) -> str:
        hit = self.cache.get(text)
        if hit is None:
            lemma = self._fixed_or_looked_up(text)
            # "gewuenscht" -> "gewünscht"; an English word is unfolded only where it may be German ("pass" is no "paß")
            if lemma is None and _FOLDED.search(text) and (self.lang == "de" or self._may_borrow(text)):
                lemma = self._fixed_or_looked_up(_unfold(text))
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

    def _fixed_or_looked_up(self, text: str) -> str | None:
        return self.fixes.get(text.lower()) or self._lookup(text)

    def _lookup(self, text: str) -> str | None:
        lower = text.lower()
        for form in (text, lower):
            lemma = self.primary.get(form)
            if lemma is not None:
                return lemma
        if lower in self.own_lemmas:  # "fragen", "zahlen", "schicken": a verb, not the noun "Fragen"
            return lower
        lemma = self.primary.get(text.capitalize())
        if lemma is not None:
            return lemma
        if not self._may_borrow(text):
            return None
        for form in (text, lower, text.capitalize()):
            lemma = self.secondary.get(form)
            if lemma is not None:
                return None if self._respelt(lower, lemma.lower()) else lemma
        return None

    def _may_borrow(self, text: str) -> bool:
        """Whether a word the own table does not know may take the other language's lemma.

        Mixed notes need it ("Kunden" in an English note, "Leads" in a German one), but a word that
        is a lemma of its own language is no foreign word ("half" is no form of "helfen", "pass"
        none of "passen"), and German borrows no "-ing" noun ("Timing", "Tracking" stay).
        """
        lower = text.lower()
        if lower in self.own_words or lower in self.own_lemmas:
            return False
        return not (self.lang == "de" and lower.endswith("ing"))

    def _respelt(self, word: str, lemma: str) -> bool:
        """Whether a German lemma is an English word respelt ("expensive" -> "expensiv", "flexible" ->
        "flexibel"), not a German word's lemma ("Kunden" -> "Kunde")."""
        return self.lang == "en" and word.endswith("e") and lemma in (word[:-1], word[:-3] + "bel")


@lru_cache(maxsize=None)
def _lemma_values(lang: str) -> frozenset[str]:
    """The lemmas of a language's lookup table, lower case: words that are their own base form."""
    return frozenset(lemma.lower() for lemma in _lemma_table(lang).values())


_FOLDED = re.compile(r"ae|oe|ue|ss", re.I)
_UNFOLD = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß", "Ae": "Ä", "Oe": "Ö", "Ue": "Ü"}


def _unfold(text: str) -> str:
    """Undo ae/oe/ue/ss spellings so a lemma table with umlauts finds the word."""
    return _FOLDED.sub(lambda m: _UNFOLD.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=None)
def _lemmatiser(lang: str) -> _Lemmatiser:
    return _Lemmatiser(lang)


def _doc_lemmas(doc, lang: str) -> list[str]:
    """Folded lemmas of a tokenised text, punctuation and spaces left out.

    Reads token hashes with ``Doc.to_array`` instead of creating a ``Token`` per word.
    """
    if not len(doc):
        return []
    lemma, strings = _lemmatiser(lang), doc.vocab.strings
    return [lemma.by_orth(orth, strings) for orth, punct, space in doc.to_array(_ATTRS).tolist() if not (punct or space)]


_TRAILING = ',;!?:)"'  # punctuation that spaCy splits off the end of a word as tokens of its own


class _ChunkLemmas:
    """Lemmas of a note through spaCy's tokenizer, one whitespace-separated chunk at a time.

    spaCy's tokenizer splits a text at white space first and tokenises every chunk on its own
    (prefixes, suffixes, infixes, special cases), so a chunk's tokens do not depend on its
    neighbours. Chunks repeat far more than notes ("kein", "Budget", "xxdate", initials), so
    tokenising each distinct chunk once and caching its lemmas gives the same tokens as
    tokenising every note, without building a ``Doc`` per note.
    """

    def __init__(self, lang: str):
        self.tokenizer = load_nlp(lang).tokenizer
        self.lang = lang
        self.cache: dict[str, tuple[str, ...]] = {}
        self.vocab_limit = len(self.tokenizer.vocab) + VOCAB_GROWTH
        self.specials = frozenset(self.tokenizer.rules or ())  # "dont", "z.B.", "Im": spaCy splits or keeps these its own way

    def __call__(self, text: str) -> list[str]:
        get = self.cache.get
        try:  # most notes: every chunk seen before
            return [lemma for chunk in text.split() for lemma in get(chunk)]
        except TypeError:  # a chunk not cached (None)
            return self._tokenise(text)

    def _tokenise(self, text: str) -> list[str]:
        out: list[str] = []
        cache = self.cache
        for chunk in text.split():
            lemmas = cache.get(chunk)
            if lemmas is None:
                lemmas = self._chunk(chunk)
                if len(cache) < CACHE_LIMIT:
                    cache[chunk] = lemmas
                if len(self.tokenizer.vocab) > self.vocab_limit:
                    self._renew()
            out.extend(lemmas)
        return out

    def _chunk(self, chunk: str) -> tuple[str, ...]:
        """Lemmas of one chunk. A word of letters, with only ``, ; ! ? : ) "`` after it, is one
        token to spaCy's tokenizer unless it is a special case (tested on 500k words of the
        lemma tables), so it skips the tokenizer."""
        word = chunk.rstrip(_TRAILING)
        if word.isalpha() and word not in self.specials and chunk not in self.specials:
            return (_lemmatiser(self.lang)(word),)
        return tuple(_doc_lemmas(self.tokenizer(chunk), self.lang))

    def _renew(self) -> None:
        """Swap in a fresh tokenizer: spaCy's vocabulary keeps every string it ever saw, so on
        millions of notes with names and typos it would grow without end. Tokens and lemmas do
        not depend on what the vocabulary already holds. The cached pipelines are dropped too,
        so that the old vocabulary can be freed."""
        load_nlp.cache_clear()
        self.tokenizer = load_nlp(self.lang).tokenizer
        self.vocab_limit = len(self.tokenizer.vocab) + VOCAB_GROWTH


@lru_cache(maxsize=None)
def _chunk_lemmas(lang: str) -> _ChunkLemmas:
    return _ChunkLemmas(lang)


def note_tokens(text: str, lang: str | None = None) -> list[str]:
    """Normalised lemma tokens of one note, without cue tokens.

    >>> note_tokens("Diese Person war NICHT der Entscheidungstraeger!")
    ['dies', 'person', 'sein', 'nicht', 'der', 'entscheidungstraeger']
    """
    masked = mask(clean(text)[:MAX_CHARS])
    lang = lang or detect_language(masked)
    return _chunk_lemmas(lang)(masked)


@lru_cache(maxsize=None)
def _cue_phrases() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Cue phrases as lemma sequences, indexed by their first lemma: ``{first: ((phrase, name), ...)}``."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for name, phrases in CUES.items():
        for phrase in phrases:
            tokens = tuple(note_tokens(phrase))
            if tokens:
                index.setdefault(tokens[0], []).append((tokens, f"cue_{name}"))
    return {first: tuple(dict.fromkeys(entries)) for first, entries in index.items()}


def cue_tokens(tokens: list[str]) -> list[str]:
    """Cue names (``cue_money``, ``cue_authority`` ...) whose phrases occur in the tokens.

    The readable definition; the classify path uses :class:`_CueScanner`, which a test holds equal to it.

    >>> cue_tokens(["kein", "budget", "mehr"])
    ['cue_money']
    """
    index = _cue_phrases()
    found: set[str] = set()
    for i, token in enumerate(tokens):
        for phrase, name in index.get(token, ()):
            if name not in found and tuple(tokens[i : i + len(phrase)]) == phrase:
                found.add(name)
    return sorted(found)


_NOTHING = ((), (), False)  # what most lemmas contribute: no cue phrase, no concept, no negation


class _CueScanner:
    """:func:`cue_tokens` and :func:`~classifier.lexicon.concept_tokens` of a note in one pass.

    What each lemma contributes (cue phrases starting with it, its concept token names, whether
    it is a negation) is looked up once and cached, so a note costs one dictionary look-up per
    token, and a lemma that contributes nothing is passed over at once.
    """

    def __init__(self, cues: bool, concepts: bool, scope: int = 3):
        self.cues, self.concepts, self.scope = cues, concepts, scope
        self.cache: dict[str, tuple[tuple, tuple[tuple[str, str], ...], bool]] = {}

    def _info(self, token: str) -> tuple[tuple, tuple[tuple[str, str], ...], bool]:
        concepts = word_concepts(token) if self.concepts and token not in NEGATIONS else ()
        info = (
            _cue_phrases().get(token, ()) if self.cues else (),
            tuple((f"cue_about_{c}", f"cue_negated_{c}") for c in concepts),
            self.concepts and token in NEGATIONS,
        )
        if info == _NOTHING:
            info = _NOTHING
        if len(self.cache) < CACHE_LIMIT:
            self.cache[token] = info
        return info

    def __call__(self, tokens: list[str]) -> list[str]:
        cues: list[str] = []
        found: set[str] = set()
        last_negation = -self.scope - 1
        get = self.cache.get
        for i, token in enumerate(tokens):
            info = get(token) or self._info(token)
            if info is _NOTHING:
                continue
            phrases, concepts, negation = info
            for phrase, name in phrases:
                if name not in cues and tuple(tokens[i : i + len(phrase)]) == phrase:
                    cues.append(name)
            if negation:
                last_negation = i
            elif concepts:
                if token in OWNED and (owned := owned_concepts(tokens, i)) is not None:
                    concepts = tuple((f"cue_about_{c}", f"cue_negated_{c}") for c in owned)
                negated = i - last_negation <= self.scope
                for about, under_negation in concepts:
                    found.add(about)
                    if negated:
                        found.add(under_negation)
        return sorted(cues) + sorted(found)


@lru_cache(maxsize=None)
def _cue_scanner(cues: bool, concepts: bool) -> _CueScanner:
    return _CueScanner(cues, concepts)


def reading_text(note: str) -> str:
    """A note as the model reads it, before tokenising: cleaned, masked, the asides the rules know dropped."""
    return strip_asides(mask(clean(note)[:MAX_CHARS]))


def prepare_notes(notes: Iterable[str], *, cues: bool = True, concepts: bool = True, function_words: str = "keep",
                  with_texts: bool = False) -> tuple[list[str], ...]:
    """Model input (space-separated lemmas, then cue and concept tokens) and language of each note,
    and with ``with_texts`` its :func:`reading_text` too.

    Distinct notes are processed once. ``None`` counts as an empty note. See
    :class:`classifier.preprocess.NotePreprocessor` for the parameters.
    """
    notes = ["" if x is None else str(x) for x in notes]
    distinct = list(dict.fromkeys(notes))
    masked = [reading_text(n) for n in distinct]
    langs = [detect_language(m) for m in masked]
    result: list[str] = []
    scan = _cue_scanner(bool(cues), bool(concepts))
    for m, lang in zip(masked, langs):
        tokens = _chunk_lemmas(lang)(m)
        extra = scan(tokens)
        if function_words == "drop":
            tokens = content_tokens(tokens)
        result.append(" ".join(tokens + extra))
    columns = (result, langs, masked) if with_texts else (result, langs)
    if len(distinct) == len(notes):
        return columns
    row = {n: i for i, n in enumerate(distinct)}
    rows = [row[n] for n in notes]
    return tuple([column[i] for i in rows] for column in columns)
