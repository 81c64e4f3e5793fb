import numpy as np
import pandas as pd
import pytest

from classifier import classify_notes
from classifier.model import OUTPUT_COLUMNS


@pytest.mark.parametrize("note", ["", "-", "--", "n/a", "NA", "None", "null", "?", "."])
def test_empty_notes_are_other_with_full_confidence(seed_model, note):
    row = classify_notes([note], seed_model).iloc[0]
    assert row["reason"] == "other" and row["confidence"] == 1.0 and row["weak"]
    assert not row["needs_review"]


def test_output_has_one_row_per_note_in_order(seed_model):
    notes = ["kein Budget", "n/a", "voicemail x3", "kein Budget", "already a customer"]
    out = classify_notes(notes, seed_model)
    assert list(out.columns) == OUTPUT_COLUMNS
    assert len(out) == len(notes)
    assert out.iloc[0].equals(out.iloc[3])


def test_challenge_follows_the_note_language(seed_model):
    out = classify_notes(["nicht der Entscheider, Chef entscheidet", "not the decision maker, boss decides"], seed_model)
    assert out["reason"].tolist() == ["not_decision_maker", "not_decision_maker"]
    assert out["note_lang"].tolist() == ["de", "en"]
    assert "Entscheidungen" in out["challenge"][0] and "decisions" in out["challenge"][1]


def test_valid_reasons_have_no_challenge(seed_model):
    row = classify_notes(["already using HubSpot"], seed_model).iloc[0]
    assert row["reason"] == "existing_solution" and not row["weak"] and row["challenge"] == ""


def test_reason_2_differs_from_reason(seed_model):
    out = classify_notes(["kein Budget", "ghosted"], seed_model)
    assert (out["reason"] != out["reason_2"]).all()


def test_forked_workers_give_the_same_predictions(seed_model, seed_frame):
    notes = [f"{text} #{i}" for i in range(100) for text in seed_frame["text"]]  # 11,000 distinct notes
    serial = classify_notes(notes, seed_model)
    with seed_model.workers(2):
        parallel = classify_notes(notes, seed_model)
    pd.testing.assert_frame_equal(serial, parallel)


def test_empty_notes_get_questions_in_the_batch_language(seed_model):
    out = classify_notes(["-", "kein Budget dieses Jahr", "nicht der Entscheider"], seed_model)
    assert out["note_lang"][0] == "de" and "Grund" in out["challenge"][0]


@pytest.mark.parametrize("note", ["kein Budget dieses Jahr", "voicemail x3", "", "n/a"])
def test_classify_one_matches_a_row_of_classify_notes(seed_model, note):
    row = classify_notes([note], seed_model).iloc[0].to_dict()
    assert seed_model.classify_one(note) == row


NOTES = ["kein Budget", "voicemail x3", "already a customer", "Chef entscheidet", "call me in Q3", "student",
         "n/a", "nur Infos gesammelt", "too small for us", "Duplikat", "uses HubSpot", "kein Interesse", "passt nicht"]


def test_reason_confidence_and_reason_2_follow_the_probabilities(seed_model):
    out = classify_notes(NOTES, seed_model)
    proba = seed_model.predict_proba(NOTES)
    labels = np.array(seed_model.labels)
    model_rows = [i for i, n in enumerate(NOTES) if n != "n/a"]
    order = np.argsort(-proba[model_rows], axis=1)
    assert out["reason"][model_rows].tolist() == labels[order[:, 0]].tolist()
    assert out["reason_2"][model_rows].tolist() == labels[order[:, 1]].tolist()
    assert np.allclose(out["confidence"][model_rows], proba[model_rows].max(axis=1), atol=1e-4)


def test_needs_review_is_exactly_the_notes_below_the_threshold(seed_model):
    from dataclasses import replace

    confidences = classify_notes(NOTES, seed_model)["confidence"]
    model = replace(seed_model, threshold=float(np.median(confidences[confidences < 1])))
    out = classify_notes(NOTES, model)
    expected = (out["confidence"] < model.threshold) & (pd.Series(NOTES) != "n/a")
    assert out["needs_review"].tolist() == expected.tolist()
    assert 0 < out["needs_review"].sum() < len(NOTES) - 1


def test_cached_predictions_equal_fresh_ones_and_the_cache_stays_bounded(seed_model, seed_frame):
    from classifier.model import PredictionCache, _predict

    notes = seed_frame["text"].tolist()
    fresh = _predict(seed_model, notes)
    cache = PredictionCache(size=len(notes) // 3)
    first = _predict(seed_model, notes[: len(notes) // 2], cache)  # no note came back: half the cache is filled
    assert len(cache) == len(notes) // 3 // 2
    mixed = _predict(seed_model, notes[::-1] + notes[:5], cache)  # cached and new notes, repeated, reordered
    assert len(cache) == len(notes) // 3  # notes came back: the cache grew to its bound, no further
    np.testing.assert_allclose(first[0], fresh[0][: len(notes) // 2])
    np.testing.assert_allclose(mixed[0], np.vstack([fresh[0][::-1], fresh[0][:5]]))
    assert mixed[1].tolist() == fresh[1][::-1].tolist() + fresh[1][:5].tolist()


def _framed(i: int, note: str) -> str:
    return ("Ablehnungsgrund: " if i % 2 else "Hi team, lead rejected, reason: ") + note + (" (JK 14.03.)" if i % 3 else ". Thanks, Anna")


def _contacted(i: int, note: str) -> str:
    return ("Spoke to Anna Brandt on 12/03, " if i % 2 else "Telefonat mit Hr. Keller am 14.3.: ") + note + (" - 14.3.2026" if i % 3 else "")


def _with_emoji(i: int, note: str) -> str:
    return ("👍 " if i % 2 else "") + note + (" 🤦‍♂️" if i % 3 else " 🙄")


@pytest.mark.parametrize("wrap", [_framed, _contacted, _with_emoji], ids=["frame_greeting_sign_off_stamp", "who_was_spoken_to_and_when", "emoji"])
def test_words_around_the_reason_change_no_answer(seed_model, seed_frame, wrap):
    notes = seed_frame["text"].tolist()[:60]
    plain, wrapped = classify_notes(notes, seed_model), classify_notes([wrap(i, note) for i, note in enumerate(notes)], seed_model)
    assert wrapped["reason"].tolist() == plain["reason"].tolist()
    assert wrapped["confidence"].tolist() == plain["confidence"].tolist()


@pytest.mark.parametrize(
    "before, after",
    [("Catch-up with Mr. Ferreira 2/11: ", ""), ("Nachbesprechung 11.2. mit Hr. Ferreira: ", ""), ("", " (call w/ Ms. Park 5/6)"),
     ("", " - Rückmeldung von Fr. Brandl, 6.5.")],
)
def test_asides_no_rule_knows_change_no_answer_of_the_bundled_model(bundled_model, before, after):
    """Contact wordings the rules of classifier.asides do not know: the model reads them alone as no reason and sets them aside."""
    from training.corpus import load_corpus

    test = load_corpus("independent_test.csv")
    notes = test.loc[test["register"] == "rep_note", "text"].tolist()[:40]
    plain, wrapped = classify_notes(notes, bundled_model), classify_notes([before + n + after for n in notes], bundled_model)
    assert wrapped["reason"].tolist() == plain["reason"].tolist()
    assert wrapped["confidence"].tolist() == plain["confidence"].tolist()


@pytest.mark.parametrize("heading", ["Gesprächsfazit: ", "Account review: "])
def test_headings_no_rule_knows_change_no_reason_of_the_bundled_model(bundled_model, heading):
    """A heading is set aside like a contact, except where the note keeps a clause naming someone as part of its reason
    ("..., der ist auf Reha bis KW 20"): then it stays, and may move the confidence, not the reason."""
    from training.corpus import load_corpus

    test = load_corpus("independent_test.csv")
    notes = test.loc[test["register"] == "rep_note", "text"].tolist()[:40]
    plain, headed = classify_notes(notes, bundled_model), classify_notes([heading + n for n in notes], bundled_model)
    assert headed["reason"].tolist() == plain["reason"].tolist()
    assert bundled_model.reading(heading + notes[0]) == (notes[0], [heading.strip(" :")])


@pytest.mark.parametrize(
    "note",
    ["Hr. Maier ist im Meeting - Rückruf nächste Woche", "Rollout auf 2026 verschoben, bis dahin ruht das Thema",
     "Bot-Eintrag, Firma 'xxx' (Hr. X) - Formular mit Fantasiedaten", "Zu früh: erst nach der Messe wieder melden",
     "Kein Budget - Firma viel zu klein", "Abbruch | contact: Ms. Alvarez", "Lead schließen -> Info von Hr. Novak, 29.4.",
     "rejected - see Zoho activity -> info from Mr. Novak, 4/29"],
)
def test_an_aside_that_carries_the_note_stays_part_of_it(bundled_model, note):
    """It carries the reason ("im Meeting", "zu früh"), or it is all the note says beside a contact ("Abbruch | contact: ...")."""
    assert bundled_model.reading(note) == (note, [])


def test_explain_says_what_was_set_aside(bundled_model):
    from classifier.explain import explain, explain_text

    result = explain(bundled_model, "Recap with Dr. Patel 11/7: no budget this year")
    assert result["reason"] == "no_budget" and result["set_aside"] == ["Recap with <person> <date>"]
    assert "set aside, naming no reason: 'Recap with <person> <date>'" in explain_text(result)
    assert "beiseitegelassen, nennt keinen Grund: 'Recap with <Person> <Datum>'" in explain_text(result, "de")
    assert all("xxperson" not in phrase and "<person>" not in phrase for phrase, _ in result["for"] + result["against"])
