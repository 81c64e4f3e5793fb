"""Silent garbage and rough edges (issue 12): odd encodings, HTML, JSON envelopes, German dates,
unwritable output folders and redaction. Each input is built in tmp_path."""

import codecs
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from classifier.errors import InputError
from classifier.exports import read_export
from classifier.exports.date_formats import infer_format, parse_dates
from classifier.exports.input_checks import fix_mojibake
from classifier.normalize import html_to_text, redact
from cli import cli

HEADER = "ID;Notiz\n"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings -------------------------------------------------------------------------------------


def test_utf16_bom_before_a_utf8_body_is_read_as_utf8_not_cjk(tmp_path):
    body = HEADER + "1;kein Budget für Müller\n2;zu teuer\n"
    path = _write(tmp_path, "stray_bom.csv", codecs.BOM_UTF16_LE + body.encode("utf-8"))
    export = read_export(path)
    assert export.frame["Notiz"].tolist() == ["kein Budget für Müller", "zu teuer"]
    assert "byte-order mark" in export.notices[0]


def test_real_utf16_with_bom_still_reads(tmp_path):
    body = HEADER + "1;kein Budget für Müller\n2;zu teuer\n"
    path = _write(tmp_path, "utf16.csv", codecs.BOM_UTF16_LE + body.encode("utf-16-le"))
    assert read_export(path).frame["Notiz"].tolist() == ["kein Budget für Müller", "zu teuer"]


def test_nul_bytes_after_the_first_64_kb_do_not_reach_the_output(tmp_path):
    rows = "".join(f"{i};kein Budget {i}\n" for i in range(6000))
    data = (HEADER + rows).encode() + b"6001;zu\x00 teuer\x00\n"
    assert len(data) > 64 * 1024
    export = read_export(_write(tmp_path, "nul.csv", data))
    assert not export.frame.apply(lambda c: c.str.contains("\x00", regex=False)).any().any()
    assert export.frame["Notiz"].iloc[-1] == "zu teuer"
    assert any("NUL" in n and "6002" in n for n in export.notices)


@pytest.mark.parametrize("content", [b"   \n\n  \n\t\n", b"\r\n\r\n", codecs.BOM_UTF8 + b"  \n \n"])
def test_whitespace_only_file_has_no_data_rows(tmp_path, content):
    with pytest.raises(InputError, match="no data rows found in .*blank.csv"):
        read_export(_write(tmp_path, "blank.csv", content))


def test_whitespace_only_file_on_the_command_line_is_a_one_line_error(tmp_path):
    path = _write(tmp_path, "blank.csv", b"   \n\n  \n\t\n")
    result = CliRunner().invoke(cli, ["classify", str(path)])
    assert result.exit_code == 1
    assert "no data rows" in result.output and "classified" not in result.output


@pytest.mark.parametrize(
    "codec, notes, label",
    [
        ("mac_roman", ["Kunde Müller möchte später", "Größe passt nicht", "zu teuer"], "Mac Roman"),
        ("cp1250", ["Pan Dvořák říká že ne", "příliš drahé", "Firma Přerov: rozpočet vyčerpán", "Dřevo: zkusit za tři měsíce"], "Windows-1250"),
        ("cp1250", ["Pan Łukasz mówi, że za drogie", "budżet już wyczerpany", "może później"], "Windows-1250"),
    ],
)
def test_mac_roman_and_cp1250_are_recognised(tmp_path, codec, notes, label):
    rows = "".join(f"{i};{note}\n" for i, note in enumerate(notes))
    export = read_export(_write(tmp_path, f"{codec}.csv", (HEADER + rows).encode(codec)))
    assert export.frame["Notiz"].tolist() == notes
    assert label in export.notices[0]


@pytest.mark.parametrize("note", ["Müller, déjà vu, Größe – 5 €", "Crème brûlée à la française, señor"])
def test_windows_1252_stays_windows_1252(tmp_path, note):
    export = read_export(_write(tmp_path, "cp1252.csv", (HEADER + f"1;{note}\n").encode("cp1252")))
    assert export.frame["Notiz"].iloc[0] == note
    assert "Windows-1252" in export.notices[0]


MOJIBAKE_WORDS = ["Müller", "Größe", "Straße – „zu teuer“", "Ärger über 5 €", "déjà"]


def _garble(text, rounds, codec):
    for _ in range(rounds):
        text = text.encode("utf-8").decode(codec, errors="ignore")
    return text


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
@pytest.mark.parametrize("rounds", [1, 2])
@pytest.mark.parametrize("word", MOJIBAKE_WORDS)
def test_mojibake_is_repaired_also_when_double_encoded(word, rounds, codec):
    assert fix_mojibake(_garble(word, rounds, codec)) == word


def test_double_encoded_mojibake_is_repaired_in_an_export(tmp_path):
    path = _write(tmp_path, "dbl.csv", (HEADER + "1;MÃƒÂ¼ller sagt nein\n").encode("utf-8"))
    assert read_export(path, repair=True).frame["Notiz"].iloc[0] == "Müller sagt nein"


# --- HTML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html, text",
    [
        ("<style>p { color: red; }</style><p>kein Budget</p>", "kein Budget"),
        ("<script>var x = '<b>';</script>zu teuer", "zu teuer"),
        ("<!-- intern: nicht weitergeben -->zu teuer", "zu teuer"),
        ("<!--[if mso]><x>Word</x><![endif]-->Wettbewerber", "Wettbewerber"),
        ('<a title="a > b" href="x">zu teuer</a>', "zu teuer"),
        ("<span data-x='1>2'>kein Bedarf</span>", "kein Bedarf"),
        ('<p class="x">kein Budget</p><div title="q>1">Q3</div>', "kein Budget\nQ3"),
    ],
)
def test_html_to_text_drops_style_script_comments_and_survives_quoted_gt(html, text):
    assert html_to_text(html) == text


def test_html_table_rowspan_does_not_shift_cells(tmp_path):
    page = """<html><body><table>
    <tr><th>Owner</th><th>Id</th><th>Note</th></tr>
    <tr><td rowspan="2">Anna</td><td>1</td><td>kein Budget</td></tr>
    <tr><td>2</td><td>zu teuer</td></tr>
    <tr><td>Ben</td><td>3</td><td rowspan="2">Wettbewerber</td></tr>
    <tr><td>Cleo</td><td>4</td></tr>
    </table></body></html>"""
    export = read_export(_write(tmp_path, "report.xls", page.encode()))
    assert export.frame.to_dict("records") == [
        {"Owner": "Anna", "Id": "1", "Note": "kein Budget"},
        {"Owner": "Anna", "Id": "2", "Note": "zu teuer"},
        {"Owner": "Ben", "Id": "3", "Note": "Wettbewerber"},
        {"Owner": "Cleo", "Id": "4", "Note": "Wettbewerber"},
    ]


# --- JSON ------------------------------------------------------------------------------------------


def test_pretty_printed_json_envelope_keeps_every_record(tmp_path):
    records = [{"Id": str(i), "Note": f"kein Budget {i}", "Owner": "Anna"} for i in range(7)]
    path = tmp_path / "hubspot.json"
    path.write_text(json.dumps({"total": 7, "results": records, "paging": {"next": None}}, indent=2))
    export = read_export(path)
    assert export.frame["Note"].tolist() == [r["Note"] for r in records]
    assert not any("not JSON objects" in n for n in export.notices)


def test_json_lines_still_read_line_by_line(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(json.dumps({"Id": str(i), "Note": f"zu teuer {i}"}) for i in range(3)) + "\n")
    assert read_export(path).frame["Note"].tolist() == ["zu teuer 0", "zu teuer 1", "zu teuer 2"]


# --- German month names ----------------------------------------------------------------------------


def test_german_month_names_are_recognised_in_a_date_column(tmp_path):
    text = ("ID;Datum;Notiz\n1;15. März 2024;kein Budget\n2;01. Feb. 2024;zu teuer\n"
            "3;3. Oktober 2023;Wettbewerb\n4;24. Dez 23;kein Bedarf\n")
    export = read_export(_write(tmp_path, "de.csv", text.encode("utf-8")))
    assert export.roles["date"] == "Datum"
    assert [d.date().isoformat() for d in export.dates()] == ["2024-03-15", "2024-02-01", "2023-10-03", "2023-12-24"]


def test_german_month_format_leaves_other_values_empty():
    fmt = infer_format(["15. März 2024", "1. Mai 2024"])
    assert parse_dates(pd.Series(["15. Mär. 2024", "morgen"]), fmt).isna().tolist() == [False, True]


# --- -o into a folder that cannot be written -------------------------------------------------------


@pytest.fixture
def export_file(tmp_path):
    return _write(tmp_path, "in.csv", (HEADER + "1;kein Budget\n2;zu teuer\n").encode())


@pytest.mark.parametrize("command", ["classify", "report", "challenge", "review-queue", "audit"])
@pytest.mark.parametrize("where", ["missing/out.csv", "in.csv/out.csv"])
def test_output_into_a_missing_or_unwritable_folder_fails_before_any_work(tmp_path, export_file, command, where):
    result = CliRunner().invoke(cli, [command, str(export_file), "-o", str(tmp_path / where)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write"), result.output
    assert "read as" not in result.output  # the export was not even opened


def test_unwritable_folder_is_reported_in_one_line(tmp_path, export_file, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = CliRunner().invoke(cli, ["report", str(export_file), "-o", str(tmp_path / "out.md")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot write {tmp_path / 'out.md'}: Permission denied; choose a folder you can write to"


# --- redaction -------------------------------------------------------------------------------------

MASKED = {
    "DE": ["(089) 123 45 67", "Tel.: 089 / 12 34 56-7", "0171 23 45 678", "+49 171 2345678", "+49 (0)89 123456",
           "0049 89 1234567", "089/1234567", "01711234567", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"],
    "AT": ["+43 1 234 5678", "0664 123 45 67", "AT61 1904 3002 3457 3201"],
    "CH": ["+41 44 668 18 00", "044 668 18 00", "CH93 0076 2011 6238 5295 7"],
    "GB": ["+44 20 7946 0958", "020 7946 0958", "07700 900123", "GB29 NWBK 6016 1331 9268 19"],
    "US": ["(555) 123-4567", "555.123.4567", "555-123-4567", "+1 (555) 123-4567"],
    "FR": ["06 12 34 56 78", "+33 6 12 34 56 78", "06.12.34.56.78"],
    "NL": ["06-12345678", "NL91ABNA0417164300"],
    "e-mail": ["jane[at]example.com", "jane (at) example (dot) com", "jane.doe{at}acme.co.uk", "jane@example.com"],
}
KEPT = ["15.03.2024", "2024-03-15", "01/02/2024", "03/15/2024", "12.03.", "ab 01.01.2025 bis 31.12.2025",
        "12.500,00 €", "€ 1.234.567", "1.234.567 EUR", "5.000 EUR", "250000 €", "$1,250,000", "1,5 Mio",
        "Ticket #12345678", "Ticket 4711-2023", "INC0012345", "Angebot Nr. 2024-0815", "Auftrag 20240815",
        "Q4 2027", "KW 12", "Version 2.3.1", "10-15 Lizenzen", "PLZ 80331 München", "seit 2019, 250 Mitarbeiter",
        "look at file.txt"]


@pytest.mark.parametrize("country, value", [(c, v) for c, values in MASKED.items() for v in values])
def test_redact_masks_phones_ibans_and_obfuscated_addresses(country, value):
    out = redact(f"bitte melden: {value} danke")
    assert out.startswith("bitte melden: ") and out.endswith(" danke")
    assert "[phone]" in out or "[IBAN]" in out or "[e-mail]" in out
    assert not any(ch.isdigit() for ch in out) and "example" not in out and "acme" not in out


@pytest.mark.parametrize("value", KEPT)
def test_redact_keeps_dates_amounts_and_ticket_numbers(value):
    assert redact(f"Notiz {value} ok") == f"Notiz {value} ok"
