"""Build the small CRM-export fixtures for the 25 bad-input cases of ``CRM_EXPORTS.md``.

Run from the repository root to regenerate them (the output is deterministic)::

    python tests/data/make_fixtures.py

Every file is a few KB and shaped like a real export (Salesforce, HubSpot, Pipedrive,
Dynamics, Zoho, German Excel). Cases 23 and 24 need big files; the tests build those in a
temporary folder with :func:`long_notes_csv` and :func:`huge_csv` instead of keeping them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
ZIP_TIME = (2026, 10, 1, 12, 0, 0)

# One set of leads, exported by different tools below. (id, name, status, note, date d/m/y, source, owner)
LEADS = [
    ("00Q5e00000AbCdEFG1", "Max Müller", "Unqualified", "kein Budget für 2026, melden uns im Q3", (12, 1, 2026), "Web", "Anna Schmidt"),
    ("00Q5e00000AbCdEFG2", "Jörg Weiß", "Closed - Not Converted", "Wettbewerber ist günstiger; Vertrag läuft bis 2027", (3, 2, 2026), "Messe", "Anna Schmidt"),
    ("00Q5e00000AbCdEFG3", "Sarah O'Neil", "Unqualified", "Not the decision maker – forwarded to IT, no reply", (15, 2, 2026), "Referral", "Tom Becker"),
    ("00Q5e00000AbCdEFG4", "Lena Groß", "Unqualified", "zu teuer, \"Preis ist das Problem\"", (28, 2, 2026), "Web", "Tom Becker"),
    ("00Q5e00000AbCdEFG5", "Paul Fischer", "Closed - Not Converted", "Kein Bedarf mehr\nProjekt gestoppt", (1, 3, 2026), "Kaltakquise", "Anna Schmidt"),
    ("00Q5e00000AbCdEFG6", "Ines Koch", "Unqualified", "n/a", (9, 3, 2026), "LinkedIn", "Tom Becker"),
]
HEADER_DE = ["Lead-ID", "Name", "Lead-Status", "Beschreibung", "Erstelldatum", "Lead-Quelle", "Lead-Inhaber"]
HEADER_EN = ["Lead ID", "Full Name", "Lead Status", "Description", "Created Date", "Lead Source", "Lead Owner"]


def _rows(date_format: str) -> list[list[str]]:
    return [[i, n, s, note, dt.date(y, m, d).strftime(date_format), src, o] for i, n, s, note, (d, m, y), src, o in LEADS]


def _csv(rows: list[list[str]], delimiter: str = ",", terminator: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return out.getvalue()


def _write(name: str, data: str | bytes, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def _zip(name: str, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(zipfile.ZipInfo(member, ZIP_TIME), data)


def german_excel() -> bytes:
    """Case 6 (and the twin of case 13): what German Excel saves: cp1252, ';', dd.mm.yyyy, decimal commas."""
    rows = [HEADER_DE + ["Umsatz"]] + [r + [f"{1200 + 350 * k},50"] for k, r in enumerate(_rows("%d.%m.%Y"))]
    return _csv(rows, ";").encode("cp1252")


def salesforce_report() -> bytes:
    """Case 13: the same leads as a Salesforce report CSV with title rows and footer lines."""
    rows = [HEADER_EN + ["Revenue"]] + [r + [f"{1200 + 350 * k}.50"] for k, r in enumerate(_rows("%m/%d/%Y"))]
    body = _csv(rows)
    footer = '\r\n"Grand Totals (6 records)"\r\n\r\n"Confidential Information - Do Not Distribute"\r\n' \
             '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
    return (body + footer).encode("utf-8")


def build() -> None:
    # 1: empty file; header only
    _write("case01_empty.csv", b"")
    _write("case01_header_only.csv", "Record ID,Lead Status,Unqualified Reason\r\n")
    # 2: not a table
    _write("case02_report.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    _write("case02_logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
    _zip("case02_letter.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    _write("case02_binary.dat", bytes((i * 37 + 11) % 256 for i in range(3000)))
    # 3: XLSX with several sheets, title rows, hidden (Do Not Modify) columns (Dynamics "Export to Excel")
    xlsx_dynamics(HERE / "case03_dynamics_leads.xlsx")
    # 4: disguised formats
    _write("case04_sf_details_only.xls", html_table())
    _write("case04_spreadsheetml.xls", spreadsheetml())
    _write("case04_excel_web_page.mht", mhtml())
    _write("case04_pipedrive.tsv", _csv([["ID", "Title", "Lost reason", "Lost time", "Owner"]] + [
        [str(i + 1), f"Deal {n}", note, f"2026-0{1 + i % 3}-1{i} 10:1{i}:00", o]
        for i, (_, n, _, note, _, _, o) in enumerate(LEADS)], "\t", "\n"))
    _write("case04_bom.csv", _csv([HEADER_EN] + _rows("%Y-%m-%d")), "utf-8-sig")
    _write("case04_ods.ods", b"")  # replaced below by a real ODS-shaped zip
    _zip("case04_ods.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    # 5: ZIP archives
    part = lambda rows: _csv([["Record ID", "Lead Status", "Unqualified Reason", "Last Modified Date"]] + rows).encode()  # noqa: E731
    rows = [[str(9001 + k), s, note, f"2026-03-0{k + 1} 09:00"] for k, (_, _, s, note, _, _, _) in enumerate(LEADS)]
    _zip("case05_hubspot_parts.zip", {"hubspot-crm-exports-all-contacts-2026-10-01-2.csv": part(rows[3:]),
                                      "hubspot-crm-exports-all-contacts-2026-10-01-1.csv": part(rows[:3])})
    _zip("case05_single.zip", {"Leads_001.csv": part(rows), "__MACOSX/._Leads_001.csv": b"\x00\x05\x16\x07"})
    _zip("case05_mixed.zip", {"Leads.csv": part(rows), "Notes.csv": b"Note Id,Content\r\n1,hello\r\n"})
    # 6: German Excel
    _write("case06_german_excel.csv", german_excel())
    # 7: UTF-8 BOM; UTF-16 LE tab-delimited (Excel "Unicode text")
    _write("case07_utf8_bom.csv", _csv([HEADER_DE] + _rows("%d.%m.%Y"), ";"), "utf-8-sig")
    _write("case07_utf16_tab.txt", _csv([HEADER_EN] + _rows("%m/%d/%Y"), "\t"), "utf-16")
    # 8: mojibake saved into the file
    _write("case08_mojibake.csv", _csv([["Record ID", "Contact owner", "Unqualified Reason"],
                                        ["101", "Anna Schmidt", "Herr MÃ¼ller hat kein Budget â€“ Q3 wieder melden"],
                                        ["102", "Tom Becker", "GeschÃ¤ftsfÃ¼hrer sagt nein"],
                                        ["103", "Tom Becker", "no budget this year"]]))
    # 9: a few undecodable bytes in UTF-8 (two exports concatenated)
    good = _csv([["Record ID", "Unqualified Reason"], ["201", "Entscheider nicht erreichbar – später"],
                 ["202", "kein Bedarf"]]).encode()
    _write("case09_bad_bytes.csv", good + "203,Gesch\u00e4ftsf\u00fchrung lehnt ab\r\n".encode("cp1252")
           + "204,Grüße aus München\r\n".encode())
    # 10: delimiters
    _write("case10_semicolon.csv", _csv([["ID", "Lost reason", "Owner"], ["1", "zu teuer, Budget erst 2027", "Anna"],
                                         ["2", "Konkurrenz, günstiger, schneller", "Tom"], ["3", "kein Bedarf", "Anna"]], ";"))
    _write("case10_pipe.csv", _csv([["ID", "Lost reason", "Owner"], ["1", "zu teuer, leider", "Anna"],
                                    ["2", "kein Bedarf; später", "Tom"]], "|"))
    _write("case10_sep_line.csv", "sep=;\r\n" + _csv([["ID", "Notiz"], ["1", "kein Budget, Q3"], ["2", "zu teuer"]], ";"))
    # 11: single column, with and without header
    notes = ["kein Budget, melden uns im Q3", "zu teuer", "Wettbewerber günstiger, Vertrag läuft", "n/a", "kein Bedarf"]
    _write("case11_single_column.csv", _csv([["Notiz"]] + [[n] for n in notes]))
    _write("case11_no_header.txt", "\n".join(notes[1:]) + "\n")
    # 12: preamble above the header (Salesforce formatted report, German "Stand")
    _write("case12_preamble.csv", '"Unqualified Leads Q1"\r\n"Stand: 01.10.2026"\r\n"Filtered By: Lead Status equals '
                                  'Unqualified"\r\n\r\n' + _csv([HEADER_EN] + _rows("%m/%d/%Y")))
    # 13: footer and summary rows
    _write("case13_salesforce_footer.csv", salesforce_report())
    _write("case13_summe.csv", _csv([["ID", "Notiz", "Betrag"], ["1", "kein Budget", "100"], ["2", "zu teuer", "50"],
                                     ["Summe", "", "150"], ["", "", ""], ["Gesamtsumme", "", "150"]], ";"))
    # 14: duplicate and empty header names
    _write("case14_duplicate_headers.csv", _csv([["Lead ID", "Description", "Status", "Description", "Status", ""],
                                                 ["00Q1", "Kunde hat kein Budget für dieses Jahr", "Unqualified",
                                                  "Campaign", "Active", "x"],
                                                 ["00Q2", "Zu teuer im Vergleich zum Wettbewerb", "Unqualified",
                                                  "Campaign", "Active", ""],
                                                 ["00Q3", "Kein Interesse mehr, Projekt abgesagt", "Closed - Not Converted",
                                                  "Webinar", "Completed", ""],
                                                 ["00Q4", "Entscheider nicht erreichbar seit Wochen", "Unqualified",
                                                  "Campaign", "Active", ""]]))
    # 15: no note column; two equally good ones
    _write("case15_no_note.csv", _csv([["Record ID", "Email", "Contact owner", "Lead Status"],
                                       ["1", "a@example.com", "Anna Schmidt", "Unqualified"],
                                       ["2", "b@example.com", "Tom Becker", "Bad Timing"]]))
    _write("case15_two_notes.csv", _csv([["Record ID", "Description", "Notes"]] + [
        [str(k), f"{note} (Beschreibung {k})", f"{note} (Notiz {k})"] for k, (*_, note, _, _, _) in
        enumerate([(0, 0, 0, n[3], 0, 0, 0) for n in LEADS])]))
    # 16: quoting: CRLF and LF inside notes, "" escapes; a stray unbalanced quote
    _write("case16_quoted_newlines.csv", 'ID,Content,Add time\r\n1,"Zeile eins\r\nZeile zwei",2026-01-05 10:00:00\r\n'
                                         '2,"Er sagte ""zu teuer""\nund legte auf",2026-01-06 11:00:00\r\n'
                                         '3,kein Budget,2026-01-07 12:00:00\r\n')
    _write("case16_unbalanced_quote.csv", 'ID,Content,Add time\r\n1,kein Budget,2026-01-05\r\n'
                                          '2,"zu teuer,2026-01-06\r\n3,kein Bedarf,2026-01-07\r\n4,später,2026-01-08\r\n')
    # 17: ragged rows (unquoted commas in the last column; a short row)
    _write("case17_ragged.csv", "ID,Owner,Lost reason\r\n1,Anna,zu teuer\r\n2,Tom,zu teuer, Budget 2027\r\n3,Anna\r\n"
                                "4,Tom,kein Bedarf\r\n5,Anna,Konkurrenz, günstiger, schneller\r\n")
    # 18: HTML in notes (HubSpot/Pipedrive note bodies)
    _write("case18_html_notes.csv", _csv([["Note ID", "Note body", "Create date"],
                                          ["1", "<p>kein Budget</p><br><p>Q3 &amp; Q4 wieder</p>", "2026-01-05"],
                                          ["2", "<div>zu&nbsp;teuer</div>", "2026-01-06"],
                                          ["3", "&lt;p&gt;Wettbewerber&lt;/p&gt;", "2026-01-07"],
                                          ["4", "kein Bedarf", "2026-01-08"]]))
    # 19: empty and placeholder notes
    notes = ["", "-", "--", ".", "n/a", "NA", "None", "siehe Telefonat", "kein Budget"]
    _write("case19_placeholders.csv", _csv([["ID", "Lost reason", "Owner"]] + [[str(k + 1), n, "Anna"]
                                                                                for k, n in enumerate(notes)]))
    # 20: Excel damage
    _write("case20_excel_damage.csv", _csv([["ID", "Notiz", "Status"], ["1", "#NAME?", "Verloren"],
                                            ["2", "#WERT!", "Verloren"], ["3", "=- kein Budget", "Verloren"],
                                            ["4", "'- zu teuer", "Verloren"], ["5", "'+49 kein Rückruf", "Verloren"],
                                            ["6", "kein Bedarf", "Verloren"]], ";"))
    # 21: dates of every shape
    _write("case21_dates.csv", _csv([
        ["ID", "Notiz", "Abgelehnt am", "Close Date", "Lost time", "Created", "Geändert am", "Stand", "Datum"],
        ["1", "kein Budget", "13.01.2026", "01/15/2026", "2026-01-05T10:00:00Z", "46027", "03.02.26", "01.02.2026", "2026-01-05"],
        ["2", "zu teuer", "02.03.2026", "02/01/2026", "2026-01-06T10:00:00+02:00", "46028.5", "25.12.25", "03.04.2026", "05.01.2026"],
        ["3", "kein Bedarf", "31.12.2025", "12/31/2025", "2026-01-07 08:30:00", "46029", "01.01.26", "05.06.2026", "gestern"],
    ]))
    # 22: damaged and tricky IDs (HubSpot IDs through Excel; Salesforce 15-char IDs differing only in case)
    _write("case22_hubspot_ids.csv", _csv([["Record ID", "Associated Company ID", "Unqualified Reason", "Contact owner"],
                                           ["4.15087E+18", "8812", "kein Budget", "32891374"],
                                           ["4.15087E+18", "8812", "zu teuer", "32891374"],
                                           ["4150870000000000123", "8813", "Nachfassen im Q3", "41002933"],
                                           ["9912140000000000001", "8814", "kein Bedarf", "32891374"],
                                           ["9912140000000000001", "8814", "Projekt gestoppt", "41002933"]]))
    _write("case22_salesforce_ids.csv", _csv([["Lead ID", "Description"], ["00Q5e00000AbCdE", "kein Budget"],
                                              ["00Q5e00000abcde", "zu teuer"], ["00Q5e00000ABCDE", "kein Bedarf"]]))
    # 25: non-rejections mixed in, owners as IDs, converted rows
    _write("case25_status_mixed.csv", _csv([["Lead ID", "Lead Status", "Description", "Lead Owner ID", "Converted Date"],
                                            ["00Q1", "Unqualified", "kein Budget für dieses Jahr", "0055e000001AbCd", ""],
                                            ["00Q2", "Open - Not Contacted", "neu angelegt, noch kein Kontakt", "0055e000001AbCd", ""],
                                            ["00Q3", "Closed - Converted", "Termin vereinbart, Angebot raus", "0055e000002XyZq", "2026-02-01"],
                                            ["00Q4", "Closed - Not Converted", "Wettbewerber ist günstiger", "0055e000002XyZq", ""],
                                            ["00Q5", "Working - Contacted", "Rückruf nächste Woche", "0055e000001AbCd", ""],
                                            ["00Q6", "Unqualified", "keine Entscheidungsbefugnis", "0055e000001AbCd", "2026-03-01"]]))


def html_table() -> str:
    """Salesforce "Details Only" export: an HTML table saved with an .xls name."""
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;").replace("\n", "<br>")

    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>\n" for r in _rows("%d/%m/%Y"))
    return ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta http-equiv="Content-Type" '
            'content="text/html; charset=UTF-8"></head><body><table border="1">\n<tr>'
            + "".join(f"<th>{h}</th>" for h in HEADER_EN) + "</tr>\n" + rows
            + '<tr><td colspan="7"><b>Grand Totals (6 records)</b></td></tr>'
            "</table></body></html>\n")


def spreadsheetml() -> str:
    """Excel 2003 XML spreadsheet (Zoho and older tools export it as .xls)."""
    def cell(value: str, kind: str = "String") -> str:
        value = value.replace("&", "&amp;").replace("<", "&lt;")
        return f'<Cell><Data ss:Type="{kind}">{value}</Data></Cell>'
    rows = ["<Row>" + "".join(cell(h) for h in ["Record Id", "Lead Status", "Description", "Modified Time"]) + "</Row>"]
    for k, (_, _, s, note, (d, m, y), _, _) in enumerate(LEADS):
        stamp = dt.datetime(y, m, d, 9, 30).strftime("%Y-%m-%dT%H:%M:%S.000")
        rows.append(f"<Row>{cell(f'zcrm_54300000001{k:02d}')}{cell(s)}{cell(note)}{cell(stamp, 'DateTime')}</Row>")
    rows.append(f'<Row>{cell("zcrm_5430000000199")}{cell("Junk Lead")}<Cell ss:Index="4"><Data ss:Type="DateTime">'
                '2026-03-10T00:00:00.000</Data></Cell></Row>')
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
            '<Worksheet ss:Name="Leads"><Table>\n' + "\n".join(rows) + "\n</Table></Worksheet>\n</Workbook>\n")


def mhtml() -> bytes:
    """Excel "Single File Web Page" (.mht): a MIME archive whose HTML part holds the table."""
    page = html_table().encode("utf-8")
    import quopri

    body = quopri.encodestring(page).decode("ascii")
    return ('MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; '
            'boundary="----=_NextPart_01DA"\r\n\r\nThis document is a Single File Web Page.\r\n\r\n'
            '------=_NextPart_01DA\r\nContent-Location: file:///C:/Leads.htm\r\n'
            'Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n'
            + body + "\r\n------=_NextPart_01DA--\r\n").encode("ascii")


def xlsx_dynamics(path: Path) -> None:
    """Dynamics 365 "Export to Excel": hidden (Do Not Modify) columns, a summary sheet first."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Lead report, exported 01.10.2026"])
    summary.append(["Total leads", len(LEADS)])
    leads = book.create_sheet("Leads")
    leads.append(["Disqualified leads (Dynamics 365)"])
    leads.append([])
    leads.append(["(Do Not Modify) Lead", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Name",
                  "Status", "Status Reason", "Description", "Owner", "Lead Source", "Modified On"])
    reasons = ["Lost", "Cannot Contact", "No Longer Interested", "Canceled", "Lost", "Cannot Contact"]
    for k, (_, n, _, note, (d, m, y), src, o) in enumerate(LEADS):
        stamp = dt.datetime(y, m, d, 14, 5)
        leads.append([f"3f2504e0-4f89-11d3-9a0c-0305e82c33{k:02d}", f"chk{k}", stamp, n, "Disqualified", reasons[k],
                      note, o, src, stamp])
    for letter in "ABC":
        leads.column_dimensions[letter].hidden = True
    lists = book.create_sheet("Lists")
    lists.append(["Lead Source"])
    lists.append(["Web"])
    book.properties.created = book.properties.modified = dt.datetime(2026, 10, 1)
    book.save(path)


def long_notes_csv(path: Path, length: int = 140_000) -> None:
    """Case 23: a note longer than the csv module's default field limit (131,072)."""
    note = ("Kunde meldet sich nicht. " * (length // 25 + 1))[:length]
    path.write_text(_csv([["ID", "Notes", "Owner"], ["1", note, "Anna"], ["2", "x" * 32767, "Tom"], ["3", "kurz", "Tom"]]),
                    encoding="utf-8")


def huge_csv(path: Path, rows: int) -> None:
    """Case 24: a big Pipedrive-like export, written in blocks."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("ID,Lost reason,Lost time,Owner,Status\r\n")
        block = []
        for i in range(rows):
            block.append(f'{i},"zu teuer, Fall {i % 97}",2026-0{1 + i % 9}-1{i % 10} 10:00:00,Owner {i % 7},lost\r\n')
            if len(block) >= 10_000:
                f.write("".join(block))
                block = []
        f.write("".join(block))


if __name__ == "__main__":
    build()
    for file in sorted(HERE.iterdir()):
        if file.suffix != ".py":
            print(f"{file.stat().st_size:>7}  {file.name}")
