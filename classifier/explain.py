"""Why a note got its reason: the words that pushed it there, from the linear model's weights.

For the predicted reason and the runner-up, each feature of the note contributes
``value * (coef[reason] - coef[runner_up])`` to the SVM's decision between the two. Features
are mapped back to plain words: word 1-2-grams as they are (lemmas), character n-grams summed
onto the note's token(s) they come from, cue tokens as "curated cue: money", ideas of the concept
lexicon with the note's words that fired them ("idea: boss (chef)"), placeholders as "<date>". A
unigram and the character n-grams of the same token add up to one entry.
"""

from __future__ import annotations

from collections import defaultdict
from weakref import WeakKeyDictionary

import numpy as np

from classifier.lexicon import concept_words
from classifier.model import EMPTY_REASON, ReasonModel
from classifier.normalize import is_empty_note
from classifier.pipeline import CharNgrams, after_preprocessing, linear_part, preprocessor

CUE_PREFIX = {"en": "curated cue: ", "de": "Stichwortliste: "}
PLACEHOLDERS = {
    "xxemail": ("e-mail", "E-Mail"),
    "xxurl": ("url", "URL"),
    "xxmoney": ("amount", "Betrag"),
    "xxphone": ("phone", "Telefon"),
    "xxdate": ("date", "Datum"),
    "xxquarter": ("quarter", "Quartal"),
    "xxweek": ("week", "Kalenderwoche"),
    "xxfyear": ("fiscal year", "Geschäftsjahr"),
    "xxyear": ("year", "Jahr"),
    "xxnum": ("number", "Zahl"),
    "xxperson": ("person", "Person"),
}
CONCEPT_PREFIX = {
    "en": {"about": "idea: ", "negated": "negated idea: "},
    "de": {"about": "Begriff: ", "negated": "verneinter Begriff: "},
}
CUE_NAMES_DE = {
    "authority": "Entscheidungsbefugnis",
    "money": "Geld",
    "not_money": "nicht das Geld",
    "early": "zu früh",
    "later": "später",
    "no_contact": "nicht erreicht",
    "no_need": "kein Bedarf",
    "has_tool": "hat schon eine Lösung",
    "profile": "Profil passt nicht",
    "junk": "ungültig",
    "known": "schon bekannt",
}
_WORDING = {
    "en": {
        "rather": "rather than",
        "for": "because of:",
        "against": "speaking for {runner_up} instead:",
        "nothing": "no word of the note speaks for it; the model's base rates decide.",
        "empty": "the note is empty.",
        "aside": "set aside, naming no reason: {asides}",
    },
    "de": {
        "rather": "statt",
        "for": "wegen:",
        "against": "dagegen, für {runner_up}:",
        "nothing": "kein Wort der Notiz spricht dafür; die Grundwerte des Modells entscheiden.",
        "empty": "die Notiz ist leer.",
        "aside": "beiseitegelassen, nennt keinen Grund: {asides}",
    },
}


_NAMES: WeakKeyDictionary = WeakKeyDictionary()


def _feature_names(vectoriser) -> np.ndarray:
    """``get_feature_names_out`` of a fitted vectoriser, computed once per vectoriser."""
    names = _NAMES.get(vectoriser)
    if names is None:
        names = _NAMES[vectoriser] = vectoriser.get_feature_names_out()
    return names


def _token_phrase(token: str, fired: dict[str, list[str]] | None = None) -> str:
    """A model token as plain words: cues and placeholders spelled out, lemmas as they are; an idea
    with the note's words that fired it, where ``fired`` (:func:`~classifier.lexicon.concept_words`) names them."""
    if token.startswith(("cue_about_", "cue_negated_")):
        kind, _, concept = token[4:].partition("_")
        words = ", ".join(_token_phrase(word) for word in (fired or {}).get(token, ()))
        return f"{CONCEPT_PREFIX['en'][kind]}{concept.replace('_', ' ')}" + (f" ({words})" if words else "")
    if token.startswith("cue_"):
        return CUE_PREFIX["en"] + token[4:].replace("_", " ")
    if token in PLACEHOLDERS:
        return f"<{PLACEHOLDERS[token][0]}>"
    return token


def _pair_weights(model: ReasonModel, reason: int, runner_up: int) -> np.ndarray:
    """``coef[reason] - coef[runner_up]`` of the final linear model (one row per label, or one for two labels).

    A committee's naive Bayes member is left out: explanations show the linear model's reasons.
    """
    clf = linear_part(model.pipeline.named_steps["clf"])
    coef = clf.calibrated_classifiers_[0].estimator.coef_ if hasattr(clf, "calibrated_classifiers_") else clf.coef_
    if coef.shape[0] == 1:  # binary: the single row scores labels[1] against labels[0]
        return coef[0] if reason == 1 else -coef[0]
    return coef[reason] - coef[runner_up]


def contributions(model: ReasonModel, prepared: str, reason: int, runner_up: int) -> dict[str, float]:
    """Contribution of each phrase of a preprocessed note to ``reason`` over ``runner_up``.

    ``reason`` and ``runner_up`` are positions in ``model.labels``. The values add up to the
    SVM's decision for ``reason`` minus that for ``runner_up``, less the intercepts.
    """
    weights = _pair_weights(model, reason, runner_up)
    features = model.pipeline.named_steps["features"]
    row = features.transform([prepared]).tocsr()
    tokens = prepared.split()
    fired = concept_words([t for t in tokens if not t.startswith("cue_")])
    totals: dict[str, float] = defaultdict(float)
    offset = 0
    for _, vectoriser in features.transformer_list:
        names = _feature_names(vectoriser)
        width = len(names)
        block = row[:, offset : offset + width]
        values = dict(zip(block.indices, block.data * weights[offset + block.indices]))
        offset += width
        if isinstance(vectoriser.analyzer, CharNgrams):
            _add_char_ngrams(totals, values, names, tokens)
        else:
            for index, value in values.items():
                _add_words(totals, value, names[index].replace("|", " ").split(), fired)
    return dict(totals)


def _add_words(totals: dict[str, float], value: float, parts: list[str], fired: dict[str, list[str]]) -> None:
    """A word 1-2-gram or a cue pair; parts that are cue tokens count for those cues."""
    cues = [p for p in parts if p.startswith("cue_")]
    if not cues:
        totals[" ".join(_token_phrase(p) for p in parts)] += value
    for cue in cues:
        totals[_token_phrase(cue, fired)] += value / len(cues)


def _add_char_ngrams(totals: dict[str, float], values: dict, names: np.ndarray, tokens: list[str]) -> None:
    """Share each character n-gram's contribution among the tokens it occurs in (by count)."""
    padded = list(dict.fromkeys(f" {t} " for t in tokens if not t.startswith(("cue_", "xx"))))
    counts = {p: tokens.count(p.strip()) for p in padded}
    for index, value in values.items():
        gram = names[index]
        hits = {p: counts[p] * p.count(gram) for p in padded if gram in p}
        total = sum(hits.values())
        for p, n in hits.items():
            totals[p.strip()] += value * n / total


def explain(model: ReasonModel, note: str, top: int = 6) -> dict:
    """The reason of ``note``, its runner-up, and the phrases that decided between them.

    Returns
    -------
    dict
        ``reason``, ``confidence``, ``runner_up``, ``runner_up_confidence``, ``for`` (phrases
        pushing towards the reason, largest first) and ``against`` (phrases pushing towards the
        runner-up, most negative first), each at most ``top`` ``(phrase, weight)`` pairs, and
        ``note_lang`` (``de``/``en``, for :func:`explain_text`), and ``set_aside``: the asides
        (a contact, a date, a heading) the model reads as no reason (:meth:`ReasonModel.reading`),
        whose words did not decide. An empty note gets ``other`` with confidence 1.0 and no phrases, as in classification.

    Examples
    --------
    >>> explain(load_model(), "kein Budget dieses Jahr")["for"][:2]   # doctest: +SKIP
    [('budget', 0.93), ('kein budget', 0.61)]
    """
    note = "" if note is None else str(note)
    if is_empty_note(note):
        empty = {"reason": EMPTY_REASON, "confidence": 1.0, "runner_up": "", "runner_up_confidence": 0.0}
        return {**empty, "for": [], "against": [], "note_lang": "en", "set_aside": []}
    prepare = preprocessor(model.pipeline).prepare
    prepared, langs = prepare([note])
    text, set_aside = model.reading(note)
    if set_aside:  # the rest of the note decides
        prepared = prepare([text])[0]
    prepared, lang = str(prepared[0]), str(langs[0])
    proba = after_preprocessing(model.pipeline).predict_proba([prepared])[0]
    order = np.argsort(-proba, kind="stable")
    reason, runner_up = int(order[0]), int(order[1])
    shown = {p: round(float(w), 3) for p, w in contributions(model, prepared, reason, runner_up).items()}
    ranked = sorted(((p, w) for p, w in shown.items() if w), key=lambda kv: (-kv[1], kv[0]))  # no "(+0.00)" lines
    return {
        "reason": model.labels[reason],
        "confidence": round(float(proba[reason]), 4),
        "runner_up": model.labels[runner_up],
        "runner_up_confidence": round(float(proba[runner_up]), 4),
        "for": [(p, w) for p, w in ranked[:top] if w > 0],
        "against": [(p, w) for p, w in ranked[::-1][:top] if w < 0],
        "note_lang": lang,
        "set_aside": [" ".join(_token_phrase(word) for word in aside.split()) for aside in set_aside],
    }


def _localise(phrase: str, lang: str) -> str:
    """Cue and placeholder wording of an :func:`explain` phrase in ``lang``."""
    if lang != "de":
        return phrase
    for kind, prefix in CONCEPT_PREFIX["en"].items():
        if phrase.startswith(prefix):
            return CONCEPT_PREFIX["de"][kind] + phrase[len(prefix):]
    if phrase.startswith(CUE_PREFIX["en"]):
        name = phrase[len(CUE_PREFIX["en"]) :]
        return CUE_PREFIX["de"] + CUE_NAMES_DE.get(name.replace(" ", "_"), name)
    for en, de in PLACEHOLDERS.values():
        phrase = phrase.replace(f"<{en}>", f"<{de}>")
    return phrase


def explain_text(explanation: dict, lang: str = "en") -> str:
    """Render an :func:`explain` result in plain words, one line per phrase (``en`` or ``de``).

    >>> print(explain_text({"reason": "no_budget", "confidence": 0.93, "runner_up": "bad_timing",
    ...     "runner_up_confidence": 0.04, "for": [("kein budget", 1.2), ("curated cue: money", 0.5)],
    ...     "against": [("<date>", -0.3)]}, lang="de"))
    no_budget (0.93) statt bad_timing (0.04) wegen:
      'kein budget' (+1.20)
      'Stichwortliste: Geld' (+0.50)
    dagegen, für bad_timing:
      '<Datum>' (-0.30)
    """
    words = _WORDING["de" if lang == "de" else "en"]
    reason = f"{explanation['reason']} ({explanation['confidence']:.2f})"
    if not explanation.get("runner_up"):
        return f"{reason}: {words['empty']}"
    lines = [f"{reason} {words['rather']} {explanation['runner_up']} ({explanation['runner_up_confidence']:.2f})"]
    if explanation["for"]:
        lines[0] += f" {words['for']}"
        lines += [f"  '{_localise(p, lang)}' ({w:+.2f})" for p, w in explanation["for"]]
    else:
        lines[0] += f": {words['nothing']}"
    if explanation["against"]:
        lines.append(words["against"].format(runner_up=explanation["runner_up"]))
        lines += [f"  '{_localise(p, lang)}' ({w:+.2f})" for p, w in explanation["against"]]
    if explanation.get("set_aside"):
        lines.append(words["aside"].format(asides=", ".join(f"'{_localise(a, lang)}'" for a in explanation["set_aside"])))
    return "\n".join(lines)


def explanation_lines(model: ReasonModel, notes: list[str]) -> list[str]:
    """One compact line per note: the phrases for its reason and against the runner-up."""
    cache: dict[str, str] = {}
    for note in notes:
        if note not in cache:
            result = explain(model, note, top=4)
            pro = ", ".join(f"{p} ({w:+.2f})" for p, w in result["for"])
            con = ", ".join(f"{p} ({w:+.2f})" for p, w in result["against"])
            cache[note] = pro + (f" | against: {con}" if con else "")
    return [cache[n] for n in notes]
