"""The fast classify path gives exactly what the plain spaCy path gives, note for note.

The plain path: spaCy's tokenizer over the whole note (one ``Doc`` per note), cue phrases found
by a spaCy ``PhraseMatcher``, sklearn's own ``TfidfVectorizer.transform``. The fast path
tokenises each distinct whitespace chunk once, scans cue phrases itself and builds feature
columns from cached token columns. Compared on every note of the corpus and the test set,
plus stamped and noisy notes.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.cues import CUES
from classifier.language import detect_language
from classifier.normalize import clean, mask
from classifier.lemmas import MAX_CHARS, _chunk_lemmas, _doc_lemmas, cue_tokens, load_nlp, note_tokens
from training.corpus import load_corpus

NOISY = [
    "14.03. KE - kein Budget bis Q3 (#482913)", "AB x3,  nix zurück!!", "<p>Hr. Müller:&nbsp;kein Bedarf</p>",
    "z. B. später, ca. 2027 / evtl. Q4", "Mr. O'Neil — can't talk, call back 2pm", "e-mail: a@b.de; tel +49 171 2345678",
    "n/a", "", "   ", "don't/won't-buy", "U.S.-based only", "kein-Budget,keine Zeit...", "🙂 no thanks 👍",
]


@pytest.fixture(scope="module")
def notes():
    texts = load_corpus("corpus.csv")["text"].tolist() + load_corpus("independent_test.csv")["text"].tolist()
    return NOISY + texts + NOISY + ["", "n/a"]  # empty notes at both ends


def _plain_cues(tokens_per_note):
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    vocab = load_nlp("en").vocab
    matcher = PhraseMatcher(vocab)
    for name, phrases in CUES.items():
        matcher.add(f"cue_{name}", [d for d in (Doc(vocab, words=note_tokens(p)) for p in phrases) if len(d)])
    out = []
    for tokens in tokens_per_note:
        found = {vocab.strings[m] for m, _, _ in matcher(Doc(vocab, words=tokens))} if tokens else set()
        out.append(sorted(found))
    return out


def test_chunk_tokenisation_and_cue_scan_equal_the_plain_spacy_path(notes):
    masked = [mask(clean(n)[:MAX_CHARS]) for n in notes]
    langs = [detect_language(m) for m in masked]
    import spacy

    untouched = {lang: spacy.blank(lang).tokenizer for lang in ("de", "en")}  # all lexical attributes, as spaCy ships it
    plain = [_doc_lemmas(untouched[lang](m), lang) for m, lang in zip(masked, langs)]
    fast = [_chunk_lemmas(lang)(m) for m, lang in zip(masked, langs)]
    differ = [(n, p, f) for n, p, f in zip(notes, plain, fast) if p != f]
    assert not differ, differ[:3]
    cues = [cue_tokens(tokens) for tokens in plain]
    assert cues == _plain_cues(plain)
    assert sum(map(bool, cues)) > len(notes) // 10  # the cues do occur


def test_fast_vectorisers_equal_sklearn_transform(notes, seed_model):
    from classifier.pipeline import after_preprocessing, preprocessor

    prepared = preprocessor(seed_model.pipeline).transform(notes)
    for name, vectoriser in after_preprocessing(seed_model.pipeline).named_steps["features"].transformer_list:
        fast = vectoriser.transform(prepared)
        plain = TfidfVectorizer.transform(vectoriser, prepared)
        assert fast.shape == plain.shape and abs(fast - plain).max() < 1e-9, name


def test_scorer_gives_sklearns_probabilities_and_labels(notes, seed_model):
    from classifier.pipeline import after_preprocessing, preprocessor
    from classifier.scoring import compact_scorer, predict_prepared

    prepared = list(dict.fromkeys(preprocessor(seed_model.pipeline).transform(notes)))
    rest = after_preprocessing(seed_model.pipeline)
    assert compact_scorer(seed_model.pipeline) is not None  # the shipped shape takes the fast path
    fast = predict_prepared(seed_model.pipeline, prepared)
    plain = rest.predict_proba(prepared)
    assert fast.shape == plain.shape and np.abs(fast - plain).max() < 1e-9
    assert (fast.argmax(axis=1) == plain.argmax(axis=1)).all()


def test_scorer_leaves_other_model_shapes_to_sklearn(seed_frame):
    from classifier.pipeline import after_preprocessing, build_pipeline
    from classifier.scoring import compact_scorer, predict_prepared

    pipeline = build_pipeline(model="logreg").fit(seed_frame["text"], seed_frame["label"])
    assert compact_scorer(pipeline) is None
    notes = ["kein Budget", "call me next week"]
    expected = pipeline.predict_proba(notes)
    prepared = pipeline.named_steps["prep"].transform(notes).tolist()
    assert np.allclose(predict_prepared(pipeline, prepared), expected)


@pytest.mark.parametrize("cues,concepts", [(True, True), (True, False), (False, True)])
def test_one_pass_cue_scan_equals_cue_and_concept_tokens(notes, cues, concepts):
    from classifier.lexicon import concept_tokens
    from classifier.lemmas import _cue_scanner

    scan = _cue_scanner(cues, concepts)
    tokens = [note_tokens(n) for n in notes] + [["kein", "budget", "und", "nicht", "der", "chef"], ["not", "a", "supplier"]]
    expected = [(cue_tokens(t) if cues else []) + (concept_tokens(t) if concepts else []) for t in tokens]
    assert [scan(t) for t in tokens] == expected
    assert any("cue_negated_" in " ".join(e) for e in expected) == concepts  # negations do occur


def test_tokenizer_vocabulary_stays_bounded_and_renewal_keeps_the_lemmas(notes, monkeypatch):
    import classifier.lemmas as lemmas

    monkeypatch.setattr(lemmas, "CACHE_LIMIT", 50)
    monkeypatch.setattr(lemmas, "VOCAB_GROWTH", 300)
    import spacy

    masked = [mask(clean(n)[:MAX_CHARS]) for n in notes[:3000]]
    plain = spacy.blank("de").tokenizer
    expected = [_doc_lemmas(plain(m), "de") for m in masked]
    load_nlp.cache_clear()
    chunks = lemmas._ChunkLemmas("de")
    base = len(chunks.tokenizer.vocab)
    first = chunks.tokenizer
    sizes = []
    got = []
    for m in masked:
        got.append(chunks(m))
        sizes.append(len(chunks.tokenizer.vocab))
    assert chunks.tokenizer is not first  # renewed at least once
    assert max(sizes) <= base + 300 + 100  # bounded (one note may add a few strings)
    assert len(plain.vocab) > base + 1000  # without renewal it would have grown far beyond
    assert got == expected


_WORDS = ["dont", "Im", "cannot", "gonna", "Budget", "KASSEL", "zB", "etc", "Mio", "So", "Messrs", "ÄRGER", "façade", "ß", "İstanbul",
          "ǅemal", "Ⅻ", "ａｂｃ", "x", "I", "z", "Mich", "don", "t", "s"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS) | st.text(st.characters(categories=["L"]), min_size=1, max_size=8),
                          st.text(',;!?:)".', max_size=3)), min_size=1, max_size=6),
       st.sampled_from(["de", "en"]))
def test_words_that_skip_the_tokenizer_get_the_tokenizers_lemmas(pieces, lang):
    from classifier.lemmas import _ChunkLemmas

    text = " ".join(word + tail for word, tail in pieces)
    assert _ChunkLemmas(lang)(text) == _doc_lemmas(load_nlp(lang).tokenizer(text), lang)
