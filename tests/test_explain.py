from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from classifier import classify_notes
from classifier.explain import contributions, explain, explain_text
from classifier.pipeline import linear_part
from classifier.taxonomy import load_taxonomy
from training.train import train_model

CORPUS = Path(__file__).parent.parent / "training" / "data" / "corpus.csv"


@pytest.fixture(scope="module")
def corpus():
    return pd.read_csv(CORPUS, dtype=str, keep_default_na=False).sample(1500, random_state=0)


@pytest.fixture(scope="module")
def model(corpus):
    return train_model(corpus["text"], corpus["label"], cv=0)


@pytest.mark.parametrize(
    ("note", "reason", "cues"),
    [
        ("kein Budget dieses Jahr", "no_budget", {"budget", "kein budget"}),
        ("voicemail x3, no answer", "unreachable", {"voicemail", "answer", "no answer"}),
        ("nicht der Entscheider, Chef entscheidet", "not_decision_maker", {"entscheider", "entscheiden", "chef"}),
        ("already using HubSpot", "existing_solution", {"hubspot", "use", "already use"}),
        ("Spam!!", "invalid_lead", {"spam", "curated cue: junk"}),
    ],
)
def test_explain_names_the_cue_words(model, note, reason, cues):
    """Among the three strongest phrases: a cue word itself, or an idea naming it ("idea: boss (chef)")."""
    result = explain(model, note)
    assert result["reason"] == reason and result["runner_up"] != reason
    named = {phrase for phrase, _ in result["for"][:3]}
    named |= {word for phrase in named if phrase.endswith(")") for word in phrase[phrase.rindex("(") + 1 : -1].split(", ")}
    assert cues & named
    assert all(w > 0 for _, w in result["for"]) and all(w < 0 for _, w in result["against"])


def test_explain_agrees_with_classify(model):
    notes = ["kein Budget dieses Jahr", "Rückruf in Q3", "zu klein, nur 3 MA"]
    classified = classify_notes(notes, model)
    for note, (_, row) in zip(notes, classified.iterrows()):
        result = explain(model, note)
        assert (result["reason"], result["confidence"], result["runner_up"]) == (row["reason"], row["confidence"], row["reason_2"])


@pytest.mark.parametrize("note", ["call back after Q3 2025, budget frozen", "nicht der Entscheider, Chef entscheidet am 12.03."])
def test_contributions_add_up_to_the_decision(model, note):
    prepared = model.pipeline[0].transform([note])[0]
    features = model.pipeline[1].transform([prepared])
    svm = linear_part(model.pipeline[-1]).calibrated_classifiers_[0].estimator
    decision = svm.decision_function(features)[0]
    reason, runner_up = np.argsort(-model.pipeline[-1].predict_proba(features)[0])[:2]
    total = sum(contributions(model, prepared, reason, runner_up).values())
    bias = svm.intercept_[reason] - svm.intercept_[runner_up]
    assert total + bias == pytest.approx(decision[reason] - decision[runner_up])


def test_explain_phrases_are_plain_words(model):
    result = explain(model, "Rückruf am 12.03. in Q3, budget frozen", top=50)
    phrases = [p for p, _ in result["for"] + result["against"]]
    assert not any("xx" in p or "cue_" in p for p in phrases)  # placeholders spelled out, also among an idea's words
    assert {"<quarter>", "curated cue: money"} & set(phrases)


def test_explain_text_in_english_and_german(model):
    result = explain(model, "kein Budget dieses Jahr", top=6)
    english, german = explain_text(result), explain_text(result, "de")
    assert english.startswith(f"no_budget ({result['confidence']:.2f}) rather than {result['runner_up']}")
    assert "because of:" in english and "'budget' (+" in english
    assert " statt " in german and "wegen:" in german and "Stichwortliste: Geld" in german
    lines = 1 + len(result["for"]) + (1 + len(result["against"]) if result["against"] else 0)
    assert len(english.splitlines()) == len(german.splitlines()) == lines


@pytest.mark.parametrize("lang, words", [("en", "the note is empty"), ("de", "die Notiz ist leer")])
def test_explain_empty_note(model, lang, words):
    result = explain(model, " n/a ")
    assert result["reason"] == "other" and result["for"] == [] and result["runner_up"] == ""
    assert words in explain_text(result, lang)


@pytest.mark.parametrize(("note", "reason", "cue"), [("kein Budget dieses Jahr", "Geld", "budget"), ("kein Bedarf, kein Interesse", "Kein Bedarf", "bedarf")])
def test_explain_works_for_an_own_taxonomy(tmp_path, corpus, note, reason, cue):
    path = tmp_path / "picklist.csv"
    path.write_text("label,weak\nGeld,yes\nKein Bedarf,no\n", encoding="utf-8")
    frame = corpus[corpus["label"].isin(["no_budget", "no_need"])]
    labels = frame["label"].map({"no_budget": "Geld", "no_need": "Kein Bedarf"})
    model = train_model(frame["text"], labels, taxonomy=load_taxonomy(path), cv=0)  # two labels: one row of weights
    result = explain(model, note)
    assert result["reason"] == reason and result["runner_up"] == ({"Geld", "Kein Bedarf"} - {reason}).pop()
    assert any(cue in phrase for phrase, _ in result["for"][:3])  # the word itself or an idea naming it ("idea: need (bedarf)")
    assert explain_text(result, "de").startswith(f"{reason} (")
