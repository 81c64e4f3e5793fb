"""Issue 12, untrusted models and paths: hostile model files and names are refused, nothing runs, nothing is deleted."""

import json
import os
import pickle
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier import ModelError, load_model
from classifier.persistence import (
    CARD_FILE,
    LEGACY_MODEL_FILE,
    MODEL_FILE,
    TRUSTED_TYPES,
    bundled_model_dir,
    default_model_dir,
    file_sha256,
    promote_model,
    user_models_dir,
)
from cli import cli

MARKER = "pwned.txt"


def _clean_error(result, code: int, *needles: str) -> str:
    """A one-line error with the given exit code, no traceback, mentioning every needle."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    for needle in needles:
        assert needle in result.output, result.output
    return result.output


@pytest.fixture
def runner():
    return CliRunner()


# --- hostile model files -------------------------------------------------------------------------


class Boom:
    """Writes a marker file when it is built from a file: what a hostile model would do."""

    marker = ""

    def __reduce__(self):  # pickle: calls open(marker, "w") on loading
        return (open, (self.marker, "w"))

    def __setstate__(self, state):  # skops: builds the object, then sets its state
        Path(state["marker"]).write_text("ran")


def _seal(directory: Path, file: str, fmt: int) -> None:
    """Make the card's checksum and format match the (hostile) file: the checksum is no defence."""
    card = json.loads((directory / CARD_FILE).read_text())
    card.update(format_version=fmt, model_sha256=file_sha256(directory / file))
    (directory / CARD_FILE).write_text(json.dumps(card))


@pytest.fixture
def hostile_dir(tmp_path, seed_model_dir):
    """A copy of a good model whose files are then replaced by the tests."""
    target = tmp_path / "hostile"
    shutil.copytree(seed_model_dir, target)
    return target


def _skops_boom(path: Path, marker: Path) -> None:
    import skops.io as sio

    boom = Boom()
    boom.__dict__["marker"] = str(marker)
    sio.dump({"pipeline": boom, "vocabularies": {}}, path)


def test_crafted_skops_file_is_refused_and_runs_nothing(hostile_dir, tmp_path):
    marker = tmp_path / MARKER
    _skops_boom(hostile_dir / MODEL_FILE, marker)
    _seal(hostile_dir, MODEL_FILE, 2)
    with pytest.raises(ModelError, match=rf"refusing to load .*{MODEL_FILE}.*Boom.*(?i:retrain)"):
        load_model(hostile_dir)
    assert not marker.exists()
    # the file is really hostile: skops told to trust its type would run it
    import skops.io as sio

    sio.load(hostile_dir / MODEL_FILE, trusted=[f"{__name__}.Boom"])
    assert marker.exists()


def test_crafted_schema_naming_os_system_is_refused(hostile_dir, tmp_path):
    schema = {
        "__class__": "system", "__module__": "posix", "__loader__": "FunctionNode", "__id__": 1,
        "content": {"module_path": "posix", "function": "system"}, "protocol": 2, "_skops_version": "0.16.0",
    }
    with zipfile.ZipFile(hostile_dir / MODEL_FILE, "w") as archive:
        archive.writestr("schema.json", json.dumps(schema))
    _seal(hostile_dir, MODEL_FILE, 2)
    with pytest.raises(ModelError, match="refusing to load.*posix.system"):
        load_model(hostile_dir)


def test_pickle_passed_off_as_a_model_runs_nothing(hostile_dir, tmp_path):
    marker = tmp_path / MARKER
    boom = Boom()
    boom.marker = str(marker)
    (hostile_dir / MODEL_FILE).write_bytes(pickle.dumps(boom))
    _seal(hostile_dir, MODEL_FILE, 2)
    with pytest.raises(ModelError, match="not a Rejection Radar model file"):
        load_model(hostile_dir)
    assert not marker.exists()


def test_old_pickled_model_is_refused_unopened(hostile_dir, tmp_path):
    marker = tmp_path / MARKER
    boom = Boom()
    boom.marker = str(marker)
    (hostile_dir / MODEL_FILE).unlink()
    (hostile_dir / LEGACY_MODEL_FILE).write_bytes(pickle.dumps(boom))
    _seal(hostile_dir, LEGACY_MODEL_FILE, 1)
    with pytest.raises(ModelError, match="old pickled model.*could run code.*retrain.*only if you trust"):
        load_model(hostile_dir)
    assert not marker.exists()


@pytest.mark.parametrize("payload", [[1, 2, 3], {"pipeline": "x", "vocabularies": {}}, {"other": 1}])
def test_model_file_that_is_not_a_pipeline_gets_a_clear_error(hostile_dir, payload):
    import skops.io as sio

    sio.dump(payload, hostile_dir / MODEL_FILE)
    _seal(hostile_dir, MODEL_FILE, 2)
    with pytest.raises(ModelError, match=f"{MODEL_FILE} loads but is not a Rejection Radar (model|pipeline).*retrain"):
        load_model(hostile_dir)


def test_model_with_a_missing_vocabulary_gets_a_clear_error(hostile_dir):
    import skops.io as sio

    from classifier.persistence import _skops_io

    saved = _skops_io().load(hostile_dir / MODEL_FILE, trusted=sorted(TRUSTED_TYPES))
    saved["vocabularies"].popitem()
    sio.dump(saved, hostile_dir / MODEL_FILE)
    _seal(hostile_dir, MODEL_FILE, 2)
    with pytest.raises(ModelError, match="vocabulary of step .* missing"):
        load_model(hostile_dir)


def test_model_with_malformed_naive_bayes_counts_gets_a_clear_error(hostile_dir):
    import numpy as np
    import skops.io as sio

    from classifier.persistence import _skops_io
    from classifier.pipeline import bayes_part

    saved = _skops_io().load(hostile_dir / MODEL_FILE, trusted=sorted(TRUSTED_TYPES))
    bayes, _ = bayes_part(saved["pipeline"][-1])
    bayes.feature_all_ = np.ones(3)  # does not fit the counts: the derived log probabilities would be garbage
    sio.dump(saved, hostile_dir / MODEL_FILE)
    _seal(hostile_dir, MODEL_FILE, 2)
    with pytest.raises(ModelError, match="naive Bayes counts are missing or malformed"):
        load_model(hostile_dir)


def test_cli_refuses_a_hostile_model_in_one_line(runner, hostile_dir, tmp_path):
    marker = tmp_path / MARKER
    _skops_boom(hostile_dir / MODEL_FILE, marker)
    _seal(hostile_dir, MODEL_FILE, 2)
    before = default_model_dir()
    for args in (["classify", "--text", "kein Budget", "--model", str(hostile_dir)], ["promote", str(hostile_dir), "--name", "evil"]):
        _clean_error(runner.invoke(cli, args), 1, "refusing to load", str(hostile_dir / MODEL_FILE))
    assert not marker.exists()
    assert default_model_dir() == before
    assert not (user_models_dir() / "evil").exists()


def test_saved_model_names_only_trusted_types(seed_model_dir):
    from classifier.persistence import _schema_types

    with zipfile.ZipFile(seed_model_dir / MODEL_FILE) as archive:
        names = archive.namelist()
        types = _schema_types(json.loads(archive.read("schema.json")), set())
    assert types <= TRUSTED_TYPES
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)


def test_logistic_regression_model_round_trips(tmp_path, seed_frame):
    from classifier import save_model
    from training.train import train_model

    model = train_model(seed_frame["text"], seed_frame["label"], seed=0, params={"model": "logreg"})
    again = load_model(save_model(model, tmp_path / "logreg"))
    notes = ["kein Budget", "already a customer", "Chef entscheidet"]
    assert again.classify(notes).equals(model.classify(notes))


def test_bundled_model_reproduces_its_card_on_the_test_set():
    """Re-saved in the new format without retraining: predictions match the card's held-out figures exactly."""
    from training.corpus import TEST_FILE, load_corpus
    from training.evaluate import scores

    model = load_model(bundled_model_dir())
    card = model.card["heldout"]
    test = load_corpus(TEST_FILE)
    assert len(test) == card["n"]
    predicted = model.classify(test["text"].tolist())
    result = scores(test["label"].tolist(), predicted["reason"], model.taxonomy.labels, model.taxonomy.weak_labels)
    assert result["confusion"] == card["confusion"]
    assert round(result["macro_f1"], 4) == card["macro_f1"]
    assert model.card["format_version"] == 2 and model.card["model_file"] == MODEL_FILE
    assert not (bundled_model_dir() / LEGACY_MODEL_FILE).exists()


def test_pyproject_ships_the_bundled_model_files():
    text = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert f'"models/default/{MODEL_FILE}", "models/default/{CARD_FILE}"' in text
    assert '"skops' in text


# --- promote: names are plain names, nothing outside the models folder is removed ----------------


@pytest.mark.parametrize("name", ["../../victim", "..", ".", "", "a/b", "a\\b", "/tmp/victim", ".hidden", "bundled", "x" * 101, "a b"])
def test_promote_refuses_a_name_that_is_not_a_plain_name(runner, seed_model_dir, name):
    home = Path(os.environ["REJECTION_RADAR_HOME"])
    victim = home.parent / "victim"
    victim.mkdir(exist_ok=True)
    (victim / "keep.txt").write_text("precious")
    installed = promote_model(seed_model_dir, "acme")
    _clean_error(runner.invoke(cli, ["promote", str(seed_model_dir), "--name", name]), 1, "is not a model name", "--name acme")
    assert (victim / "keep.txt").read_text() == "precious"
    assert (installed / MODEL_FILE).exists() and (installed / CARD_FILE).exists()
    assert default_model_dir() == installed


def test_promote_from_a_badly_named_folder_asks_for_a_name(runner, seed_model_dir, tmp_path):
    odd = tmp_path / "my model"
    shutil.copytree(seed_model_dir, odd)
    _clean_error(runner.invoke(cli, ["promote", str(odd)]), 1, "'my model' is not a model name", "--name")


def test_promote_over_a_symlink_never_touches_its_target(seed_model_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("precious")
    user_models_dir().mkdir(parents=True)
    (user_models_dir() / "acme").symlink_to(outside, target_is_directory=True)
    target = promote_model(seed_model_dir, "acme")
    assert (outside / "keep.txt").read_text() == "precious"
    assert not target.is_symlink() and (target / MODEL_FILE).exists()


def test_promote_copies_only_the_model_files(seed_model_dir, tmp_path):
    source = tmp_path / "acme"
    shutil.copytree(seed_model_dir, source)
    (source / "notes.txt").write_text("not part of the model")
    (source / "link").symlink_to(tmp_path)
    target = promote_model(source)
    assert sorted(p.name for p in target.iterdir()) == sorted([CARD_FILE, MODEL_FILE])


def test_a_tampered_default_pointer_is_a_clear_error(runner, tmp_path):
    home = Path(os.environ["REJECTION_RADAR_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "default").write_text("../../elsewhere\n")
    _clean_error(runner.invoke(cli, ["info"]), 1, "not a model name", str(home / "default"))


# --- --model NAME is the installed model, a folder must be written as a path ----------------------


@pytest.fixture
def shadowing_folder(tmp_path, seed_model_dir, monkeypatch):
    """Cwd holds a folder ./acme with a (different) model in it."""
    work = tmp_path / "work"
    shutil.copytree(seed_model_dir, work / "acme")
    card = json.loads((work / "acme" / CARD_FILE).read_text())
    card["threshold"] = 0.123
    (work / "acme" / CARD_FILE).write_text(json.dumps(card))
    monkeypatch.chdir(work)
    return work / "acme"


def test_installed_model_wins_over_a_folder_of_the_same_name(runner, seed_model_dir, shadowing_folder):
    installed = promote_model(seed_model_dir, "acme")
    result = runner.invoke(cli, ["info", "--model", "acme"])
    assert result.exit_code == 0, result.output
    assert f"model:     {installed}" in result.output
    assert load_model("acme").card["path"] == str(installed)
    for path in ("./acme", str(shadowing_folder)):
        assert load_model(path).threshold == 0.123
    assert load_model(Path("acme")).threshold == 0.123  # a Path from library code is a path


def test_plain_name_never_loads_a_folder_in_the_current_directory(runner, shadowing_folder):
    _clean_error(runner.invoke(cli, ["info", "--model", "acme"]), 1, "no installed model named 'acme'", "write ./acme")


def test_model_variable_follows_the_same_rule(runner, seed_model_dir, shadowing_folder, monkeypatch):
    installed = promote_model(seed_model_dir, "acme")
    monkeypatch.setenv("REJECTION_RADAR_MODEL", "acme")
    assert default_model_dir() == installed
    monkeypatch.setenv("REJECTION_RADAR_MODEL", "./acme")
    assert load_model().threshold == 0.123


def test_bundled_is_always_the_bundled_model(runner):
    assert load_model("bundled").card["path"] == str(bundled_model_dir())
