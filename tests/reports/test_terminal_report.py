"""What a reader sees of `report` on a terminal and in German, and what it says on stderr."""

import os
import pty
import re
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from cli import cli
from classifier.reports.numbers import percent

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _classified(path, owners, dated=True):
    """A classified file (report reuses its prediction columns): three owners, 40 rows each."""
    rows = []
    for i in range(120):
        reason = ["no_budget", "too_early", "existing_solution"][i % 3]
        row = {"Lead ID": str(i), "Lead Owner": owners[i % len(owners)], "Lead Status": "Unqualified",
               "Description": "kein Budget" if reason == "no_budget" else "zu früh",
               "reason": reason, "confidence": 0.9, "reason_2": "other", "weak": reason != "existing_solution",
               "needs_review": False, "challenge": "", "note_lang": "de"}
        if dated:
            row["Close Date"] = f"2026-{1 + i % 9:02d}-15"
        rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args] + ["--text-column", "Description"], catch_exceptions=False)


def test_german_report_writes_percent_one_way_in_tables_and_sentences(tmp_path, seed_model_dir):
    export = _classified(tmp_path / "c.csv", ["Anna", "Ben", "Cem"])
    for fmt in ("table", "markdown", "html"):
        text = _run("report", export, "--lang", "de", "--format", fmt, "--model", seed_model_dir).stdout
        assert re.search(r"\b67 %", text), fmt
        text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)  # CSS widths are not numbers
        assert not re.search(r"\d%", text), (fmt, re.findall(r".{20}\d%", text)[:3])
    english = _run("report", export, "--model", seed_model_dir).stdout
    assert "67%" in english and "67 %" not in english
    assert percent(0.5, "de") == "50 %" and percent(0.5) == "50%" and percent(None) == ""


def test_terminal_table_lines_up_wide_characters(tmp_path, seed_model_dir):
    export = _classified(tmp_path / "c.csv", ["山田太郎", "Jörg Weiß", "Ann"])
    text = _run("report", export, "--model", seed_model_dir).stdout
    owners = text.split("Owners against the rest of the team\n")[1].split("\n\n")[0].splitlines()
    ends = {cell_len(line[: line.index("%") + 1]) for line in owners[1:]}
    assert len(owners) == 4 and len(ends) == 1, owners  # the weak-share column ends in one place


def _on_a_terminal(args, env):
    """stdout of the real command run on a pseudo-terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "cli", *map(str, args)], stdout=follower, stderr=subprocess.DEVNULL,
                            env=env, cwd=os.getcwd())
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path, seed_model_dir):
    export = _classified(tmp_path / "c.csv", ["Anna", "Ben", "Cem"])
    args = ["report", export, "--model", seed_model_dir, "--text-column", "Description"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert ANSI.search(_on_a_terminal(args, env))
    assert not ANSI.search(_on_a_terminal(args, {**env, "NO_COLOR": "1"}))
    piped = subprocess.run([sys.executable, "-m", "cli", *map(str, args)], capture_output=True, text=True, env=env)
    assert piped.returncode == 0 and not ANSI.search(piped.stdout)


@pytest.mark.parametrize("command", ["report", "challenge"])
def test_report_and_challenge_name_model_and_columns_on_stderr(tmp_path, seed_model_dir, command):
    export = _classified(tmp_path / "c.csv", ["Anna", "Ben", "Cem"])
    result = _run(command, export, "--model", seed_model_dir)
    assert f"model: {seed_model_dir}" in result.stderr
    assert "note <- `Description`" in result.stderr and "owner <- `Lead Owner`" in result.stderr


@pytest.mark.parametrize("lang, words", [("en", "no date column"), ("de", "keine Datumsspalte")])
def test_report_without_dates_says_why_the_period_sections_are_empty(tmp_path, seed_model_dir, lang, words):
    export = _classified(tmp_path / "c.csv", ["Anna", "Ben", "Cem"], dated=False)
    for fmt in ("table", "markdown", "html"):
        text = _run("report", export, "--lang", lang, "--format", fmt, "--model", seed_model_dir).stdout
        assert words in text and "--date-column" in text, fmt
        assert ("no dates" if lang == "en" else "keine Daten") in text
