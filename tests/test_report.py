"""`report` and `challenge` on generated CRM exports, English- and German-shaped."""

import json
import re
import shutil
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import cli
from simulate import simulate_rejections, write_export

PLANTED = {
    ("owner", "Maria Schneider", "not_decision_maker"),
    ("source", "Webinar", "too_early"),
    ("period", "2026-Q3", "weak"),
    ("owner", "Tom Becker", "picklist_mismatch"),
}
WEAK = {"not_decision_maker", "too_early", "no_budget", "bad_timing", "unreachable", "other"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for lang in ("en", "de"):
        for planted in (True, False):
            path = folder / f"{lang}_{'planted' if planted else 'null'}.csv"
            write_export(simulate_rejections(11, planted=planted), path, lang, seed=11)
            paths[lang, planted] = path
    return paths


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def json_report(path, *extra):
    result = invoke("report", path, "--period", "quarter", "--until", "2026-09-30", "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_report_alerts_name_exactly_the_planted_effects(exports, lang):
    report = json_report(exports[lang, True], "--lang", lang)
    assert {(a["scope"], a["subject"], a["metric"]) for a in report["alerts"]} == PLANTED
    for alert in report["alerts"]:
        assert {"share", "baseline", "n", "p_value", "message"} <= set(alert)
    assert report["overview"]["skipped_not_rejections"] == 40
    assert report["overview"]["rejections"] == 2400


@pytest.mark.parametrize("lang", ["en", "de"])
def test_report_without_planted_effects_has_no_alerts(exports, lang):
    assert json_report(exports[lang, False])["alerts"] == []


def test_report_json_contract(exports):
    report = json_report(exports["en", True])
    assert {"overview", "periods", "owners", "sources", "alerts"} <= set(report)
    assert [p["period"] for p in report["periods"]] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    maria = next(o for o in report["owners"] if o["name"] == "Maria Schneider")
    assert maria["shares"]["not_decision_maker"] > 2 * maria["baseline_shares"]["not_decision_maker"]


def test_german_report_wording(exports):
    result = invoke("report", exports["de", True], "--lang", "de", "--period", "quarter", "--until", "2026-09-30")
    assert "Maria Schneider lehnt" in result.stdout and "„nicht der Entscheider“" in result.stdout


def test_markdown_report(exports, tmp_path):
    out = tmp_path / "report.md"
    assert invoke("report", exports["en", True], "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rejection Radar report") and "| Maria Schneider |" in text


def test_report_masks_contact_data_unless_asked(tmp_path):
    export = tmp_path / "e.csv"
    export.write_text(
        "Lead ID,Lead Owner,Description,Close Date\n"
        "1,Ann,\"kein Budget, Rückruf an jk@acme.de oder +49 171 2345678\",2026-09-01\n", encoding="utf-8"
    )
    redacted = json_report(export)["challenge"][0]["note"]
    assert "jk@acme.de" not in redacted and "[e-mail]" in redacted and "[phone]" in redacted
    assert "jk@acme.de" in json_report(export, "--no-redact")["challenge"][0]["note"]


def test_html_report_is_self_contained(exports, tmp_path):
    out = tmp_path / "report.html"
    assert invoke("report", exports["en", True], "--period", "quarter", "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and "<script" not in page
    assert not re.search(r"(src|href)=['\"]?https?:", page) and "@import" not in page


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed")
def test_html_report_renders_in_headless_chromium(exports, tmp_path):
    out = tmp_path / "report.html"
    invoke("report", exports["de", True], "--lang", "de", "--period", "quarter", "-o", out)
    shot = tmp_path / "shot.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(["chromium", *flags, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Rejection-Radar-Bericht" in dom.stdout
    assert dom.stdout.count("<svg") >= 4 and "Maria Schneider" in dom.stdout
    subprocess.run(["chromium", *flags, f"--screenshot={shot}", "--window-size=1200,2400", out.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000  # a page with charts, not a blank one


def test_challenge_holds_only_weak_rejections_with_questions(exports, tmp_path):
    out = tmp_path / "reopen.xlsx"
    result = invoke("challenge", exports["de", True], "-o", out)
    assert result.exit_code == 0
    leads = pd.read_excel(out, dtype=str).fillna("")
    assert len(leads) > 1000 and set(leads["reason"]) <= WEAK
    assert leads["question"].str.len().gt(20).all()
    assert leads["question"].str.contains("Wer|Was|Wann|Wie").mean() > 0.9  # German notes, German questions
    dates = pd.to_datetime(leads["date"])
    assert dates.is_monotonic_decreasing


def test_challenge_filters_and_follow_up(tmp_path):
    export = tmp_path / "e.csv"
    export.write_text(
        "Lead ID,Lead Owner,Lead Source,Description,Close Date\n"
        "1,Ann,Web,\"Projekt erst in Q3 wieder, bitte dann anrufen\",2026-02-10\n"
        "2,Ann,Web,already using HubSpot,2026-02-11\n"
        "3,Bob,Fair,not the decision maker - CFO signs,2026-02-12\n", encoding="utf-8"
    )
    result = invoke("challenge", export, "--owner", "ann")
    leads = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert leads["id"].tolist() == ["1"]
    assert leads["reason"][0] == "bad_timing" and leads["follow_up"][0] == "2026-07-01"
    all_leads = pd.read_csv(pd.io.common.StringIO(invoke("challenge", export).stdout), dtype=str)
    assert all_leads["id"].tolist() == ["3", "1"]  # newest first, valid rejection left out
