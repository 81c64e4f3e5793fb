import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from classifier.language import detect_language
from classifier.lemmas import note_tokens
from classifier.preprocess import NotePreprocessor


def test_preprocessor_follows_sklearn_conventions():
    prep = NotePreprocessor(cues=False, batch_size=7)
    assert prep.get_params() == {"cues": False, "concepts": True, "function_words": "keep", "batch_size": 7}
    copy = clone(prep)
    assert copy.get_params() == prep.get_params() and copy is not prep
    assert prep.fit(["a"]) is prep
    out = prep.transform(["kein Budget", "no budget"])
    assert isinstance(out, np.ndarray) and out.shape == (2,)


def test_preprocessor_pickles_and_gives_same_output():
    prep = NotePreprocessor().fit([])
    notes = ["Diese Person war nicht der Entscheidungsträger", "no answer x3"]
    restored = pickle.loads(pickle.dumps(prep))
    assert restored.transform(notes).tolist() == prep.transform(notes).tolist()


def test_umlaut_and_ae_spellings_give_the_same_tokens():
    assert note_tokens("nicht der Entscheidungsträger") == note_tokens("nicht der Entscheidungstraeger")
    assert note_tokens("Rückruf gewünscht") == note_tokens("Rueckruf gewuenscht")


@pytest.mark.parametrize(
    "note, expected",
    [
        ("Die Kunden waren nicht erreichbar", ["kunde", "sein", "nicht"]),  # German lookup lemmas
        ("They were looking for budgets", ["be", "look", "budget"]),  # English lookup lemmas
        ("kein budget, maybe next FY", ["kein", "budget", "maybe"]),  # mixed
    ],
)
def test_lemmas_for_german_english_and_mixed_notes(note, expected):
    tokens = note_tokens(note)
    assert all(t in tokens for t in expected), tokens


def test_negations_are_kept():
    assert "nicht" in note_tokens("ist nicht zuständig")
    assert "kein" in note_tokens("kein Budget")
    assert "not" in note_tokens("not interested")


def test_cue_tokens_mark_curated_phrases():
    out = NotePreprocessor().transform(["not a budget problem, they don't see the need", "nicht der Entscheider"])
    assert "cue_not_money" in out[0].split()
    assert "cue_authority" in out[1].split()
    assert "cue_" not in NotePreprocessor(cues=False, concepts=False).transform(["kein Budget"])[0]


def test_concepts_join_synonyms_across_languages_and_registers():
    prep = NotePreprocessor(cues=False)
    vendor, lieferant, boss, vorstand = (set(t.split()) for t in prep.transform(
        ["they chose another vendor", "Auftrag ging an einen anderen Lieferanten", "my boss decides", "Vorstand muss freigeben"]
    ))
    assert "cue_about_supplier" in vendor & lieferant
    assert {"cue_about_boss", "cue_about_decide"} <= boss & vorstand


def test_the_same_record_reads_alike_in_both_languages():
    same, gleich = (set(t.split()) for t in NotePreprocessor(cues=False).transform(
        ["same email address and same name", "gleiche E-Mail-Adresse und derselbe Name"]))
    assert "cue_about_known" in same & gleich


@pytest.mark.parametrize(
    "note, family",
    [
        ("Muss ich erst mit meiner Frau besprechen", True),
        ("ihr Mann ist Inhaber und entscheidet", True),
        ("I need to ask my father first", True),
        ("Die Frau am Empfang sagt, kein Interesse", False),
        ("Junger Mann, wir brauchen das nicht", False),
        ("The mother of a student filled in the form", False),
    ],
)
def test_a_wife_or_father_is_family_only_when_someone_s(note, family):
    """ "meine Frau" is a sign that someone else decides; "die Frau am Empfang" is not."""
    assert ("cue_about_spouse" in NotePreprocessor(cues=False).transform([note])[0].split()) is family


@pytest.mark.parametrize(
    "note, spouse",
    [
        ("Ich spreche noch mal mit meinem Partner", True),
        ("I have to run it by my partner", True),
        ("He has to ask his partner first", True),
        ("Firma ist bereits Partner von uns", False),  # "ist" has the lemma "sein", as "his" does
        ("Lead kam über unseren Partner", False),
        ("Wird von Ihrem Partner betreut", False),
        ("Outside partner territory", False),
    ],
)
def test_a_partner_is_someone_who_decides_only_when_someone_s_own(note, spouse):
    """ "mein Partner" decides with the buyer; "unser Partner" is a channel partner who owns the account."""
    tokens = set(NotePreprocessor(cues=False).transform([note])[0].split())
    assert ("cue_about_spouse" in tokens) is spouse
    assert ("cue_about_known" in tokens) is not spouse


def test_german_possessives_keep_their_owner():
    """spacy-lookups-data gives "unserem" and "Ihr" the lemma "mein"; whose partner or customer it is matters."""
    mine, ours, yours = (NotePreprocessor(cues=False, concepts=False).transform([note])[0].split()[0]
                         for note in ("meinem Kunden", "unserem Kunden", "Ihrem Kunden"))
    assert len({mine, ours, yours}) == 3


@pytest.mark.parametrize(
    "note, lang, word, lemma",
    [
        ("only half the team uses it", "en", "half", "half"),  # not German "helfen"
        ("they did not pass the review", "en", "pass", "pass"),  # not "passen", to fit
        ("Kunden sagt no budget", "en", "kunden", "kunde"),  # a German word in an English note keeps its lemma
        ("Timing passt nicht", "de", "timing", "timing"),  # a German noun, not English "time"
        ("Leads kamen doppelt", "de", "leads", "lead"),
        ("Daten unvollständig", "de", "daten", "daten"),  # data, not "Datum", the date
    ],
)
def test_a_word_takes_a_lemma_of_its_own_language(note, lang, word, lemma):
    from classifier.lemmas import note_tokens

    words = [w for w in note.lower().replace("ä", "ae").split()]
    assert note_tokens(note, lang)[words.index(word)] == lemma


@pytest.mark.parametrize(
    "note, concept",
    [
        ("way too expensive for them", "money"),
        ("their data is from 2019", "bad_data"),
        ("Daten von 2019", "bad_data"),
        ("Holding decides centrally", "org_above"),
        ("we work with an existing provider", "incumbent"),  # not "exist", a sign of bad data
        ("lieber später", "time_later"),  # not "spät", late
        ("just shopping around", "info"),
        ("bitte zusammenführen", "known"),  # not "zusammenfahren", to flinch
    ],
)
def test_concepts_fire_on_words_the_lookup_table_misreads(note, concept):
    assert f"cue_about_{concept}" in NotePreprocessor(cues=False).transform([note])[0].split()


@pytest.mark.parametrize(
    "note, concept",
    [
        ("he doesn't need it", "fake"),  # "does" is no "doe", a fake lead's name
        ("we work with an existing provider", "bad_data"),
        ("POS rollout next year", "org_above"),  # no purchase order
        ("she said they will call back", "decide"),  # saying is no say in the decision
        ("keine weiteren Fragen", "place"),  # "weiter" is not "weit", far
        ("falls es passt, melden", "time_later"),  # "falls" is if, not autumn
        ("wir stellen das zurück", "not_buyer"),  # to put, not a job
        ("the funding round fell through", "time_later"),  # "fell" is not "fall", autumn
        ("prospect stated they have no money", "place"),  # "stated" is not a state
    ],
)
def test_no_idea_fires_on_a_word_the_lookup_table_misreads(note, concept):
    assert f"cue_about_{concept}" not in NotePreprocessor(cues=False).transform([note])[0].split()


def test_every_word_the_lexicon_lists_fires_its_idea():
    """A listed word whose lemma is another word never fires: "verstorben" is read as "versterben",
    "geschlossen" as "schliessen", "went" as "go". Each exact word must fire its concept in a note of its own."""
    from classifier.lemmas import note_tokens
    from classifier.lexicon import CONCEPTS, word_concepts

    # bare "gleich" is mostly the adverb (right away) and reads as "gleichen"; the lexicon means "die gleiche Firma"
    written = {"gleich": "gleiche"}
    dead = [(concept, word) for concept, patterns in CONCEPTS.items() for word in patterns if "*" not in word
            and not word.startswith("!")
            and not any(concept in word_concepts(t) for lang in ("de", "en")
                        for t in note_tokens(written.get(word, word), lang))]
    assert dead == []


@pytest.mark.parametrize(
    "note, concept",
    [
        ("Please replace the old system", "contact"),
        ("They are looking for a replacement", "contact"),
        ("Our accountant handles that", "known"),
        ("Der Interessent hat kein Budget", "need"),
        ("Only got through to the switchboard", "incumbent"),
        ("The purchasing committee decides in May", "contract"),
        ("Weiterleitung an die Zentrale", "boss"),
        ("Wir tagen erst im März", "recent"),
        ("Testphase läuft noch bis Ende Mai", "fake"),
        ("frühestens im Herbst wieder", "early"),
        ("The plant manager signs off", "early"),
        ("We have no spare capacity", "money"),
        ("Interessenkonflikt mit einem Bestandskunden", "need"),
        ("Rückruf in ein paar Tagen", "recent"),  # days are no sign of recency, "vor drei Tagen" has "vor"
        ("no budget available this year", "contact"),
        ("Wir klären das intern", "gatekeeper"),  # German "intern" is internal, not an intern
    ],
)
def test_false_friends_fire_no_idea(note, concept):
    """A word the patterns of a concept match but that means something else ("replace" is no reply,
    the "Interessent" is the lead, not their interest) must not fire that concept."""
    assert f"cue_about_{concept}" not in NotePreprocessor(cues=False).transform([note])[0].split()


def test_every_false_friend_is_a_word_its_concept_would_otherwise_match():
    """A ``!word`` its concept's patterns never match is dead weight, and so is one that no longer
    leaves its concept out."""
    from classifier import lexicon

    def matched(word, patterns):
        return any(word.startswith(p.strip("*")) if p.endswith("*") and not p.startswith("*")
                   else p.strip("*") in word if p.startswith("*") else word == p for p in patterns)

    for concept, patterns in lexicon.CONCEPTS.items():
        positive = [p for p in patterns if not p.startswith("!")]
        for friend in (p[1:].rstrip("*") for p in patterns if p.startswith("!")):
            assert matched(friend, positive), (concept, friend)
            assert concept not in lexicon.word_concepts(friend), (concept, friend)


@pytest.mark.parametrize(
    "note, failed",
    [
        ("Reached Mr. Osei today, they use a competitor", False),
        ("Endlich erreicht: Budget ist weg", False),
        ("Message from Ms. Grant: budget is gone", False),
        ("nicht erreicht, nur Mailbox", True),
        ("no answer after three calls", True),
        ("geht nicht ans Telefon", True),
    ],
)
def test_reaching_someone_is_no_sign_of_a_failed_contact(note, failed):
    """ "Reached", "erreicht", "message" are contact events; only under a negation, or with a word such as "Mailbox", did the contact fail."""
    tokens = set(NotePreprocessor(cues=False).transform([note])[0].split())
    assert bool({"cue_about_contact_fail", "cue_negated_contact"} & tokens) is failed
    assert "cue_about_contact" in tokens


def test_function_words_dropped_but_negations_kept():
    tokens = NotePreprocessor(cues=False, concepts=False, function_words="drop").transform(["I'm not the one who decides"])[0].split()
    assert "not" in tokens and not {"i", "be", "the"} & set(tokens)
    kept = NotePreprocessor(cues=False, concepts=False, function_words="keep").transform(["I'm not the one"])[0].split()
    assert {"i", "be", "not"} <= set(kept)


def test_placeholders_replace_names_of_numbers_and_contacts():
    tokens = note_tokens("12.03. JK - call back Q3 2027, mail jk@acme.com")
    assert {"xxdate", "xxquarter", "xxemail"} <= set(tokens)
    assert "jk@acme.com" not in tokens


def test_transform_keeps_order_and_duplicates():
    notes = ["b", "kein Bedarf", "b", "kein Bedarf", ""]
    out = NotePreprocessor().transform(notes)
    assert out[0] == out[2] and out[1] == out[3] and out[4] == ""


@pytest.mark.parametrize(
    "note, lang",
    [("nicht der Entscheider", "de"), ("no answer after three calls", "en"), ("Rückruf erbeten", "de"), ("kein budget, maybe next FY", "de")],
)
def test_detect_language(note, lang):
    assert detect_language(note) == lang


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_transform_never_raises_and_keeps_length(notes):
    assert len(NotePreprocessor().transform(notes)) == len(notes)


def test_transform_refuses_a_bare_string():
    with pytest.raises(TypeError, match="Got str but expected an iterable of notes"):
        NotePreprocessor().transform("kein Budget")


@pytest.mark.parametrize("note", ["We don't need it", "I'm not the right person", "We haven't got the budget", "They can't decide this alone"])
def test_notes_in_capitals_keep_their_contractions_and_negations(note):
    from classifier.lemmas import prepare_notes

    assert prepare_notes([note.upper()])[0] == prepare_notes([note])[0]
