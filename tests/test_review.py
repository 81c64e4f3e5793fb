import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import normalize

from classifier.normalize import is_empty_note
from classifier.taxonomy import Reason, Taxonomy
from training.review import COLUMNS, MAX_SIMILARITY, diverse_order, review_queue
from training.train import train_model

CORPUS = Path(__file__).parent.parent / "training" / "data" / "corpus.csv"
NAMES = ["Maier", "Schulz", "Kessler", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf"]
NEAR_COPIES = [f"mal schauen, evtl. später, vllt Budget, ggf. Chef, ggf. anderer Anbieter (lt. {who} {name})" for who in ("Hr.", "Fr.", "AP") for name in NAMES]
EMPTY = ["", "-", "n/a", None]


@pytest.fixture(scope="module")
def corpus():
    """Rep notes of round 1 (fixed: later corpus rounds must not change what these tests see), shuffled."""
    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    corpus = corpus[corpus["source"].str.match(r"train_0[1-6]")]
    return corpus.sample(frac=1, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def model(corpus):
    train = corpus.iloc[:1500]
    return train_model(train["text"], train["label"], cv=0)


@pytest.fixture(scope="module")
def pool(corpus):
    """Unlabelled notes: unseen corpus notes, a family of near-copies, empty notes and exact duplicates."""
    notes = corpus["text"].iloc[1500:3000].tolist() + NEAR_COPIES + EMPTY
    return notes + notes[:200]


@pytest.fixture(scope="module")
def queue(model, pool):
    return review_queue(model, pool, n=100)


def features(model, notes):
    return normalize(model.pipeline[1].transform(model.pipeline[0].transform(notes)))


def test_review_queue_is_less_confident_than_a_random_sample(model, pool, queue):
    usable = [n for n in dict.fromkeys(pool) if not is_empty_note(n)]
    sample = np.random.default_rng(0).choice(len(usable), len(queue), replace=False)
    random_confidence = model.predict_proba([usable[i] for i in sample]).max(axis=1).mean()
    assert queue["p_1"].mean() < random_confidence - 0.25  # measured 0.41 against 0.78


def test_review_queue_picks_are_diverse(model, pool, queue):
    picked = [pool[i] for i in queue.index]
    similarity = (features(model, picked) @ features(model, picked).T).toarray()
    np.fill_diagonal(similarity, 0)
    assert similarity.max() < MAX_SIMILARITY
    assert sum(note in NEAR_COPIES for note in picked) <= 1
    uncapped = review_queue(model, pool, n=100, max_similarity=1.01)
    assert sum(pool[i] in NEAR_COPIES for i in uncapped.index) >= 10  # they are uncertain: only the cap keeps them out


def test_review_queue_skips_empty_notes_and_duplicates(pool, queue):
    picked = [pool[i] for i in queue.index]
    assert not any(is_empty_note(note) for note in picked)
    assert len(set(picked)) == len(picked)
    assert all(pool.index(note) == i for note, i in zip(picked, queue.index))  # first occurrence


def test_review_queue_columns(queue):
    assert list(queue.columns) == COLUMNS and len(queue) == 100
    assert (queue["label"] == queue["reason_1"]).all()
    assert ((queue["p_1"] >= queue["p_2"]) & (queue["p_2"] >= queue["p_3"])).all()
    assert queue["uncertainty"].is_monotonic_decreasing


def test_review_queue_is_deterministic(model, pool, queue):
    pd.testing.assert_frame_equal(review_queue(model, pool, n=100, seed=0), queue)


def test_review_queue_small_inputs(model):
    notes = ["kein Budget", "kein Budget", "", "voicemail", "call back in Q3"]
    assert sorted(review_queue(model, notes, n=10).index) == [0, 3, 4]
    empty = review_queue(model, ["", "n/a"], n=10)
    assert empty.empty and list(empty.columns) == COLUMNS


def test_review_queue_with_two_labels(seed_frame):
    frame = seed_frame[seed_frame["label"].isin(["no_budget", "no_need"])]
    taxonomy = Taxonomy("mine", (Reason("no_budget", True), Reason("no_need", False)))
    model = train_model(frame["text"], frame["label"], taxonomy=taxonomy, cv=0)
    queue = review_queue(model, ["kein Budget", "kein Bedarf", "vielleicht"], n=3)
    assert (queue["reason_3"] == "").all() and (queue["p_3"] == 0).all()


def test_diverse_order_falls_back_to_the_least_similar():
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.8, 0.6]])
    picks = diverse_order(np.array([0.9, 0.8, 0.7]), lambda rows: vectors[rows], 3, max_similarity=0.5)
    assert picks.tolist() == [0, 2, 1]


def test_diverse_order_takes_one_note_the_model_knows_nothing_of():
    vectors = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0]])
    assert diverse_order(np.array([0.9, 0.8, 0.7]), lambda rows: vectors[rows], 2).tolist() == [0, 2]


@pytest.mark.slow
def test_review_queue_handles_100k_notes(model, corpus):
    rng = np.random.default_rng(0)
    texts = corpus["text"].tolist()
    notes = [f"{texts[i]} / {texts[j]}" for i, j in rng.integers(len(texts), size=(100_000, 2))]  # nearly all distinct
    start = time.perf_counter()
    assert len(review_queue(model, notes, n=300)) == 300
    assert time.perf_counter() - start < 60
