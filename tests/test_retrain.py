"""Retraining on a company's shorthand: better on its notes, not worse on the independent test set."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import cli
from company import company_notes


@pytest.fixture(scope="module")
def company_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("company")
    train, test = folder / "my_labels.csv", folder / "my_test.csv"
    company_notes(28, seed=1).to_csv(train, index=False)  # ~300 labelled notes
    company_notes(15, seed=2).to_csv(test, index=False)
    return train, test


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def macro_f1(path, *model):
    return json.loads(invoke("evaluate", path, "--json", *model).stdout)["macro_f1"]


@pytest.mark.slow
def test_retrain_with_default_corpus_learns_the_shorthand_and_promote_uses_it(company_files, tmp_path):
    train, test = company_files
    before_company = macro_f1(test)
    out = tmp_path / "acme"
    result = invoke("train", train, "--with-default-corpus", "--out", out)
    assert result.exit_code == 0
    assert "your held-out notes" in result.stdout and "independent test set" in result.stdout
    card = json.loads((out / "card.json").read_text())
    independent = card["comparison"]["independent"]
    assert independent["after"]["macro_f1"] >= independent["before"]["macro_f1"] - 0.02
    after_company = macro_f1(test, "--model", out)
    assert after_company >= before_company + 0.3, (before_company, after_company)

    assert invoke("promote", out).exit_code == 0
    assert invoke("classify", "--text", "NDM, hängt an der Zentrale").stdout.startswith("not_decision_maker")
    assert macro_f1(test) == pytest.approx(after_company)
    listing = invoke("models").stdout
    assert "* acme" in listing and "  bundled" in listing


def test_promote_refuses_a_worse_model_unless_forced(tmp_path, seed_model_dir):
    import shutil

    target = tmp_path / "worse"
    shutil.copytree(seed_model_dir, target)
    card = json.loads((target / "card.json").read_text())
    card["comparison"] = {"company": {"n": 50, "before": {"macro_f1": 0.8}, "after": {"macro_f1": 0.6}}}
    (target / "card.json").write_text(json.dumps(card))
    result = CliRunner().invoke(cli, ["promote", str(target)])
    assert result.exit_code == 1 and "worse on your held-out notes" in result.stderr
    assert "* bundled" in invoke("models").stdout
    assert invoke("promote", target, "--force").exit_code == 0
    assert "* worse" in invoke("models").stdout


def test_model_option_takes_an_installed_name(tmp_path, seed_model_dir):
    assert invoke("promote", seed_model_dir, "--name", "seedy").exit_code == 0
    assert invoke("info", "--model", "seedy").exit_code == 0
    assert "models/default" in invoke("info", "--model", "bundled").stdout


def _as_export(frame, path):
    export = frame.drop(columns="label").rename(columns={"text": "Description"})
    export.insert(0, "Lead ID", range(1, len(export) + 1))
    export["Lead Owner"] = "Ann"
    export["Close Date"] = "2026-10-01"
    export.to_csv(path, index=False)
    return path


def test_report_hints_at_drift_on_unfamiliar_shorthand(tmp_path):
    from training.corpus import load_corpus

    shorthand = _as_export(company_notes(15, seed=3), tmp_path / "acme.csv")
    familiar = _as_export(load_corpus().sample(165, random_state=0)[["text", "label"]], tmp_path / "familiar.csv")
    drift = json.loads(invoke("report", shorthand, "--format", "json").stdout)["overview"]["drift"]
    assert drift["drifting"] and drift["unseen_word_share"] > 2 * drift["expected_unseen_word_share"]
    assert "review-queue" in invoke("report", shorthand).stdout
    assert not json.loads(invoke("report", familiar, "--format", "json").stdout)["overview"]["drift"]["drifting"]


def test_own_taxonomy_flows_through_train_classify_and_challenge(tmp_path):
    taxonomy = tmp_path / "picklist.csv"
    taxonomy.write_text(
        "label,weak,follow_up,question_de,question_en\n"
        "Kein Entscheider,ja,nein,Wer entscheidet sonst noch mit?,Who else decides?\n"
        "Später,ja,ja,Wann genau rufen wir wieder an?,When exactly do we call again?\n"
        "Kein Bedarf,nein,nein,,\n",
        encoding="utf-8",
    )
    mapping = {"not_decision_maker": "Kein Entscheider", "bad_timing": "Später", "no_need": "Kein Bedarf"}
    notes = company_notes(20, seed=4)
    notes = notes[notes["label"].isin(mapping)].assign(label=lambda f: f["label"].map(mapping))
    data = tmp_path / "mine.csv"
    notes.to_csv(data, index=False)
    out = tmp_path / "own"
    assert invoke("train", data, "--only-my-data", "--taxonomy", taxonomy, "--out", out).exit_code == 0
    line = invoke("classify", "--model", out, "--text", "hängt an der Zentrale").stdout
    assert line.startswith("Kein Entscheider\t") and "Wer entscheidet" in line
    export = _as_export(notes.assign(text=notes["text"].where(notes["label"] != "Später", "WV später, Q3 wieder melden")), tmp_path / "e.csv")
    leads = pd.read_csv(pd.io.common.StringIO(invoke("challenge", export, "--model", out).stdout), dtype=str, keep_default_na=False)
    assert set(leads["reason"]) == {"Kein Entscheider", "Später"}
    assert (leads.loc[leads["reason"] == "Später", "follow_up"] == "2027-07-01").all()  # Q3 after an October rejection
