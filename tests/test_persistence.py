import json
import shutil
import zipfile
from dataclasses import replace

import numpy as np
import pytest

from classifier import ModelError, load_model, save_model
from classifier.normalize import is_empty_note
from classifier.persistence import CARD_FILE, MODEL_FILE, bundled_model_dir, default_model_dir, promote_model

NOTES = ["nicht der Entscheider", "no budget this year", "AB x3", "n/a"]


def test_saved_model_loads_and_predicts_the_same(seed_model_dir, seed_model):
    again = load_model(seed_model_dir)
    assert again.classify(NOTES).equals(seed_model.classify(NOTES))


def test_card_records_what_a_reviewer_needs(seed_model):
    card = seed_model.card
    for key in ("labels", "taxonomy_sha256", "versions", "corpus_sha256", "cv", "threshold", "created", "model_sha256"):
        assert key in card
    assert card["versions"]["scikit-learn"] and card["versions"]["spacy"]


@pytest.fixture
def model_copy(tmp_path, seed_model_dir):
    target = tmp_path / "copy"
    shutil.copytree(seed_model_dir, target)
    return target


def test_corrupt_model_file_is_refused_before_loading(model_copy):
    (model_copy / MODEL_FILE).write_bytes(b"not a model")
    with pytest.raises(ModelError, match="checksum.*retrain"):
        load_model(model_copy)


def test_version_mismatch_is_refused_with_retrain_hint(model_copy):
    card = json.loads((model_copy / CARD_FILE).read_text())
    card["versions"]["scikit-learn"] = "0.24.2"
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="scikit-learn 0.24.2.*retrain"):
        load_model(model_copy)


def test_missing_model_directory_says_how_to_fix(tmp_path):
    with pytest.raises(ModelError, match="no model found.*retrain"):
        load_model(tmp_path / "nowhere")


def test_corrupt_card_is_a_model_error(model_copy):
    (model_copy / CARD_FILE).write_text("{broken")
    with pytest.raises(ModelError, match="corrupt"):
        load_model(model_copy)


def test_bundled_model_is_present_and_loads():
    model = load_model(bundled_model_dir())
    assert len(model.labels) == 11


def test_saved_threshold_decides_needs_review_after_loading(tmp_path, seed_model):
    notes = [*NOTES, "kein Budget dieses Jahr", "already a customer", "Chef entscheidet", "call me in Q3"]
    has_text = [not is_empty_note(n) for n in notes]
    flags = {}
    for threshold in (0.0, 1.0):  # flag nothing / flag every note the model is not certain of
        loaded = load_model(save_model(replace(seed_model, threshold=threshold), tmp_path / f"t{threshold}"))
        out = loaded.classify(notes)
        assert out["needs_review"].tolist() == [c < threshold and t for c, t in zip(out["confidence"], has_text)]
        flags[threshold] = out["needs_review"].tolist()
    assert not any(flags[0.0]) and any(flags[1.0])


def test_promoting_a_corrupt_model_is_refused_and_the_default_stays(model_copy):
    before = default_model_dir()
    (model_copy / MODEL_FILE).write_bytes(b"not a model")
    with pytest.raises(ModelError, match="checksum.*retrain"):
        promote_model(model_copy, "broken")
    assert default_model_dir() == before


def test_old_pickled_model_you_trust_can_be_converted_unchanged(model_copy, seed_model):
    import joblib

    from classifier.persistence import LEGACY_MODEL_FILE, file_sha256, upgrade_model

    (model_copy / MODEL_FILE).unlink()
    joblib.dump(seed_model.pipeline, model_copy / LEGACY_MODEL_FILE)
    card = json.loads((model_copy / CARD_FILE).read_text())
    card.update(format_version=1, model_sha256=file_sha256(model_copy / LEGACY_MODEL_FILE))
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="old pickled model"):
        load_model(model_copy)
    upgrade_model(model_copy)
    again = load_model(model_copy)
    assert again.classify(NOTES).equals(seed_model.classify(NOTES))
    assert again.card["cv"] == seed_model.card["cv"] and again.card["created"] == seed_model.card["created"]
    assert not (model_copy / LEGACY_MODEL_FILE).exists()


def test_loading_keeps_vocabularies_and_saving_leaves_the_model_intact(tmp_path, seed_model):
    from classifier.persistence import _vectorisers

    before = {key: dict(step.vocabulary_) for key, step in _vectorisers(seed_model.pipeline)}
    save_model(replace(seed_model), tmp_path / "again")
    assert {key: step.vocabulary_ for key, step in _vectorisers(seed_model.pipeline)} == before
    loaded = load_model(tmp_path / "again")
    assert {key: step.vocabulary_ for key, step in _vectorisers(loaded.pipeline)} == before


def test_naive_bayes_log_probabilities_are_left_out_of_the_file_and_derived_to_the_same_bits(tmp_path, seed_frame):
    from classifier.pipeline import bayes_part
    from training.train import train_model

    model = train_model(seed_frame["text"], seed_frame["label"], seed=0, cv=0)
    bayes, _ = bayes_part(model.pipeline[-1])
    before = bayes.feature_log_prob_.copy()
    save_model(model, tmp_path / "m")
    assert np.array_equal(bayes.feature_log_prob_, before)  # saving leaves the model in memory intact
    assert "feature_log_prob_" not in zipfile.ZipFile(tmp_path / "m" / "model.skops").read("schema.json").decode()
    loaded, _ = bayes_part(load_model(tmp_path / "m").pipeline[-1])
    assert np.array_equal(loaded.feature_log_prob_, before)
