"""Hostile and unlucky inputs (issue 12, resource exhaustion): refused or read with bounded memory.

Every input is generated here, small on disk; the outcome is a one-line InputError naming the
file and the fix (exit 1 from the CLI, no traceback), or a normal read, with peak memory of
a fresh process far below 1 GB.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from classifier.errors import InputError
from classifier.exports import csv_reader, read_export
from cli import cli

ROOT = Path(__file__).parents[2]
NOTES = ["kein Budget", "zu teuer", "melden uns im Q3", "kein Interesse", "schon Anbieter", "nicht erreichbar"]


def peak_memory_mb(path: Path) -> tuple[float, str]:
    """Peak resident memory (MB) of a fresh process that reads ``path``, and how the read ended."""
    script = (
        "import resource, sys\n"
        "from classifier.exports import read_export\n"
        "from classifier.errors import InputError\n"
        "try:\n"
        "    outcome = f'rows {len(read_export(sys.argv[1]).frame)}'\n"
        "except InputError as e:\n"
        "    outcome = f'error {e}'\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
        "print(outcome)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    peak, outcome = done.stdout.split("\n", 1)
    return float(peak), outcome.strip()


def cli_refuses(path: Path, *words: str) -> str:
    """``classify`` on the file: exit 1, one line on stderr naming the file and containing ``words``."""
    result = CliRunner().invoke(cli, ["classify", str(path)])
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception) or \
        isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert message.startswith("Error:") and len(message.splitlines()) == 1, message
    assert str(path) in message and all(w in message for w in words), message
    return message


def workbook(path: Path, stray: str | None = None) -> Path:
    """A small leads sheet, optionally with one stray value far away (e.g. ``XFD1048576``)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Lead ID", "Description", "Status"])
    for k, note in enumerate(NOTES):
        sheet.append([f"00Q{k}", note, "Disqualified"])
    if stray:
        sheet[stray] = "x"
    book.save(path)
    return path


def patch_member(path: Path, member: str, edit) -> None:
    """Rewrite one member of a ZIP (XLSX) with ``edit(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info.filename, edit(data) if info.filename == member else data)


# --- spreadsheets: read the cells that exist, cap the columns --------------------------------------------------


def test_xlsx_with_a_stray_cell_at_xfd1048576_is_refused_naming_the_column_and_the_fix(tmp_path):
    path = workbook(tmp_path / "leads.xlsx", stray="XFD1048576")
    assert path.stat().st_size < 10_000
    with pytest.raises(InputError) as error:
        read_export(path)
    message = str(error.value)
    assert message.startswith(f"{path}: sheet 'Sheet' has cells across 16,384 columns (up to cell XFD1048576)")
    assert "at most 2,000 columns" in message and "export as CSV" in message
    cli_refuses(path, "16,384 columns")
    peak, outcome = peak_memory_mb(path)
    assert outcome.startswith("error") and peak < 1000


def test_xlsx_with_a_lone_cell_at_xfd1048576_costs_one_cell(tmp_path):
    book = Workbook()
    book.active["XFD1048576"] = "kein Budget"
    book.save(tmp_path / "lone.xlsx")
    export = read_export(tmp_path / "lone.xlsx")
    assert export.frame.values.tolist() == [["kein Budget"]] and export.lines.tolist() == [1048576]
    peak, outcome = peak_memory_mb(tmp_path / "lone.xlsx")
    assert peak < 1000 and outcome == "rows 1"


def test_xlsx_with_stray_cells_far_below_is_refused_as_too_sparse(tmp_path):
    path = workbook(tmp_path / "deep.xlsx", stray="ZZ1048576")  # 702 columns x 1M rows: 736 million cells
    with pytest.raises(InputError, match=r"spans 736,100,\d+ cells .* but only 22 hold a value.*export as CSV"):
        read_export(path)
    peak, _ = peak_memory_mb(path)
    assert peak < 1000


def test_xlsx_hidden_column_range_of_thirty_million_is_capped(tmp_path):
    path = workbook(tmp_path / "hidden.xlsx")
    cols = b'<cols><col min="4" max="30000000" width="9" hidden="1"/></cols>'
    patch_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData", cols + b"<sheetData", 1))
    export = read_export(path)
    assert export.frame["Description"].tolist() == NOTES and export.roles["note"] == "Description"
    peak, outcome = peak_memory_mb(path)
    assert outcome == "rows 6" and peak < 1000


def test_xlsx_cells_without_references_are_counted_by_position(tmp_path):
    path = workbook(tmp_path / "norefs.xlsx")
    many = b"".join(b"<c><v>1</v></c>" for _ in range(2_100))
    patch_member(path, "xl/worksheets/sheet1.xml",
                 lambda xml: xml.replace(b"</sheetData>", b'<row r="9">' + many + b"</row></sheetData>", 1))
    with pytest.raises(InputError, match="has cells across 2,100 columns"):
        read_export(path)


def spreadsheetml(cells: str) -> str:
    return ('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Leads"><Table>'
            '<Row><Cell><Data ss:Type="String">Lead ID</Data></Cell><Cell><Data ss:Type="String">Description</Data>'
            f'</Cell></Row><Row><Cell><Data ss:Type="String">1</Data></Cell>{cells}</Row></Table></Worksheet>'
            '</Workbook>')


def test_spreadsheetml_cell_index_of_300_million_is_refused(tmp_path):
    path = tmp_path / "leads.xls"
    path.write_text(spreadsheetml('<Cell ss:Index="300000000"><Data ss:Type="String">kein Budget</Data></Cell>'))
    with pytest.raises(InputError, match=r"sheet 'Leads' has a cell in column 300,000,000 \(row 2\).*at most 2,000"):
        read_export(path)
    cli_refuses(path, "column 300,000,000")
    peak, outcome = peak_memory_mb(path)
    assert outcome.startswith("error") and peak < 1000


def test_spreadsheetml_rows_padded_far_apart_are_refused(tmp_path):
    row = '<Row><Cell><Data ss:Type="String">1</Data></Cell><Cell ss:Index="1999"><Data ss:Type="String">x</Data></Cell></Row>'
    path = tmp_path / "sparse.xls"
    path.write_text(spreadsheetml("").replace("</Table>", row * 6000 + "</Table>"))
    with pytest.raises(InputError, match="blank ones .*export as CSV"):
        read_export(path)


# --- archives: refuse before unpacking, summarise notices -------------------------------------------------------


def zip_bomb(path: Path, size: int = 1 << 30) -> Path:
    """A ZIP whose one CSV member is ``size`` zero bytes, packed about 1,000 to 1 (written without unpacking)."""
    block = bytes(1 << 24)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)  # identical for every block after a full flush
    data = packed * (size >> 24) + squeeze.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(size >> 24):
        crc = zlib.crc32(block, crc)
    name = b"leads.csv"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name),
                          0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = zip_bomb(tmp_path / "export.zip")
    assert path.stat().st_size < 2_000_000
    assert zipfile.ZipFile(path).infolist()[0].file_size == 1 << 30
    before = set(Path(tempfile.gettempdir()).glob("radar-zip-*"))
    start = time.perf_counter()
    with pytest.raises(InputError) as error:
        read_export(path)
    assert time.perf_counter() - start < 2
    assert str(error.value).startswith(f"{path}: leads.csv would unpack from 1,044,162 bytes to 1.0 GiB (1,028 times)")
    assert "looks like a ZIP bomb and was not unpacked" in str(error.value)
    assert set(Path(tempfile.gettempdir()).glob("radar-zip-*")) == before  # nothing unpacked
    cli_refuses(path, "ZIP bomb")
    peak, outcome = peak_memory_mb(path)
    assert outcome.startswith("error") and peak < 1000


def test_xlsx_bomb_is_refused_before_reading(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", size=64 << 20)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="leads.csv would unpack .* ZIP bomb"):
        read_export(path)


def csv_zip(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for k in range(count):
            archive.writestr(f"part_{k:05d}.csv", f"Lead ID;Notiz\n{k};{NOTES[k % len(NOTES)]}\n")
    return path


def test_ten_thousand_members_are_refused_at_once(tmp_path):
    path = csv_zip(tmp_path / "parts.zip", 10_000)
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"holds 10,000 files, more than the 1,000 read from one archive; unpack"):
        read_export(path)
    assert time.perf_counter() - start < 5
    cli_refuses(path, "10,000 files")


def test_many_members_give_one_notice_per_message_not_per_file(tmp_path):
    export = read_export(csv_zip(tmp_path / "parts.zip", 60))
    assert len(export.frame) == 60
    assert len(export.notices) < 10, export.notices
    assert any("concatenated 60 files" in n and "and 50 more" in n for n in export.notices)
    assert any(": 60 files (part_00000.csv, part_00001.csv, part_00002.csv and 57 more): read as" in n
               for n in export.notices)


# --- CSV: long header lines, rows far wider than the header -----------------------------------------------------


def test_csv_header_longer_than_64_kib_is_read_whole(tmp_path):
    long_name = "Beschreibung " + "x" * 70_000
    path = tmp_path / "wide_header.csv"
    path.write_text("Lead ID;Notiz;" + long_name + "\n" + "".join(f"{k};{n};\n" for k, n in enumerate(NOTES)),
                    encoding="utf-8")
    export = read_export(path)
    assert list(export.frame.columns) == ["Lead ID", "Notiz", long_name]
    assert export.frame["Notiz"].tolist() == NOTES  # no bogus row made of the rest of the header
    assert export.lines.tolist() == list(range(2, 8))


def test_csv_header_beyond_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_HEAD", 256 * 1024)
    path = tmp_path / "huge_header.csv"
    path.write_text("Lead ID;Notiz;" + "x" * 300_000 + "\n1;kein Budget;\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"huge_header.csv: its first lines \(the header row\) are longer than"):
        read_export(path)


def test_csv_row_far_wider_than_the_header_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "ragged.csv"
    rows = "".join(f"{k};{NOTES[k % 6]}\n" for k in range(100))
    path.write_text("Lead ID;Notiz\n" + rows + "1;" + ";" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ragged.csv: line 102 has 200,002 fields but the header has 2"):
        read_export(path)


# --- JSON: deep nesting, sparse keys ------------------------------------------------------------------------------


def test_jsonl_nested_100k_deep_is_skipped_with_a_notice(tmp_path):
    deep = '{"note": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "leads.jsonl"
    path.write_text("\n".join([json.dumps({"id": "1", "note": "kein Budget"}), deep,
                               json.dumps({"id": "2", "note": "zu teuer"})]) + "\n")
    export = read_export(path)
    assert export.frame["note"].tolist() == ["kein Budget", "zu teuer"]
    assert any("skipped lines 2 that are not JSON objects" in n for n in export.notices)


def test_json_array_nested_100k_deep_is_refused(tmp_path):
    path = tmp_path / "leads.json"
    path.write_text('[{"id": "1", "note": "kein Budget"}, ' + "[" * 100_000 + "]" * 100_000 + "]")
    with pytest.raises(InputError, match="leads.json nests JSON arrays or objects too deeply"):
        read_export(path)
    cli_refuses(path, "too deeply")


def test_jsonl_with_thousands_of_different_keys_is_refused(tmp_path):
    path = tmp_path / "keys.jsonl"
    path.write_text("".join(json.dumps({"id": str(k), f"field_{k}": "x"}) + "\n" for k in range(3000)))
    with pytest.raises(InputError, match="more than 2,000 different keys"):
        read_export(path)
