"""The model's feature analyzers on preprocessed notes: word 1-2-grams, character n-grams, cue pairs.

Plain functions of a space-separated note (the output of :mod:`classifier.lemmas`), without
scikit-learn: the vectorisers of :mod:`classifier.pipeline` use them when training, and
:mod:`classifier.features` when it counts terms for scoring without scikit-learn.
"""

from __future__ import annotations

CACHE_LIMIT = 50_000  # distinct tokens remembered per cache: bounds memory on huge exports
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
