"""The compact scorer (``scorer.npz``): one note classified without scikit-learn, same answer as the pipeline."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from classifier import ModelError, load_model
from classifier.compact import SCORER_FILE, CompactScorer
from classifier.persistence import CARD_FILE, file_sha256
from training.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def notes(seed_frame):
    return seed_frame["text"].tolist() + load_corpus("independent_test.csv")["text"].tolist()[:1500] + [
        "", "n/a", "14.03. KE - kein Budget bis Q3 (#482913)", "zzzz qqqq", "cue_about_money", "kein kein kein Budget",
    ]


def test_light_model_gives_the_pipelines_probabilities_and_rows(seed_model_dir, seed_model, notes):
    light = load_model(seed_model_dir, light=True)
    assert light.pipeline is None and light.scorer is not None and light.labels == seed_model.labels
    np.testing.assert_allclose(light.predict_proba(notes), seed_model.predict_proba(notes), rtol=0, atol=1e-9)
    for note in notes[:40] + notes[-6:]:
        assert light.classify_one(note) == seed_model.classify_one(note)


def test_bundled_model_has_a_scorer_that_agrees_with_it():
    full, light = load_model(), load_model(light=True)
    assert light.scorer is not None, "the bundled model has no scorer.npz: re-save it with save_model"
    sample = load_corpus("independent_test.csv")["text"].tolist()[:300]
    np.testing.assert_allclose(light.predict_proba(sample), full.predict_proba(sample), rtol=0, atol=1e-9)


def test_classify_text_does_not_import_scikit_learn():
    code = (
        "import sys; sys.stdout = open(1, 'w', closefd=False)  # not sys.__stdout__: the CLI returns instead of os._exit\n"
        "from cli import cli\n"
        "try:\n    cli(['classify', '--text', 'kein Budget bis Q3'])\n"
        "except SystemExit:\n    pass\n"
        "print('SKLEARN' if 'sklearn' in sys.modules else 'NO-SKLEARN', flush=True)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "no_budget" in out.stdout and out.stdout.strip().endswith("NO-SKLEARN")


@pytest.fixture
def copied(tmp_path, seed_model_dir):
    target = tmp_path / "m"
    shutil.copytree(seed_model_dir, target)
    return target


def _reseal(directory: Path) -> None:
    card = json.loads((directory / CARD_FILE).read_text())
    card["scorer_sha256"] = file_sha256(directory / SCORER_FILE)
    (directory / CARD_FILE).write_text(json.dumps(card))


@pytest.mark.parametrize("payload", [b"", b"not a zip", b"PK\x03\x04garbage"])
def test_a_scorer_file_that_is_not_one_gets_a_clear_error(copied, payload):
    (copied / SCORER_FILE).write_bytes(payload)
    _reseal(copied)
    with pytest.raises(ModelError, match=f"{SCORER_FILE} is not a Rejection Radar scorer file"):
        load_model(copied, light=True)


def test_a_pickled_array_in_the_scorer_file_is_refused_and_runs_nothing(copied, tmp_path):
    scorer = CompactScorer.load(copied / SCORER_FILE)
    arrays = dict(np.load(copied / SCORER_FILE))
    arrays["idf0"] = np.array([object()] * len(scorer.blocks[0].column), dtype=object)  # needs pickle to load
    np.savez(copied / SCORER_FILE, **arrays)
    _reseal(copied)
    with pytest.raises(ModelError, match="is not a Rejection Radar scorer file"):
        load_model(copied, light=True)


def test_arrays_that_do_not_fit_together_are_refused(copied):
    arrays = dict(np.load(copied / SCORER_FILE))
    arrays["a"] = arrays["a"][:-1]
    np.savez(copied / SCORER_FILE, **arrays)
    _reseal(copied)
    with pytest.raises(ModelError, match="do not fit together"):
        load_model(copied, light=True)


def test_a_replaced_or_missing_scorer_is_caught_by_the_card(copied):
    arrays = dict(np.load(copied / SCORER_FILE))
    arrays["intercept"] = arrays["intercept"] + 5  # a different model, same shapes
    np.savez(copied / SCORER_FILE, **arrays)
    with pytest.raises(ModelError, match="does not match the checksum"):
        load_model(copied, light=True)
    (copied / SCORER_FILE).unlink()
    with pytest.raises(ModelError, match="is missing"):
        load_model(copied, light=True)


def test_a_model_without_a_scorer_loads_its_pipeline(copied, seed_model):
    (copied / SCORER_FILE).unlink()
    card = json.loads((copied / CARD_FILE).read_text())
    del card["scorer_sha256"]
    (copied / CARD_FILE).write_text(json.dumps(card))
    model = load_model(copied, light=True)
    assert model.pipeline is not None and model.classify_one("kein Budget") == seed_model.classify_one("kein Budget")


def test_an_array_header_asking_for_terabytes_is_refused_before_reading(copied):
    import io
    import zipfile

    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    with zipfile.ZipFile(copied / SCORER_FILE, "a") as archive:
        archive.writestr("huge.npy", header.getvalue() + b"\0" * 64)
    _reseal(copied)
    with pytest.raises(ModelError, match="more than 512 MB"):
        load_model(copied, light=True)


def test_a_model_with_no_compact_form_is_saved_without_one_and_still_answers(tmp_path, seed_frame):
    from classifier import save_model
    from training.train import train_model

    model = train_model(seed_frame["text"], seed_frame["label"], seed=0, params={"model": "logreg"}, cv=2)
    (tmp_path / SCORER_FILE).write_bytes(b"left over from an earlier model in this folder")
    save_model(model, tmp_path)
    assert not (tmp_path / SCORER_FILE).exists() and "scorer_sha256" not in json.loads((tmp_path / CARD_FILE).read_text())
    light = load_model(tmp_path, light=True)
    assert light.pipeline is not None and light.classify_one("kein Budget") == model.classify_one("kein Budget")
