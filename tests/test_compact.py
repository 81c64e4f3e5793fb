"""The compact scorer: one note classified without scikit-learn, same answer as the pipeline.

It is derived from the model file on the first light load and kept in the user's cache folder;
a cache file that is damaged, hostile or from another model is never used.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from classifier import ModelError, load_model
from classifier.compact import CompactScorer
from classifier.persistence import CARD_FILE, scorer_cache_path
from training.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def notes(seed_frame):
    return seed_frame["text"].tolist() + load_corpus("independent_test.csv")["text"].tolist()[:1500] + [
        "", "n/a", "14.03. KE - kein Budget bis Q3 (#482913)", "zzzz qqqq", "cue_about_money", "kein kein kein Budget",
    ]


def _cache(directory: Path) -> Path:
    return scorer_cache_path(json.loads((directory / CARD_FILE).read_text()))


def test_light_model_gives_the_pipelines_probabilities_and_rows(seed_model_dir, seed_model, notes):
    first = load_model(seed_model_dir, light=True)  # derives the scorer from the model file and keeps it
    assert first.pipeline is not None and _cache(seed_model_dir).is_file()
    light = load_model(seed_model_dir, light=True)
    assert light.pipeline is None and light.scorer is not None and light.labels == seed_model.labels
    np.testing.assert_allclose(light.predict_proba(notes), seed_model.predict_proba(notes), rtol=0, atol=1e-9)
    for note in notes[:40] + notes[-6:]:
        assert light.classify_one(note) == seed_model.classify_one(note)


def test_bundled_model_answers_the_same_from_its_scorer():
    full = load_model()
    load_model(light=True)
    light = load_model(light=True)
    assert light.scorer is not None
    sample = load_corpus("independent_test.csv")["text"].tolist()[:300]
    np.testing.assert_allclose(light.predict_proba(sample), full.predict_proba(sample), rtol=0, atol=1e-9)


def test_classify_text_does_not_import_scikit_learn_once_the_scorer_is_cached(tmp_path):
    code = (
        "import sys; sys.stdout = open(1, 'w', closefd=False)  # not sys.__stdout__: the CLI returns instead of os._exit\n"
        "from cli import cli\n"
        "try:\n    cli(['classify', '--text', 'kein Budget bis Q3'])\n"
        "except SystemExit:\n    pass\n"
        "print('SKLEARN' if 'sklearn' in sys.modules else 'NO-SKLEARN', flush=True)"
    )
    env = {**os.environ, "REJECTION_RADAR_HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env) for _ in range(2)]
    assert all(r.returncode == 0 and "no_budget" in r.stdout for r in runs), runs[0].stderr + runs[1].stderr
    assert runs[0].stdout.strip().endswith("SKLEARN") and runs[1].stdout.strip().endswith("NO-SKLEARN")


def _spoil(path: Path, arrays: dict) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


@pytest.fixture
def cached(seed_model_dir):
    load_model(seed_model_dir, light=True)
    path = _cache(seed_model_dir)
    assert path.is_file()
    return path


def _header_asking_for_terabytes(path: Path) -> None:
    import io
    import zipfile

    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("huge.npy", header.getvalue() + b"\0" * 64)


def _pickled_array(path: Path) -> None:
    arrays = dict(np.load(path))
    arrays["idf0"] = np.array([object()] * len(arrays["idf0"]), dtype=object)  # needs pickle to load
    _spoil(path, arrays)


def _arrays_that_do_not_fit(path: Path) -> None:
    arrays = dict(np.load(path))
    arrays["a"] = arrays["a"][:-1]
    _spoil(path, arrays)


def _another_models_scorer(path: Path) -> None:
    arrays = dict(np.load(path))
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta["source"] = "0" * 64
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    arrays["intercept"] = arrays["intercept"] + 5
    _spoil(path, arrays)


def _bayes_share_out_of_range(path: Path) -> None:
    arrays = dict(np.load(path))
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta["bayes_weight"] = 1.5  # would turn the average into an extrapolation
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    _spoil(path, arrays)


@pytest.mark.parametrize("spoil", [
    lambda p: p.write_bytes(b""), lambda p: p.write_bytes(b"PK\x03\x04garbage"), _header_asking_for_terabytes,
    _pickled_array, _arrays_that_do_not_fit, _another_models_scorer, _bayes_share_out_of_range,
], ids=["empty", "not-a-zip", "terabyte-header", "pickled-array", "misfit-arrays", "other-model", "bayes-share"])
def test_a_spoiled_cache_file_is_never_used_and_is_derived_again(cached, seed_model_dir, seed_model, spoil):
    spoil(cached)
    model = load_model(seed_model_dir, light=True)  # reads the model file, answers right, writes a good cache
    assert model.pipeline is not None and model.classify_one("kein Budget") == seed_model.classify_one("kein Budget")
    again = load_model(seed_model_dir, light=True)
    assert again.pipeline is None and again.classify_one("kein Budget") == seed_model.classify_one("kein Budget")


def test_loading_refuses_oversized_and_pickled_scorers_before_reading_data(cached, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(cached.read_bytes())
    _header_asking_for_terabytes(bad)
    with pytest.raises(ModelError, match="more than 512 MB"):
        CompactScorer.load(bad)
    bad.write_bytes(cached.read_bytes())
    _pickled_array(bad)
    with pytest.raises(ModelError, match="holds Python objects"):
        CompactScorer.load(bad)


def test_a_read_only_cache_folder_still_answers(seed_model_dir, seed_model, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").write_text("a file where the cache folder would go")
    monkeypatch.setenv("REJECTION_RADAR_HOME", str(home))
    for _ in range(2):
        model = load_model(seed_model_dir, light=True)
        assert model.classify_one("kein Budget") == seed_model.classify_one("kein Budget")


def test_a_model_without_the_naive_bayes_committee_answers_the_same_from_its_scorer(tmp_path, seed_frame, notes):
    """Models trained before 2026-12-03 are a calibrated SVM alone; their scorer has no naive Bayes columns."""
    from classifier import save_model
    from training.train import train_model

    model = train_model(seed_frame["text"], seed_frame["label"], seed=0, params={"bayes_weight": 0.0}, cv=2)
    save_model(model, tmp_path / "svm")
    load_model(tmp_path / "svm", light=True)
    light = load_model(tmp_path / "svm", light=True)
    assert light.pipeline is None and light.scorer.bayes_weight == 0
    np.testing.assert_allclose(light.predict_proba(notes), model.predict_proba(notes), rtol=0, atol=1e-9)


def test_the_committee_lowers_confidence_where_its_members_disagree(seed_model, notes):
    from classifier.pipeline import bayes_part, linear_part

    features = seed_model.pipeline[:-1].transform(notes)
    clf = seed_model.pipeline[-1]
    bayes, share = bayes_part(clf)
    svm, nb = linear_part(clf).predict_proba(features), bayes.predict_proba(features)
    assert share == pytest.approx(0.35)
    np.testing.assert_allclose(clf.predict_proba(features), (1 - share) * svm + share * nb, atol=1e-12)
    disagree = svm.argmax(axis=1) != nb.argmax(axis=1)
    assert disagree.any() and (~disagree).any()
    confidence = clf.predict_proba(features).max(axis=1)
    assert confidence[disagree].mean() < confidence[~disagree].mean()


def test_a_model_with_no_compact_form_loads_its_pipeline(tmp_path, seed_frame):
    from classifier import save_model
    from training.train import train_model

    model = train_model(seed_frame["text"], seed_frame["label"], seed=0, params={"model": "logreg"}, cv=2)
    save_model(model, tmp_path / "logreg")
    for _ in range(2):
        light = load_model(tmp_path / "logreg", light=True)
        assert light.pipeline is not None and light.classify_one("kein Budget") == model.classify_one("kein Budget")
    assert not _cache(tmp_path / "logreg").exists()


def test_the_cache_keeps_only_the_most_recent_scorers(seed_model_dir, tmp_path, monkeypatch):
    from classifier.persistence import CACHED_SCORERS

    monkeypatch.setenv("REJECTION_RADAR_HOME", str(tmp_path))
    folder = tmp_path / "cache"
    folder.mkdir()
    for i in range(CACHED_SCORERS + 2):  # scorers of earlier models, oldest first
        old = folder / f"scorer-{i:032d}.npz"
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    (folder / "notes.txt").write_text("not a scorer")
    load_model(seed_model_dir, light=True)
    kept = sorted(p.name for p in folder.glob("scorer-*.npz"))
    assert _cache(seed_model_dir).name in kept and len(kept) == CACHED_SCORERS
    assert f"scorer-{CACHED_SCORERS + 1:032d}.npz" in kept and f"scorer-{0:032d}.npz" not in kept
    assert (folder / "notes.txt").exists()


def test_an_export_classified_by_workers_from_the_scorer_equals_the_pipelines(seed_model_dir, seed_model, notes, tmp_path):
    import pandas as pd

    from classifier.classify import classify_export

    load_model(seed_model_dir, light=True)  # derives the scorer
    light = load_model(seed_model_dir, light=True)
    assert light.pipeline is None
    source = tmp_path / "export.csv"
    pd.DataFrame({"Lead ID": range(len(notes) * 2), "Rejection reason": notes + notes[::-1]}).to_csv(source, index=False)
    classify_export(source, light, tmp_path / "light.csv", jobs=2)
    classify_export(source, seed_model, tmp_path / "full.csv", jobs=1)
    assert (tmp_path / "light.csv").read_bytes() == (tmp_path / "full.csv").read_bytes()
