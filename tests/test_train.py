import numpy as np
import pytest

from classifier import InputError
from classifier.taxonomy import load_taxonomy
from training.evaluate import choose_threshold, flag_limit, scores
from training.train import MAX_FLAGGED, train_model


def test_training_is_deterministic_for_a_seed(seed_frame):
    a = train_model(seed_frame["text"], seed_frame["label"], seed=3, cv=0)
    b = train_model(seed_frame["text"], seed_frame["label"], seed=3, cv=0)
    notes = ["kein Budget", "weiß nicht", "call back in Q3"]
    assert np.array_equal(a.predict_proba(notes), b.predict_proba(notes))


def test_unknown_labels_are_named(seed_frame):
    labels = seed_frame["label"].tolist()
    labels[0] = "no_idea"
    with pytest.raises(InputError, match="unknown labels 'no_idea'.*--taxonomy"):
        train_model(seed_frame["text"], labels)


def test_labels_with_too_few_examples_are_listed(seed_frame):
    frame = seed_frame[~seed_frame["label"].isin(["no_budget", "other"]) | seed_frame.index.isin([20, 100])]
    with pytest.raises(InputError, match=r"fewer than 10 examples: no_budget \(1\), other \(1\)"):
        train_model(frame["text"], frame["label"])


def test_own_taxonomy_labels_train(tmp_path, seed_frame):
    path = tmp_path / "mine.csv"
    path.write_text("label,weak\nGeld,yes\nKein Bedarf,no\n", encoding="utf-8")
    frame = seed_frame[seed_frame["label"].isin(["no_budget", "no_need"])]
    labels = frame["label"].map({"no_budget": "Geld", "no_need": "Kein Bedarf"})
    model = train_model(frame["text"], labels, taxonomy=load_taxonomy(path), cv=2)
    assert model.labels == ["Geld", "Kein Bedarf"]
    assert model.classify(["kein Geld, zu teuer"])["reason"][0] == "Geld"


def test_cross_validation_figures_land_in_the_card(seed_frame):
    model = train_model(seed_frame["text"], seed_frame["label"], cv=5)
    cv = model.card["cv"]
    assert cv["n"] == len(seed_frame) and 0 < cv["macro_f1"] <= 1
    assert set(cv["per_label"]) == set(seed_frame["label"])
    assert 0 < model.threshold <= 1


def test_scores_weak_f1_and_threshold():
    result = scores(["a", "b", "b"], ["a", "b", "a"], ["a", "b"], weak={"a"})
    assert result["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["weak_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["confusion"]["matrix"] == [[1, 0], [1, 1]]
    threshold = choose_threshold(["a", "a", "b"], ["a", "a", "a"], [0.9, 0.8, 0.4], target=0.95)
    assert threshold == pytest.approx(0.8)


def test_flag_limit_flags_no_more_than_the_share():
    confidence = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    threshold = flag_limit(confidence, 0.35)
    assert sum(c < threshold for c in confidence) == 3
    assert flag_limit(confidence, 1.0) == 1.0


def test_review_threshold_flags_at_most_a_third_of_the_hard_notes(seed_frame):
    """A corpus whose hard part is unlike the rest must not push the threshold to flag most of that part."""
    frame = seed_frame.reset_index(drop=True)
    groups = [f"writer{i % 4}" for i in range(len(frame))]
    hard = frame.index % 4 == 0
    labels = frame["label"].to_numpy(dtype=object).copy()
    rng = np.random.default_rng(0)
    labels[hard] = rng.permutation(labels[hard])  # the hard writer's notes: labels the others cannot predict
    model = train_model(frame["text"], labels, groups=groups, review_on=hard, cv=4)
    part = model.card["cross_writer"]["review_on"]
    assert part["n"] == hard.sum()
    assert 1 - part["coverage"] <= MAX_FLAGGED + 1e-9
    unmarked = train_model(frame["text"], labels, groups=groups, cv=4)  # then the limit holds for all notes
    assert 1 - unmarked.card["cross_writer"]["confident"]["coverage"] <= MAX_FLAGGED + 1e-9


def test_review_on_must_mark_each_note(seed_frame):
    with pytest.raises(InputError, match="one flag per note"):
        train_model(seed_frame["text"], seed_frame["label"], review_on=[True], cv=2)
