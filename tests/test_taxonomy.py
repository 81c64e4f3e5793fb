import json

import pytest

from classifier import InputError, load_taxonomy
from classifier.taxonomy import default_taxonomy

WEAK = {"not_decision_maker", "too_early", "no_budget", "bad_timing", "unreachable", "other"}


def test_default_taxonomy_has_eleven_labels_and_the_weak_ones():
    taxonomy = default_taxonomy()
    assert len(taxonomy.labels) == 11
    assert taxonomy.weak_labels == WEAK


@pytest.mark.parametrize("label", sorted(WEAK))
def test_every_weak_label_has_a_question_in_both_languages(label):
    taxonomy = default_taxonomy()
    de, en = taxonomy.question(label, "de"), taxonomy.question(label, "en")
    assert de and en and de != en and en.endswith(".")


def test_valid_labels_have_no_question():
    assert default_taxonomy().question("existing_solution", "de") == ""


def test_taxonomy_from_csv_file(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("label;weak;question_de\nKein Budget;ja;Wann ist die nächste Budgetrunde?\nWettbewerb;nein;\n", encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.labels == ["Kein Budget", "Wettbewerb"]
    assert taxonomy.weak_labels == {"Kein Budget"}
    assert taxonomy.question("Kein Budget", "en") == "Wann ist die nächste Budgetrunde?"


def test_taxonomy_from_json_file_and_hash_changes_with_content(tmp_path):
    data = default_taxonomy().to_dict()
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_taxonomy(path).sha256 == default_taxonomy().sha256
    data["labels"][0]["weak"] = False
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_taxonomy(path).sha256 != default_taxonomy().sha256


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"labels": []}', "no labels"),
        ('{"labels": [{"label": "a", "weak": "maybe"}]}', "weak flag"),
        ('{"labels": [{"label": "a"}, {"label": "a"}]}', "duplicate labels a"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_taxonomy_files_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_taxonomy(path)
