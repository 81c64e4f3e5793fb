"""`report` and `challenge` on generated CRM exports, English- and German-shaped."""

import json
import re
import shutil
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import cli
from simulate import PLANTED, simulate_rejections, write_export

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
    leads = pd.read_excel(out, dtype=str, engine="openpyxl").fillna("")
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


# --- figures that must follow the data exactly (deterministic inputs: classified files, built frames) ------------


def _classified_csv(path, rows, columns=("Lead ID", "Lead Owner", "Lead Status", "Description", "Close Date")):
    """A file as `classify` writes it: the export's columns plus the prediction columns, which `report`
    and `challenge` reuse instead of classifying again (so no model prediction is assumed here)."""
    header = [*columns, "reason", "confidence", "reason_2", "weak", "needs_review", "challenge", "note_lang"]
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    return path


def _row(i, owner, status, note, date, reason, confidence, review, lang="de"):
    weak = reason in WEAK
    return [str(i), owner, status, note, date, reason, confidence, "other", weak, review, "", lang]


def test_report_review_count_covers_only_rejections(tmp_path, seed_model_dir):
    export = _classified_csv(tmp_path / "classified.csv", [
        _row(1, "Ann", "Unqualified", "kein Budget dieses Jahr, erst 2027 wieder", "2026-09-01", "no_budget", 0.91, False),
        _row(2, "Ann", "Unqualified", "Chef entscheidet, nicht mein Thema", "2026-09-02", "not_decision_maker", 0.42, True),
        _row(3, "Bob", "Unqualified", "already using HubSpot for this", "2026-09-03", "existing_solution", 0.88, False, "en"),
        _row(4, "Bob", "Converted", "Termin vereinbart, Angebot folgt", "2026-09-04", "other", 0.30, True),
        _row(5, "Bob", "Open", "call back next week about pricing", "2026-09-05", "other", 0.35, True, "en"),
        _row(6, "Ann", "Open", "Rückruf erbeten wegen Demo", "2026-09-06", "other", 0.33, True),
    ])
    overview = json_report(export, "--model", seed_model_dir, "--text-column", "Description")["overview"]
    assert (overview["rejections"], overview["skipped_not_rejections"]) == (3, 3)
    assert overview["needs_review"] == 1 and overview["needs_review_share"] == pytest.approx(1 / 3, abs=1e-4)


def test_challenge_follow_up_only_for_timing_reasons(tmp_path, seed_model_dir):
    export = _classified_csv(tmp_path / "classified.csv", [
        _row(1, "Ann", "Unqualified", "Chef entscheidet erst im Q3, dann nochmal", "2026-02-10", "not_decision_maker", 0.8, False),
        _row(2, "Ann", "Unqualified", "Projekt erst in Q3 wieder, bitte dann anrufen", "2026-02-11", "bad_timing", 0.8, False),
        _row(3, "Bob", "Unqualified", "too early for them, call back in Q3", "2026-02-12", "too_early", 0.8, False, "en"),
    ])
    result = invoke("challenge", export, "--model", seed_model_dir, "--text-column", "Description")
    leads = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert dict(zip(leads["id"], leads["follow_up"])) == {"1": "", "2": "2026-07-01", "3": "2026-07-01"}


def test_picklist_map_decides_the_picklist_reason(tmp_path, seed_model_dir):
    columns = ("Lead ID", "Lead Owner", "Lead Status", "Description", "Close Date", "Lost reason")
    rows = []
    for i, (owner, picklist) in enumerate([("Ann", "Timing"), ("Ann", "Timing"), ("Bob", "Kein Geld"), ("Bob", "Kein Geld")]):
        row = _row(i, owner, "Unqualified", f"Budget ist aufgebraucht, Anfrage {i}", "2026-09-01", "no_budget", 0.9, False)
        rows.append(row[:5] + [picklist] + row[5:])
    export = _classified_csv(tmp_path / "classified.csv", rows, columns)
    mapping = tmp_path / "map.csv"
    mapping.write_text("picklist value,label\nTiming,bad_timing\nKein Geld,no_budget\n", encoding="utf-8")
    report = json_report(export, "--model", seed_model_dir, "--text-column", "Description",
                         "--picklist-column", "Lost reason", "--picklist-map", mapping)
    mismatch = {o["name"]: o["picklist_mismatch"] for o in report["owners"]}
    assert mismatch == {"Ann": 1.0, "Bob": 0.0}  # Ann's picklist says timing, her notes say budget


def _rejections(reasons, owners=None, dates=None) -> pd.DataFrame:
    """A rejections frame as `report` builds it, for the given reasons (weak from the taxonomy)."""
    from classifier.taxonomy import default_taxonomy

    n = len(reasons)
    return pd.DataFrame({
        "id": [str(i) for i in range(n)],
        "date": pd.to_datetime(dates) if dates is not None else pd.Series(pd.NaT, index=range(n)),
        "owner": owners if owners is not None else ["Ann"] * n,
        "source": [""] * n,
        "note": ["n/a"] * n,
        "is_rejection": [True] * n,
        "reason": reasons,
        "confidence": [0.9] * n,
        "weak": [r in default_taxonomy().weak_labels for r in reasons],
        "needs_review": [False] * n,
        "note_lang": ["en"] * n,
    })


def test_report_needs_cohens_h_as_well_as_the_minimum_effect():
    from classifier.reports.builders import build_report
    from classifier.taxonomy import default_taxonomy
    from classifier.reports.trends import AlertRules

    # Ann: 63% "no need" against 52% for Bob's 5,000 rejections; certain (p ~ 1e-11) and 11 points
    # apart, but Cohen's h is 0.22: on shares this high that is no difference worth an alert.
    reasons = ["no_need"] * 630 + ["existing_solution"] * 370 + ["no_need"] * 2600 + ["existing_solution"] * 2400
    frame = _rejections(reasons, owners=["Ann"] * 1000 + ["Bob"] * 5000)
    assert build_report(frame, default_taxonomy(), by=("owner",))["alerts"] == []
    looser = build_report(frame, default_taxonomy(), by=("owner",), rules=AlertRules(min_h=0.2))["alerts"]
    assert [(a["subject"], a["metric"]) for a in looser] == [("Ann", "no_need"), ("Bob", "existing_solution")]


def _quarterly(budget_per_quarter: dict[str, int], size: int = 300) -> pd.DataFrame:
    reasons, dates = [], []
    for day, budget in budget_per_quarter.items():
        reasons += ["no_budget"] * budget + ["no_need"] * (size - budget)
        dates += [day] * size
    return _rejections(reasons, dates=dates)


def test_report_compares_the_latest_period_with_a_year_earlier():
    from classifier.reports.builders import build_report
    from classifier.taxonomy import default_taxonomy

    # A seasonal business: 30% "no budget", but every third quarter 10%. 2026-Q3 stays at 30%: no level
    # shift over the series, but against the same quarter a year earlier it is the alert.
    quarters = {"2024-11-15": 90, "2025-02-15": 90, "2025-05-15": 90, "2025-08-15": 30,
                "2025-11-15": 90, "2026-02-15": 90, "2026-05-15": 90, "2026-08-15": 90}
    report = build_report(_quarterly(quarters), default_taxonomy(), period="quarter", by=(), until="2026-09-30")
    found = {(a["subject"], a["metric"], a["compared_to"]) for a in report["alerts"]}
    assert found == {("2026-Q3", "no_budget", "2025-Q3"), ("2026-Q3", "weak", "2025-Q3")}  # "no budget" is weak
    alert = next(a for a in report["alerts"] if a["metric"] == "no_budget")
    assert "up from 10% in 2025-Q3" in alert["message"]


def test_a_level_shift_replaces_the_comparisons_it_explains():
    from classifier.reports.builders import build_report
    from classifier.taxonomy import default_taxonomy

    # 2025-Q3: 10% no budget; from 2025-Q4 on: 40%. One alert says when it started; the year-ago
    # comparison (2026-Q3 against 2025-Q3) and last-against-previous would only repeat or miss it.
    quarters = {"2025-08-15": 30, "2025-11-15": 120, "2026-02-15": 120, "2026-05-15": 120, "2026-08-15": 120}
    report = build_report(_quarterly(quarters), default_taxonomy(), period="quarter", by=(), until="2026-09-30")
    found = {(a["scope"], a["subject"], a["metric"], a["since"]) for a in report["alerts"]}
    assert found == {("period", "2025-Q4", "no_budget", "2025-Q4"), ("period", "2025-Q4", "weak", "2025-Q4")}  # "no budget" is weak
    alert = next(a for a in report["alerts"] if a["metric"] == "no_budget")
    assert alert["message"] == "Since 2025-Q4 40% of rejections are 'no budget', against 10% in the quarter before (n=1,200)."
    assert {s["since"] for s in report["overview"]["level_shifts"]} == {"2025-Q4"}


# --- planted shifts end to end: written exports, read, classified, reported ---------------------------------------


@pytest.fixture(scope="module")
def shifted_exports(tmp_path_factory):
    """English- and German-shaped exports whose weak share rises from 2026-10-01: ending mid-period (28 Dec)
    and exactly at a period's end (31 Dec)."""
    folder = tmp_path_factory.mktemp("shifted")
    paths = {}
    for lang in ("en", "de"):
        for end in ("2026-12-28", "2026-12-31"):
            path = folder / f"{lang}_{end}.csv"
            write_export(simulate_rejections(31, start="2026-01-01", end=end, shift="2026-10-01"), path, lang, seed=31)
            paths[lang, end] = path
    return paths


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("end", ["2026-12-28", "2026-12-31"])
def test_report_names_the_start_of_a_planted_shift(shifted_exports, lang, end):
    truth = {"month": 2026 * 12 + 10, "quarter": 2026 * 4 + 4}
    for period in ("month", "quarter"):
        result = invoke("report", shifted_exports[lang, end], "--period", period, "--lang", lang, "--format", "json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        shifts = [a for a in report["alerts"] if a["scope"] == "period" and a["metric"] == "weak"]
        assert len(shifts) == 1, [a["message"] for a in report["alerts"]]
        since = shifts[0]["since"]
        year, rest = since.split("-Q") if period == "quarter" else since.split("-")
        assert abs(int(year) * (4 if period == "quarter" else 12) + int(rest) - truth[period]) <= 1, since
        running = end == "2026-12-28"
        last = report["periods"][-1]
        expected = {"en": "to 28 Dec", "de": "bis 28. Dez."}[lang]
        assert (expected in last["label"]) == running and (last["to_date"] is not None) == running
        assert report["overview"]["latest_period"]["latest"]["label"] == last["label"]
        if running and period == "quarter":  # the shift is the running quarter itself
            assert expected in shifts[0]["message"]
        assert ("Since " if lang == "en" else "Seit ") in shifts[0]["message"] or expected in shifts[0]["message"]


def test_overview_and_html_show_the_current_period_and_the_shift(shifted_exports, tmp_path):
    out = tmp_path / "report.html"
    assert invoke("report", shifted_exports["en", "2026-12-28"], "--period", "month", "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Current period</th><td>2026-12 to 28 Dec: weak" in page
    chart = page[page.index("id='chart-weak'"):]
    chart = chart[: chart.index("</figure>")]
    assert 'id="level-shift"' in chart and 'id="level-shift-start"' in chart
    assert "<figcaption class='shift'>Since 2026-1" in chart
    table = invoke("report", shifted_exports["de", "2026-12-28"], "--period", "quarter", "--lang", "de").stdout
    assert "Aktueller Zeitraum" in table and "2026-Q4 bis 28. Dez.: schwach" in table


def test_fail_on_alert_exits_3_only_when_there_are_alerts(shifted_exports, exports):
    assert invoke("report", shifted_exports["en", "2026-12-31"], "--format", "json", "--fail-on-alert").exit_code == 3
    assert invoke("report", shifted_exports["en", "2026-12-31"], "--format", "json").exit_code == 0
    quiet = invoke("report", exports["en", False], "--period", "quarter", "--until", "2026-09-30", "--fail-on-alert")
    assert quiet.exit_code == 0, quiet.output
