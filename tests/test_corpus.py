"""The bundled corpus, the independent test set and the bundled model's quality on it."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from classifier import load_model
from training import check_corpus as check_script
from training.corpus import check_corpus, data_path, load_corpus, near_duplicates
from training.evaluate import evaluate

REAL_PHRASES = Path(__file__).resolve().parents[1].parent / "shared" / "real_phrases" / "real_phrases_dev.csv"



def test_check_script_passes_on_bundled_corpus_and_test_set(capsys):
    assert check_script.main([]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_finds_duplicates_unknown_labels_and_small_labels():
    frame = pd.DataFrame(
        {
            "text": ["kein Budget vorhanden", "kein Budget vorhanden", "kein Budget vorhanden!", "x"],
            "label": ["no_budget", "no_budget", "no_budget", "made_up"],
            "lang": ["de", "de", "de", "de"],
        }
    )
    problems = "\n".join(check_corpus(frame, min_per_label_lang=2))
    assert "unknown labels: made_up" in problems
    assert "exact duplicate" in problems
    assert "near-duplicate in no_budget" in problems
    assert "no_budget/en: 0 notes, need 2" in problems


def test_near_duplicates_threshold():
    assert near_duplicates(["no answer after 3 calls", "no answer after 3 calls!"])
    assert not near_duplicates(["no answer after 3 calls", "budget frozen until March"])


def test_test_set_shares_no_note_with_the_corpus():
    corpus = set(load_corpus()["text"].str.strip().str.lower())
    test = set(load_corpus("independent_test.csv")["text"].str.strip().str.lower())
    assert not corpus & test


# Fixed floors, not read from the card: a worse model shipped with its own card must fail here.
# Set at the bundled model's figures minus a small margin (README, "Quality").
TEST_FLOORS = {"macro_f1": 0.92, "weak_f1": 0.96}
TEST_REGISTER_FLOORS = {"rep_note": 0.93, "buyer_quote": 0.88, "formal": 0.95, "summary": 0.90, "article": 0.90}
TEST_RECALL_FLOOR = 0.85
REAL_FLOORS = {"macro_f1": 0.62, "weak_f1": 0.81, "de": 0.56, "en": 0.66}
REAL_RECALL_FLOOR = 0.30
REAL_REVIEW = {"max_flagged": 0.35, "min_right": 0.81}  # needs_review: issue 10 allows 35% flagged (and wants 85% right)
UNPROMPTED_FLOORS = {"macro_f1": 0.66, "weak_f1": 0.82, "de": 0.65, "en": 0.65}  # before rounds 14-16: 0.593, 0.800, 0.612, 0.573


@pytest.fixture(scope="module")
def test_scores(bundled_model):
    test = load_corpus("independent_test.csv")
    return evaluate(bundled_model, test["text"].tolist(), test["label"].tolist(), by={"register": test["register"].tolist()})


def test_bundled_model_meets_the_fixed_floors_on_the_independent_test_set(test_scores):
    assert test_scores["macro_f1"] >= TEST_FLOORS["macro_f1"] and test_scores["weak_f1"] >= TEST_FLOORS["weak_f1"]
    for register, floor in TEST_REGISTER_FLOORS.items():
        assert test_scores["by"]["register"][register]["macro_f1"] >= floor, register
    low = {label: row["recall"] for label, row in test_scores["per_label"].items() if row["recall"] < TEST_RECALL_FLOOR}
    assert not low


def test_bundled_model_meets_the_floors_on_texts_written_without_a_label(bundled_model):
    """The test slice of round 14's kind of text: as hard as real wording, and never trained on."""
    frame = load_corpus("unprompted_test.csv")
    assert not set(frame["text"]) & set(load_corpus()["text"])
    result = evaluate(bundled_model, frame["text"].tolist(), frame["label"].tolist(), by={"lang": frame["lang"].tolist()})
    assert result["macro_f1"] >= UNPROMPTED_FLOORS["macro_f1"] and result["weak_f1"] >= UNPROMPTED_FLOORS["weak_f1"], result["macro_f1"]
    assert all(result["by"]["lang"][lang]["macro_f1"] >= UNPROMPTED_FLOORS[lang] for lang in ("de", "en"))


@pytest.mark.skipif(not REAL_PHRASES.exists(), reason="the real-phrases dev set (../shared/real_phrases) is not beside this checkout")
def test_bundled_model_meets_the_fixed_floors_on_real_phrases(bundled_model):
    real = pd.read_csv(REAL_PHRASES, dtype=str, keep_default_na=False)
    result = evaluate(bundled_model, real["text"].tolist(), real["label"].tolist(), by={"lang": real["lang"].tolist()})
    assert result["macro_f1"] >= REAL_FLOORS["macro_f1"] and result["weak_f1"] >= REAL_FLOORS["weak_f1"]
    assert all(result["by"]["lang"][lang]["macro_f1"] >= REAL_FLOORS[lang] for lang in ("de", "en"))
    low = {label: row["recall"] for label, row in result["per_label"].items() if row["recall"] < REAL_RECALL_FLOOR}
    assert not low
    kept = result["confident"]
    assert kept["coverage"] >= 1 - REAL_REVIEW["max_flagged"] and kept["accuracy"] >= REAL_REVIEW["min_right"], kept


def test_bundled_card_holds_the_test_figures_it_claims(bundled_model, test_scores):
    recorded = bundled_model.card["heldout"]
    assert abs(test_scores["macro_f1"] - recorded["macro_f1"]) < 1e-3 and abs(test_scores["weak_f1"] - recorded["weak_f1"]) < 1e-3


def test_rescoring_rewrites_the_card_for_a_grown_test_set_and_leaves_the_model_file(bundled_model, tmp_path):
    import shutil

    from training.bundle import rescore

    folder = tmp_path / "model"
    shutil.copytree(bundled_model.card["path"], folder)
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    card["heldout"] = {"n": 1, "macro_f1": 0.0}  # as if scored on an older, smaller test set
    (folder / "card.json").write_text(json.dumps(card), encoding="utf-8")
    before = (folder / "model.skops").read_bytes()
    rescored = rescore(folder)
    assert rescored["heldout"]["n"] == len(load_corpus("independent_test.csv"))
    assert abs(rescored["heldout"]["macro_f1"] - bundled_model.card["heldout"]["macro_f1"]) < 1e-3
    assert (folder / "model.skops").read_bytes() == before
    assert load_model(folder).card["heldout"]["n"] == rescored["heldout"]["n"]  # the card still matches the model file


def test_readme_accuracy_section_equals_the_card(bundled_model):
    from training.bundle import README, BLOCK, readme_block

    block = BLOCK.search(README.read_text(encoding="utf-8")).group(2)
    assert block == readme_block(bundled_model.card), "run: python -m training.bundle --readme"


@pytest.mark.parametrize(
    "note, reason",
    [
        ("Diese Person war nicht der Entscheidungsträger", "not_decision_maker"),
        (
            "Sie wollten sich nur eine Übersicht im Markt verschaffen und waren noch in einer sehr frühen "
            "Phase im Beschaffungsprozess",
            "too_early",
        ),
    ],
)
def test_bundled_model_on_the_source_sentences(bundled_model, note, reason):
    assert bundled_model.classify([note])["reason"][0] == reason


@pytest.mark.slow
def test_retraining_the_corpus_reproduces_the_bundled_model(bundled_model):
    from training.train import train_model

    corpus = load_corpus()
    model = train_model(corpus["text"], corpus["label"], seed=bundled_model.card["seed"], cv=0)
    sample = load_corpus("independent_test.csv")["text"].tolist()[:300]
    assert np.allclose(model.predict_proba(sample), bundled_model.predict_proba(sample), atol=1e-6)
    assert json.loads(json.dumps(bundled_model.card["label_counts"])) == corpus["label"].value_counts().to_dict()




def _normalised(text: str) -> str:
    return re.sub(r"[^\w]+", " ", str(text).lower()).strip()


@pytest.mark.skipif(not REAL_PHRASES.exists(), reason="the real-phrases dev set (../shared/real_phrases) is not beside this checkout")
def test_no_real_phrase_is_in_the_training_data():
    dev = {_normalised(t) for t in pd.read_csv(REAL_PHRASES, dtype=str, keep_default_na=False)["text"]}
    leaks = []
    for path in sorted(data_path("").rglob("*.csv")):
        texts = pd.read_csv(path, dtype=str, keep_default_na=False)["text"]
        leaks += [f"{path.name}: {t[:60]}" for t in texts if _normalised(t) in dev]
    assert not leaks, f"evaluation-only phrases in training/data: {leaks[:5]}"


def test_every_register_is_in_corpus_and_test_set():
    for name in ("corpus.csv", "independent_test.csv"):
        counts = load_corpus(name).groupby(["register", "lang"]).size()
        for register in ("rep_note", "buyer_quote", "formal", "summary"):
            for lang in ("de", "en"):
                assert counts.get((register, lang), 0) >= 100, (name, register, lang)


def test_test_set_holds_texts_about_rejections_the_corpus_does_not():
    """The article slice measures writing the model was never trained on (round 10 stayed unmerged)."""
    test = load_corpus("independent_test.csv").groupby(["register", "lang"]).size()
    assert test.get(("article", "de"), 0) >= 200 and test.get(("article", "en"), 0) >= 200
    assert "article" not in set(load_corpus()["register"])


def test_check_against_a_reference_finds_near_copies_only_across_the_two_sets():
    from training.check_corpus import close_to

    texts = ["Kunde hat schon einen Anbieter", "Kunde hat schon einen Anbieter!", "kein Budget"]
    reference = ["Der Kunde hat schon einen Anbieter.", "call me next week"]
    found = close_to(texts, reference, 0.6)
    assert {(a, b) for a, b, _ in found} == {(t, reference[0]) for t in texts[:2]}  # the pair inside texts is not reported
