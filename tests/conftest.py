"""Shared fixtures: a small labelled corpus and a model trained on it (once per session)."""

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"


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
