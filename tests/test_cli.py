"""The command line, driven through its real entry point."""

import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from classifier.persistence import MODEL_FILE
from cli import cli

EXAMPLE = Path(__file__).parent.parent / "examples" / "crm_export.csv"
SEED = Path(__file__).parent / "data" / "seed_notes.csv"
COMMANDS = sorted(cli.commands)


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, input=None):
    return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, command, "-h")
    assert result.exit_code == 0
    assert "Example" in result.output and "rejection-radar" in result.output


def test_version(runner):
    assert run(runner, "--version").exit_code == 0


@pytest.mark.parametrize(
    "note, reason",
    [
        ("Diese Person war nicht der Entscheidungsträger", "not_decision_maker"),
        ("Sie wollten sich nur eine Übersicht im Markt verschaffen und waren noch in einer sehr frühen Phase im Beschaffungsprozess", "too_early"),
    ],
)
def test_classify_text_prints_one_line(runner, note, reason):
    result = run(runner, "classify", "--text", note)
    assert result.exit_code == 0
    line = result.stdout.strip()
    assert "\n" not in line
    got, confidence, weak, question = line.split("\t")
    assert got == reason and weak == "weak" and 0 < float(confidence) <= 1 and question.endswith(".")


def test_classify_file_keeps_every_row_and_column(runner, tmp_path):
    out = tmp_path / "classified.csv"
    result = run(runner, "classify", EXAMPLE, "-o", out)
    assert result.exit_code == 0
    assert "note <- `Unqualified Reason`" in result.stderr
    original = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    classified = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(classified) == len(original)
    expected = original.apply(lambda s: s.where(~s.str.match(r"^[=+\-@\t\r]"), "'" + s))  # formula guard
    pd.testing.assert_frame_equal(classified[list(original.columns)], expected)
    assert (expected != original).sum().sum() == 1  # only the note "-" carries the guard
    for column in ("reason", "confidence", "reason_2", "weak", "needs_review", "challenge"):
        assert column in classified


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_classify_counts_the_notes_that_carry_no_reason(runner, tmp_path, jobs):
    notes = ["kein Budget", "n/a", "-", "kein Budget", "", "n/a", "no need", "<p>&nbsp;</p>"] * 1500  # 12,000 rows, repeats
    pd.DataFrame({"Lead ID": range(len(notes)), "Unqualified Reason": notes}).to_csv(tmp_path / "e.csv", index=False)
    result = run(runner, "classify", tmp_path / "e.csv", "-o", tmp_path / "out.csv", "--jobs", jobs)
    assert result.exit_code == 0
    assert "7500 notes carry no reason at all" in result.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert (out["confidence"] == "1.0").sum() >= 7500 and len(out) == len(notes)


def test_classify_stdin_to_stdout(runner):
    result = run(runner, "classify", "-", input=EXAMPLE.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert len(frame) == 30 and frame["reason"].ne("").all()


@pytest.mark.parametrize("suffix", [".xlsx", ".jsonl", ".parquet"])
def test_classify_output_format_from_extension(runner, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    assert run(runner, "classify", EXAMPLE, "-o", out).exit_code == 0
    reader = {".xlsx": lambda p: pd.read_excel(p, engine="openpyxl"), ".jsonl": lambda p: pd.read_json(p, lines=True), ".parquet": pd.read_parquet}[suffix]
    assert len(reader(out)) == 30


def test_classify_labelled_csv_then_evaluate_json(runner, tmp_path):
    out = tmp_path / "seed_classified.csv"
    assert run(runner, "classify", SEED, "--text-column", "text", "-o", out).exit_code == 0
    classified = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(classified.columns[:3]) == ["text", "label", "lang"] and len(classified) == 110
    result = run(runner, "evaluate", SEED, "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert {"n", "accuracy", "macro_f1", "weak_f1", "per_label", "mean_confidence"} <= set(report)
    confidence = pd.read_csv(out, keep_default_na=False)["confidence"].mean()
    assert abs(report["mean_confidence"] - confidence) < 1e-3  # the classified rows' own confidences
    assert report["n"] == 110 and set(report["per_label"]["no_budget"]) == {"precision", "recall", "f1", "support"}


def test_evaluate_table_shows_confusion_matrix(runner):
    result = run(runner, "evaluate", SEED)
    assert "macro-F1" in result.stdout and "confusion matrix" in result.stdout


def test_train_writes_a_model_that_classify_uses(runner, tmp_path):
    out = tmp_path / "model"
    result = run(runner, "train", SEED, "--out", out, "--seed", "1")
    assert result.exit_code == 0
    assert "5-fold cross-validation" in result.stdout and "not_decision_maker" in result.stdout
    assert (out / "card.json").exists()
    result = run(runner, "classify", "--model", out, "--text", "kein Budget dieses Jahr")
    assert result.stdout.startswith("no_budget")


def test_info_shows_card_and_labels(runner):
    result = run(runner, "info")
    assert result.exit_code == 0
    assert "heldout" in result.stdout and "not_decision_maker" in result.stdout and "weak" in result.stdout
    assert "learner:   calibrated linear SVM (0.65) averaged with complement naive Bayes (0.35)" in result.stdout


def test_model_from_environment_variable(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("REJECTION_RADAR_MODEL", str(tmp_path / "missing"))
    result = runner.invoke(cli, ["classify", "--text", "x"])
    assert result.exit_code == 1 and "no model found" in result.stderr


# Errors: one line on stderr, exit 1 for bad data or a missing model, 2 for bad usage.


def _one_line_error(result, code, fragment):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and fragment in errors[0]
    if code == 1:  # the error is the last line (notices about the input may come before it)
        assert result.stderr.strip().splitlines()[-1] == errors[0]


def test_missing_input_file_is_error_1(runner, tmp_path):
    _one_line_error(runner.invoke(cli, ["classify", str(tmp_path / "none.csv")]), 1, "does not exist")


def test_unknown_option_is_usage_error(runner):
    _one_line_error(runner.invoke(cli, ["classify", "--bogus"]), 2, "No such option")


def test_classify_without_input_is_usage_error(runner):
    _one_line_error(runner.invoke(cli, ["classify"]), 2, "missing EXPORT")


def test_missing_model_is_error_1(runner, tmp_path):
    _one_line_error(runner.invoke(cli, ["classify", "--model", str(tmp_path), "--text", "x"]), 1, "no model found")


def test_corrupt_model_is_error_1(runner, tmp_path, seed_model_dir):
    import shutil

    target = tmp_path / "m"
    shutil.copytree(seed_model_dir, target)
    (target / MODEL_FILE).write_bytes(b"garbage")
    _one_line_error(runner.invoke(cli, ["info", "--model", str(target)]), 1, "checksum")


def test_train_unknown_labels_error(runner, tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("text,label\n" + "kein Budget,money\n" * 12 + "kein Bedarf,no_need\n" * 12, encoding="utf-8")
    _one_line_error(runner.invoke(cli, ["train", str(data), "--out", str(tmp_path / "m")]), 1, "unknown labels 'money'")


def test_train_too_few_examples_lists_labels(runner, tmp_path):
    data = tmp_path / "few.csv"
    data.write_text("text,label\n" + "kein Budget,no_budget\n" * 12 + "kein Bedarf,no_need\n" * 3, encoding="utf-8")
    _one_line_error(runner.invoke(cli, ["train", str(data), "--out", str(tmp_path / "m")]), 1, "no_need (3)")


def test_train_missing_label_column(runner, tmp_path):
    data = tmp_path / "nolabel.csv"
    data.write_text("text,comment\nkein Budget,x\n", encoding="utf-8")
    _one_line_error(runner.invoke(cli, ["train", str(data)]), 1, "--label-column")


def test_not_a_table_is_error_1(runner, tmp_path):
    pdf = tmp_path / "export.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    _one_line_error(runner.invoke(cli, ["classify", str(pdf)]), 1, "PDF")


def test_writing_over_the_input_is_refused(runner, tmp_path):
    copy = tmp_path / "export.csv"
    copy.write_bytes(EXAMPLE.read_bytes())
    _one_line_error(runner.invoke(cli, ["classify", str(copy), "-o", str(copy)]), 1, "input")
    assert copy.read_bytes() == EXAMPLE.read_bytes()


def test_german_excel_and_salesforce_exports_classify_the_same(runner, tmp_path):
    data = Path(__file__).parent / "data"
    reasons = []
    for name in ("case06_german_excel.csv", "case13_salesforce_footer.csv"):
        out = tmp_path / f"{name}.out.csv"
        assert run(runner, "classify", data / name, "-o", out).exit_code == 0
        reasons.append(pd.read_csv(out, dtype=str, keep_default_na=False)["reason"].tolist())
    assert reasons[0] == reasons[1] and len(reasons[0]) > 3


def test_killed_classify_leaves_no_partial_output(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    big = tmp_path / "big.csv"
    rows = "\n".join(f"{i},Ann,\"kein Budget für Projekt {i}, vielleicht {i % 12 + 1}/2027\"" for i in range(300_000))
    big.write_text("Lead ID,Lead Owner,Description\n" + rows + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    cli_path = Path(__file__).parent.parent / "cli.py"
    proc = subprocess.Popen([sys.executable, str(cli_path), "classify", str(big), "-o", str(out)], stderr=subprocess.PIPE)
    writing = False
    for _ in range(1200):  # wait until it is writing (a temporary file appears beside the target)
        writing = any(p.name not in ("big.csv", "out.csv") for p in tmp_path.iterdir())
        if writing or proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert writing, "the run ended or never started writing before it could be killed"
    assert not out.exists()


INSTALLED = Path(sys.executable).parent / "rejection-radar"


@pytest.mark.skipif(not INSTALLED.exists(), reason="rejection-radar is not installed in this environment")
def test_installed_command_works_from_any_directory(tmp_path):
    """After `pip install .`, the command and its bundled model work outside the source tree."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REJECTION_RADAR_MODEL")}
    result = subprocess.run(
        [str(INSTALLED), "classify", "--text", "Diese Person war nicht der Entscheidungsträger"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("not_decision_maker\t")
    info = subprocess.run([str(INSTALLED), "info"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert "heldout" in info.stdout


def test_evaluate_refuses_labels_outside_the_taxonomy(runner, tmp_path):
    data = tmp_path / "labels.csv"
    pd.DataFrame({"text": ["kein Budget", "voicemail", "Chef entscheidet"], "label": ["no_budget", "Budget", "not_decision_maker"]}).to_csv(data, index=False)
    result = runner.invoke(cli, ["evaluate", str(data)])
    assert result.exit_code == 1 and "'Budget'" in result.output and "not in the model's taxonomy" in result.output
    assert "Traceback" not in result.output
