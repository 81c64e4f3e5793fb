"""Column roles: header normalisation, synonyms (EN/DE), value profiles, one-to-one assignment, status rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from classifier.exports.roles import detect_roles, header_score
from classifier.exports.vocabulary import normalize_header
from classifier.errors import InputError
from classifier.exports import read_export
from classifier.exports.statuses import StatusRule

DATA = Path(__file__).parents[1] / "data"
NOTES = ["kein Budget für 2026, melden uns im Q3", "Wettbewerber ist günstiger, Vertrag läuft",
         "nicht der Entscheider, Chef entscheidet", "zu teuer im Vergleich zum Angebot",
         "Projekt gestoppt, kein Bedarf mehr", "meldet sich nicht zurück seit Wochen"]


def test_case15_no_note_column_stops_with_columns_and_flag():
    with pytest.raises(InputError) as error:
        read_export(DATA / "case15_no_note.csv")
    message = str(error.value)
    assert "no column looks like the rejection note; name it with --text-column" in message
    assert "(columns: `Record ID`, `Email`, `Contact owner`, `Lead Status`)" in message and "\n" not in message
    assert "note" not in read_export(DATA / "case15_no_note.csv", require_note=False).roles


def test_case15_two_equally_good_notes_stop_and_an_override_settles_it():
    with pytest.raises(InputError, match="two columns could hold the rejection note, `Description` and `Notes`; "
                                         "name one with --text-column"):
        read_export(DATA / "case15_two_notes.csv")
    export = read_export(DATA / "case15_two_notes.csv", roles={"note": "notes"})
    assert export.roles["note"] == "Notes" and "note <- `Notes` (given)" in export.notices[1]


@pytest.mark.parametrize("label, expected", [
    ("Deal - Lost reason", "lost reason"), ("ConvertedDate", "converted date"), ("hs_lead_status", "hs lead status"),
    ("(Do Not Modify) Modified On", "modified on"), ("UNQUALIFIED_REASON__C", "unqualified reason"),
    ("Lead-Inhaber", "lead inhaber"), ("Geändert am", "geaendert am"), ("\ufeff\"ID\"", "id"),
    ("Lead: Lead Source", "lead source"), ("LASTMODIFIEDDATE", "lastmodifieddate"), ("Begründung", "begruendung"),
])
def test_normalize_header(label, expected):
    assert normalize_header(label) == expected


@pytest.mark.parametrize("label, role, expected", [
    ("Ablehnungsgrund", "note", 1.0), ("Lost reason", "note", 1.0), ("Notiz", "note", 0.75),
    ("Grund der Absage", "note", 0.5), ("Status Reason", "note", -1.0), ("Company Name", "note", -1.0),
    ("Owner ID", "id", -1.0), ("hubspot_owner_id", "owner", 1.0), ("Expected Close Date", "date", -1.0),
    ("LASTMODIFIEDDATE", "date", 0.7), ("Lead-Quelle", "source", 1.0), ("Statusgrund", "status", 1.0),
    ("Data Source", "source", -1.0), ("Last Modified By", "owner", -1.0),
])
def test_header_score(label, role, expected):
    assert header_score(label, role) == pytest.approx(expected)


def _frame(columns: dict[str, list[str]]) -> pd.DataFrame:
    n = max(len(v) for v in columns.values())
    return pd.DataFrame({k: (v * n)[:n] for k, v in columns.items()})


IDS = [f"00Q5e00000AbC{k:02d}x" for k in range(6)]
CRMS = {
    "hubspot labels": ({"Record ID": [str(9001 + k) for k in range(6)], "Contact owner": ["Anna Schmidt", "Tom Becker"],
                        "Lead Status": ["Unqualified", "Bad Timing"], "Original Source": ["Organic Search", "Referrals"],
                        "Unqualified Reason": NOTES, "Last Modified Date": ["2026-03-01 09:00"]},
                       {"note": "Unqualified Reason", "id": "Record ID", "date": "Last Modified Date",
                        "owner": "Contact owner", "status": "Lead Status", "source": "Original Source"}),
    "hubspot internal": ({"hs_object_id": [str(51 + k) for k in range(6)], "hubspot_owner_id": ["32891374", "41002933"],
                          "hs_lead_status": ["UNQUALIFIED", "BAD_TIMING"], "hs_note_body": NOTES,
                          "hs_timestamp": ["1767225600000"], "hs_analytics_source": ["ORGANIC_SEARCH", "REFERRALS"]},
                         {"note": "hs_note_body", "id": "hs_object_id", "date": "hs_timestamp", "owner": "hubspot_owner_id",
                          "status": "hs_lead_status", "source": "hs_analytics_source"}),
    "salesforce de": ({"Lead-ID": IDS, "Lead-Inhaber": ["Anna Schmidt", "Tom Becker"], "Lead-Status": ["Unqualified"],
                       "Beschreibung": NOTES, "Erstelldatum": ["13.01.2026", "02.03.2026"], "Lead-Quelle": ["Messe", "Web"]},
                      {"note": "Beschreibung", "id": "Lead-ID", "date": "Erstelldatum", "owner": "Lead-Inhaber",
                       "status": "Lead-Status", "source": "Lead-Quelle"}),
    "salesforce data loader": ({"ID": IDS, "OWNERID": ["0055e000001AbCd", "0055e000002XyZq"], "STATUS": ["Unqualified"],
                                "DESCRIPTION": NOTES, "LASTMODIFIEDDATE": ["2026-01-05T10:00:00.000Z"],
                                "LEADSOURCE": ["Web", "Trade Show"]},
                               {"note": "DESCRIPTION", "id": "ID", "date": "LASTMODIFIEDDATE", "owner": "OWNERID",
                                "status": "STATUS", "source": "LEADSOURCE"}),
    "pipedrive old": ({"Deal - ID": [str(k) for k in range(6)], "Deal - Title": ["Deal A", "Deal B"],
                       "Deal - Owner": ["Anna Schmidt", "Tom Becker"], "Deal - Status": ["lost", "won"],
                       "Deal - Lost reason": NOTES, "Deal - Lost time": ["2026-01-05 10:00:00"],
                       "Organization - Name": ["ACME GmbH", "Beta AG"]},
                      {"note": "Deal - Lost reason", "id": "Deal - ID", "date": "Deal - Lost time", "owner": "Deal - Owner",
                       "status": "Deal - Status"}),
    "pipedrive notes": ({"ID": [str(k) for k in range(6)], "Content": [f"<p>{n}</p>" for n in NOTES],
                         "Deal ID": ["77", "77", "78"], "Add time": ["2026-01-05 10:00:00"], "User": ["Anna Schmidt"]},
                        {"note": "Content", "id": "ID", "date": "Add time", "owner": "User"}),
    "zoho": ({"Record Id": [f"zcrm_54300000001{k:02d}" for k in range(6)], "Lead Owner": ["Anna Schmidt"],
              "Lead Status": ["Junk Lead", "Not Qualified"], "Description": NOTES, "Modified Time": ["2026-01-05 10:00:00"],
              "Lead Source": ["Cold Call", "Web Form"]},
             {"note": "Description", "id": "Record Id", "date": "Modified Time", "owner": "Lead Owner",
              "status": "Lead Status", "source": "Lead Source"}),
    "dataverse": ({"leadid": [f"3f2504e0-4f89-11d3-9a0c-0305e82c33{k:02d}" for k in range(6)], "description": NOTES,
                   "owneridname": ["Anna Schmidt"], "statecodename": ["Disqualified"],
                   "statuscodename": ["Cannot Contact", "No Longer Interested"], "modifiedon": ["2026-01-05T10:00:00Z"]},
                  {"note": "description", "id": "leadid", "date": "modifiedon", "owner": "owneridname",
                   "status": "statuscodename"}),
}


@pytest.mark.parametrize("crm", list(CRMS))
def test_roles_of_each_crm_export(crm):
    columns, expected = CRMS[crm]
    mapping = detect_roles(_frame(columns), source=crm)
    assert mapping.roles == expected


def test_free_text_beats_picklist_which_keeps_its_role():
    frame = _frame({"ID": [str(k) for k in range(6)], "Lost reason": ["Price", "Price", "No budget", "Timing"],
                    "Notes": NOTES})
    mapping = detect_roles(frame)
    assert (mapping.roles["note"], mapping.roles["picklist"]) == ("Notes", "Lost reason")
    only_picklist = detect_roles(frame.drop(columns="Notes"))
    assert only_picklist.roles["note"] == "Lost reason" and "picklist" not in only_picklist.roles


def test_hidden_do_not_modify_id_never_beats_a_visible_id():
    frame = _frame({"(Do Not Modify) Lead": [f"3f2504e0-4f89-11d3-9a0c-0305e82c33{k:02d}" for k in range(6)],
                    "Lead ID": IDS, "Description": NOTES})
    mapping = detect_roles(frame, fallback_only=["(Do Not Modify) Lead"])
    assert mapping.roles["id"] == "Lead ID"
    alone = detect_roles(frame.drop(columns="Lead ID"), fallback_only=["(Do Not Modify) Lead"])
    assert alone.roles["id"] == "(Do Not Modify) Lead"


def test_real_rejection_date_beats_fallbacks_which_are_labelled_approximate():
    frame = _frame({"Notes": NOTES, "Created Date": ["2026-01-01"], "Lost time": ["2026-02-01 10:00:00"]})
    assert detect_roles(frame).roles["date"] == "Lost time" and detect_roles(frame).date_kind == ""
    fallback = detect_roles(frame.drop(columns="Lost time"))
    assert fallback.date_kind == "created" and "approximate: created" in fallback.describe()


def test_headerless_columns_are_assigned_by_values():
    frame = _frame({"column 1": IDS, "column 2": NOTES, "column 3": ["13.01.2026", "02.03.2026"]})
    mapping = detect_roles(frame, has_header=False)
    assert mapping.roles == {"note": "column 2", "id": "column 1", "date": "column 3"}


def test_unknown_role_and_unknown_column_are_input_errors():
    frame = _frame({"Notes": NOTES})
    with pytest.raises(InputError, match="unknown column role"):
        detect_roles(frame, overrides={"reason": "Notes"})
    with pytest.raises(InputError, match="no column `Notiz` \\(given for --text-column\\)"):
        detect_roles(frame, overrides={"note": "Notiz"}, source="x.csv")


@pytest.mark.parametrize("values, expected", [
    (["Unqualified", "Open", "Closed - Not Converted", "Closed - Converted"], [True, False, True, False]),
    (["UNQUALIFIED", "BAD_TIMING", "OPEN_DEAL", "NEW"], [True, True, False, False]),
    (["Verloren", "Gewonnen", "Offen", "Disqualifiziert"], [True, False, False, True]),
    (["lost", "won", "open", "deleted"], [True, False, False, False]),
    (["Custom A", "Custom B"], [True, True]),  # no known rejection status at all: keep everything
])
def test_status_rule_marks_non_rejections(values, expected):
    rule = StatusRule.build(pd.Series(values), "Status")
    assert rule.mask(pd.DataFrame({"Status": values})).tolist() == expected


SHORT_COMMENTS = ["ok", "siehe CRM", "erledigt", "JK", "Rückruf", "n/a"]


@pytest.mark.parametrize("order", [("Comments", "Notes"), ("Notes", "Comments")])
def test_long_note_column_wins_over_a_short_comment_column(order):
    columns = {"ID": IDS, "Notes": NOTES, "Comments": SHORT_COMMENTS}
    mapping = detect_roles(_frame({"ID": IDS, **{name: columns[name] for name in order}}))
    assert mapping.roles["note"] == "Notes"


def test_clear_header_winner_is_chosen_between_two_free_text_columns():
    others = ["Telefonat mit Frau Berg am Montag geführt", "Kunde auf Messe getroffen, Visitenkarte",
              "Webinar besucht, Folien angefordert", "Rückruf vereinbart, nicht erreicht worden",
              "Lead aus Kampagne Herbst übernommen", "Angebot per Mail gesendet, Frist offen"]
    frame = _frame({"ID": IDS, "Activity Log": others, "Disqualification Reason": NOTES})
    mapping = detect_roles(frame)
    assert mapping.roles["note"] == "Disqualification Reason"
    assert mapping.scores["note"]["Disqualification Reason"] > mapping.scores["note"]["Activity Log"]
