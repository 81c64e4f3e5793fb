"""Shared fixtures: a small labelled corpus and a model trained on it (once per session)."""

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_user_dir(tmp_path_factory, monkeypatch):
    """Tests never see (or change) the developer's promoted models or model variable."""
    monkeypatch.setenv("REJECTION_RADAR_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("REJECTION_RADAR_MODEL", raising=False)


@pytest.fixture(scope="session")
def seed_frame() -> pd.DataFrame:
    return pd.read_csv(DATA / "seed_notes.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def seed_model_dir(tmp_path_factory, seed_frame) -> Path:
    from classifier import save_model
    from training.train import train_model

    model = train_model(seed_frame["text"], seed_frame["label"], seed=0)
    return save_model(model, tmp_path_factory.mktemp("models") / "seed")


@pytest.fixture(scope="session")
def seed_model(seed_model_dir):
    from classifier import load_model

    return load_model(seed_model_dir)


@pytest.fixture(scope="session")
def bundled_model():
    """The model that ships (``models/default``), never a model a developer promoted."""
    from classifier import load_model
    from classifier.persistence import bundled_model_dir

    return load_model(bundled_model_dir())
