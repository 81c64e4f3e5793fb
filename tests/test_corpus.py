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

MARGIN = 0.02


@pytest.fixture(scope="module")
def default_model():
    return load_model()


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


def test_bundled_model_holds_its_independent_test_figures(default_model):
    """Fails if a change to preprocessing or training lowers quality on unseen notes."""
    test = load_corpus("independent_test.csv")
    result = evaluate(default_model, test["text"].tolist(), test["label"].tolist())
    recorded = default_model.card["heldout"]
    assert result["macro_f1"] >= recorded["macro_f1"] - MARGIN
    assert result["weak_f1"] >= recorded["weak_f1"] - MARGIN
    assert result["macro_f1"] >= 0.90 and result["weak_f1"] >= 0.95


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
def test_default_model_on_the_source_sentences(default_model, note, reason):
    assert default_model.classify([note])["reason"][0] == reason


@pytest.mark.slow
def test_retraining_the_corpus_reproduces_the_bundled_model(default_model):
    from training.train import train_model

    corpus = load_corpus()
    model = train_model(corpus["text"], corpus["label"], seed=default_model.card["seed"], cv=0)
    sample = load_corpus("independent_test.csv")["text"].tolist()[:300]
    assert np.allclose(model.predict_proba(sample), default_model.predict_proba(sample), atol=1e-6)
    assert json.loads(json.dumps(default_model.card["label_counts"])) == corpus["label"].value_counts().to_dict()


REAL_PHRASES = Path(__file__).resolve().parents[1].parent / "shared" / "real_phrases" / "real_phrases_dev.csv"


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
