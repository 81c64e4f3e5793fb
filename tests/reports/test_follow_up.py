"""Follow-up dates from the time a rejection note names (classifier/followup.py)."""

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.reports.follow_up import follow_up_date, follow_up_dates

REJECTED = date(2026, 5, 12)  # a Tuesday in Q2, ISO week 20

# (note, expected follow-up) for notes rejected on REJECTED.
NOTES = [
    # German
    ("bitte in Q3 nochmal anrufen", date(2026, 7, 1)),
    ("Nicht jetzt. Kontakt sagt ab März wieder", date(2027, 3, 1)),
    ("Projekt auf nächstes Jahr verschoben.", date(2027, 1, 1)),
    ("Wiedervorlage in 6 Monaten", date(2026, 11, 12)),
    ("in 3 Wochen nochmal melden, gerade Messevorbereitung", date(2026, 6, 2)),
    ("in sechs Monaten nochmal versuchen, Projekt ist verschoben nicht gestrichen", date(2026, 11, 12)),
    ("Wiedervorlage 03/2027, Projekt bestätigt", date(2027, 3, 1)),
    ("WV 03.2027", date(2027, 3, 1)),
    ("Thema erst ab März 2027", date(2027, 3, 1)),
    ("Budget erst im Q1 2027 freigegeben", date(2027, 1, 1)),
    ("Projekt ist für das 2. Halbjahr eingeplant", date(2026, 7, 1)),
    ("Ende des Jahres nochmal anrufen", date(2026, 12, 1)),
    ("zum Jahresende nachfassen", date(2026, 12, 1)),
    ("IT bis Jahresende voll ausgelastet", date(2027, 1, 1)),
    ("Umzug ins neue Lager hat Vorrang. Nach dem Sommer.", date(2026, 9, 1)),
    ("Herr Fässler bittet, im Herbst wieder anzurufen", date(2026, 9, 1)),
    ("Wiederaufnahme voraussichtlich im Frühjahr 2027", date(2027, 3, 1)),
    ("passt zeitlich erst ab KW 45", date(2026, 11, 2)),
    ("Rückruf KW 12 vereinbart, derzeit keine Kapazitäten", date(2027, 3, 22)),
    ("verschoben auf nächstes GJ", date(2027, 1, 1)),
    ("Budget erst im GJ 2027", date(2027, 1, 1)),
    ("Vertrag läuft bis 06/2027", date(2027, 3, 3)),
    ("Vertrag mit Soloplan läuft bis 31.12.2026, vorher ist kein Wechsel möglich.", date(2026, 10, 2)),
    ("Wiedervorlage am 15.03.2027", date(2027, 3, 15)),
    ("Rückruf zum 31.12.", date(2026, 12, 31)),
    ("[AH 11/9] nicht jetzt, Jänner", date(2027, 1, 1)),
    ("Projekt auf Eis bis Mitte nächsten Jahres.", date(2027, 7, 1)),
    ("IT ausgelastet bis Ende Q3", date(2026, 10, 1)),
    ("ERP-Einführung läuft, frühestens Q4/26", date(2026, 10, 1)),
    ("Bedarf bestätigt, Umsetzung frühestens nach Ostern.", date(2027, 3, 30)),
    ("gerade Hochsaison, melden sich nach Weihnachten", date(2027, 1, 1)),
    ("kein Budget dieses Jahr", date(2027, 1, 1)),
    ("Heuer nicht mehr, das Projekt ist für Jänner geplant.", date(2027, 1, 1)),
    ("Vorstand hat das Programm um ein halbes Jahr verschoben", date(2026, 11, 12)),
    ("Projektleiterin in Elternzeit, in drei Monaten wieder melden", date(2026, 8, 12)),
    ("Nach der Messe (transport logistic) wieder melden", None),
    # English
    ("Bad timing, call back in Q3", date(2026, 7, 1)),
    ("project pushed to next year", date(2027, 1, 1)),
    ("keen but not now. follow up in 6 months", date(2026, 11, 12)),
    ("Strikes hitting them hard, asked to talk again in two weeks.", date(2026, 5, 26)),
    ("contract runs until June 2027", date(2027, 3, 3)),
    ("Revisit March 2027.", date(2027, 3, 1)),
    ("RFP planned for Q1 2027", date(2027, 1, 1)),
    ("Q3/27 at the earliest", date(2027, 7, 1)),
    ("hiring freeze, HR tooling project planned for H2", date(2026, 7, 1)),
    ("Wrong time. Back at end of year.", date(2026, 12, 1)),
    ("team is fully booked until end of year", date(2027, 1, 1)),
    ("Busy with ERP go-live, maybe after summer.", date(2026, 9, 1)),
    ("call again in the fall", date(2026, 9, 1)),
    ("They have a live RFP planned for next spring.", date(2027, 3, 1)),
    ("call back CW12", date(2027, 3, 22)),
    ("Project paused & moved to next FY due to competing priorities", date(2027, 1, 1)),
    ("budget only in FY27", date(2027, 1, 1)),
    ("reach out on 2027-03-15", date(2027, 3, 15)),
    ("Contract with Soloplan ends 30/06, will consider switching then.", REJECTED),
    ("locked in until Dec 2026, no early exit", date(2026, 9, 2)),
    ("Call back after Easter, CISO is doing budget planning.", date(2027, 3, 30)),
    ("Check again in a year maybe", date(2027, 5, 12)),
    ("Owner recovering from surgery, decision postponed a few months.", date(2026, 8, 12)),
    ("Asked us to come back first week of September.", date(2026, 9, 1)),
    ("Project exists, paused. Maybe mid next year.", date(2027, 7, 1)),
    ("Circle back late 2026", date(2026, 12, 1)),
    ("Strong fit, but they just started a 9-month data centre consolidation.", date(2027, 2, 12)),
    ("[PB 5/6] After the trade fair in Gothenburg.", None),
    ("Reorganisation of the Nordic branches, topic back on the table in autumn.", date(2026, 9, 1)),
    ("contract with BambooHR runs until March, reach out in Jan", date(2026, 12, 1)),
    ("reach out in Jan", date(2027, 1, 1)),
    ("GDPR audit ongoing, back in six weeks", date(2026, 6, 23)),
    # mixed
    ("bad timing, call back im Q3", date(2026, 7, 1)),
    ("bad timing - Projekt ist gesetzt, aber erst next year", date(2027, 1, 1)),
    ("Need ist da, aber not before 2027", date(2027, 1, 1)),
    ("Rückruf in two weeks, aktuell busy", date(2026, 5, 26)),
    ("contract mit HubSpot läuft bis 03/2027", date(2026, 12, 1)),
    ("Reorg im Headquarter, follow-up nach dem Sommer", date(2026, 9, 1)),
    ("14.01. JK - kein Budget bis Q3", date(2026, 7, 1)),
    ("nächstes Jahr im Frühjahr nochmal", date(2027, 3, 1)),
    ("TIMING - RFP for endpoint security planned for Q2 next year", date(2027, 4, 1)),
]


@pytest.mark.parametrize(("note", "expected"), NOTES)
def test_follow_up_table(note, expected):
    assert follow_up_date(note, REJECTED) == expected


def test_follow_up_table_has_40_distinct_notes():
    assert len(NOTES) >= 40
    assert len({note for note, _ in NOTES}) == len(NOTES)


@pytest.mark.parametrize(
    ("note", "rejected_on", "expected"),
    [
        ("Q1 wieder melden", date(2026, 11, 3), date(2027, 1, 1)),
        ("call back Q1", date(2026, 12, 31), date(2027, 1, 1)),
        ("ab März", date(2026, 4, 2), date(2027, 3, 1)),
        ("ab März", date(2026, 2, 27), date(2026, 3, 1)),
        ("KW 2", date(2026, 12, 20), date(2027, 1, 11)),
        ("nächstes Jahr", date(2026, 12, 31), date(2027, 1, 1)),
        ("Jänner", date(2026, 12, 15), date(2027, 1, 1)),
        ("31.12.", date(2027, 1, 2), date(2027, 12, 31)),
        ("in 2 Monaten", date(2026, 12, 31), date(2027, 2, 28)),
        ("Winter", date(2027, 1, 20), date(2027, 1, 20)),
    ],
)
def test_follow_up_rolls_over_the_year(note, rejected_on, expected):
    assert follow_up_date(note, rejected_on) == expected


@pytest.mark.parametrize("note", ["Q2", "im Mai", "Frühjahr", "im Laufe des Quartals", "H1"])
def test_follow_up_period_in_progress_is_the_rejection_date(note):
    assert follow_up_date(note, REJECTED) == REJECTED


@pytest.mark.parametrize(
    "note",
    [
        "",
        "kein Bedarf",
        "not interested, uses a competitor",
        "nach der Messe",
        "after the trade fair",
        "Jan aus dem Einkauf entscheidet",
        "they may look at it",
        "in diesem Fall kein Projekt",
        "we buy licences once a year",
        "seit 2019 Kunde bei Wettbewerber",
        "vor 3 Wochen schon mal angerufen",
        "called 2 weeks ago, no answer",
        "Strategie 2030 noch offen",
        "Termin war am 02.03.2026",
    ],
)
def test_follow_up_without_time_is_none(note):
    assert follow_up_date(note, REJECTED) is None


def test_follow_up_default_days_only_without_time():
    assert follow_up_date("kein Bedarf", REJECTED, default_days=30) == date(2026, 6, 11)
    assert follow_up_date("Q3", REJECTED, default_days=30) == date(2026, 7, 1)
    assert follow_up_date(None, REJECTED, default_days=0) == REJECTED


def test_follow_up_contract_lead_days_is_a_parameter():
    note = "Vertrag läuft bis 31.12.2026"
    assert follow_up_date(note, REJECTED) == date(2026, 10, 2)
    assert follow_up_date(note, REJECTED, contract_lead_days=0) == date(2026, 12, 31)
    assert follow_up_date(note, REJECTED, contract_lead_days=30) == date(2026, 12, 1)
    assert follow_up_date("Vertrag läuft noch 18 Monate", REJECTED) == date(2027, 8, 14)


def test_follow_up_contract_ending_soon_is_the_rejection_date():
    assert follow_up_date("Vertrag läuft bis 07/2026", REJECTED) == REJECTED


@pytest.mark.parametrize(
    "note",
    ["Q3", "q3", "im Q3", "Q 3", "3. Quartal", "drittes Quartal", "third quarter", "Q3 2026", "Q3/26", "Q3'26",
     "Q3ish"],
)
def test_follow_up_quarter_spellings(note):
    assert follow_up_date(note, REJECTED) == date(2026, 7, 1)


@pytest.mark.parametrize(
    "note",
    ["nächstes Jahr", "NÄCHSTES JAHR", "naechstes jahr", "nachstes Jahr", "im nächsten Jahr", "next year",
     "Next Year!", "kommendes Jahr", "im neuen Jahr", "nächstes Geschäftsjahr", "next fiscal year", "2027",
     "Anfang 2027"],
)
def test_follow_up_next_year_spellings(note):
    assert follow_up_date(note, REJECTED) == date(2027, 1, 1)


@pytest.mark.parametrize(
    "note",
    ["März", "Maerz", "Marz", "Mrz", "Mrz.", "march", "from March", "Mar 2027", "ab Maerz", "03/2027", "3/2027",
     "03.2027", "03-2027", "03/27", "Anfang März"],
)
def test_follow_up_month_spellings(note):
    assert follow_up_date(note, REJECTED) == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Jänner", date(2027, 1, 1)), ("Feb", date(2027, 2, 1)), ("Sept", date(2026, 9, 1)),
        ("Okt.", date(2026, 10, 1)), ("Dez", date(2026, 12, 1)), ("Juni", date(2026, 6, 1)),
        ("Oct", date(2026, 10, 1)), ("in May next year", date(2027, 5, 1)),
    ],
)
def test_follow_up_month_abbreviations(note, expected):
    assert follow_up_date(note, REJECTED) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("in zwei Wochen", date(2026, 5, 26)), ("in zwölf Monaten", date(2027, 5, 12)),
        ("in einem Monat", date(2026, 6, 12)), ("in a month", date(2026, 6, 12)),
        ("in ten days", date(2026, 5, 22)), ("in 1-2 Monaten", date(2026, 6, 12)),
        ("in ein paar Wochen", date(2026, 6, 2)), ("in a couple of weeks", date(2026, 5, 26)),
        ("in 1,5 Jahren", date(2027, 11, 12)), ("in 2 Quartalen", date(2026, 11, 12)),
    ],
)
def test_follow_up_durations(note, expected):
    assert follow_up_date(note, REJECTED) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Mitte März", date(2027, 3, 15)), ("Ende März", date(2027, 3, 25)), ("nach März", date(2027, 4, 1)),
        ("Mitte 2027", date(2027, 7, 1)), ("nach Q3", date(2026, 10, 1)), ("Ende Q3", date(2026, 9, 1)),
        ("mid-2027", date(2027, 7, 1)), ("end of Q4", date(2026, 12, 1)), ("nach 2026", date(2027, 1, 1)),
    ],
)
def test_follow_up_position_words(note, expected):
    assert follow_up_date(note, REJECTED) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("14.01. JK - Q3 wieder", date(2026, 7, 1)),
        ("12.05.2026: Kunde meldet sich Q4", date(2026, 10, 1)),
        ("[TH 03.04.] Interesse da, erst Q4", date(2026, 10, 1)),
        ("KW12 Call: ab Herbst", date(2026, 9, 1)),
        ("WV 1.10. - vorher Jahresplanung", date(2026, 10, 1)),
    ],
)
def test_follow_up_skips_note_time_stamps(note, expected):
    assert follow_up_date(note, REJECTED) == expected


def test_follow_up_skips_past_dates():
    assert follow_up_date("Termin am 02.03.2026 abgesagt, Q3 wieder", REJECTED) == date(2026, 7, 1)
    assert follow_up_date("Q1 2025 verschoben, jetzt Q4", REJECTED) == date(2026, 10, 1)


def test_follow_up_accepts_datetimes_and_defaults_to_today():
    assert follow_up_date("Q3", datetime(2026, 5, 12, 15, 30)) == date(2026, 7, 1)
    assert follow_up_date("Q3", pd.Timestamp("2026-05-12")) == date(2026, 7, 1)
    before = date.today()
    found = follow_up_date("in 2 Tagen")
    assert found in {before + timedelta(days=2), date.today() + timedelta(days=2)}


def test_follow_up_rejects_bad_arguments():
    with pytest.raises(TypeError, match="rejected_on='2026-05-12'"):
        follow_up_date("Q3", "2026-05-12")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="default_days=-1"):
        follow_up_date("Q3", REJECTED, default_days=-1)
    with pytest.raises(ValueError, match="3 notes but 2 dates"):
        follow_up_dates(["a", "b", "c"], [REJECTED, REJECTED])


def test_follow_up_dates_matches_the_scalar_function():
    notes = [note for note, _ in NOTES]
    assert follow_up_dates(notes, [REJECTED] * len(notes)) == [expected for _, expected in NOTES]


def test_follow_up_dates_reads_pandas_columns_with_missing_values():
    frame = pd.DataFrame(
        {"note": ["Q3", "Q3", None], "date": pd.to_datetime(["2026-05-12", "2026-11-01", "2026-05-12"])}
    )
    assert follow_up_dates(frame["note"], frame["date"]) == [date(2026, 7, 1), date(2027, 7, 1), None]
    today = date.today()
    assert follow_up_dates(["Q3"], [pd.NaT])[0] >= today


FRAGMENTS = [
    "Q3", "q1 2027", "Q3/27", "H2", "2. Halbjahr", "KW 53", "KW 12", "CW 0", "ab März", "from March", "Jänner", "may",
    "Jan", "nächstes Jahr", "next FY", "FY27", "GJ 2099", "in 6 Monaten", "in two weeks", "in 999 Jahren", "in a",
    "31.12.", "29.02.", "31.02.2027", "2027-02-30", "15.03.2027", "03/2027", "13/2027", "30/06", "Ende", "Mitte",
    "nach", "bis Ende", "des Jahres", "Jahresende", "Vertrag läuft bis", "contract until", "nach dem Sommer", "fall",
    "Herbst", "Frühjahr", "Winter", "Ostern", "Weihnachten", "dieses Jahr", "heuer", "seit", "vor", "ago", "-", ":",
    "[AB", "]", "14.01.", " ", ",", ".", "\n", "2027", "1900", "2200", "anderthalb", "Jahre", "mid-", "FY 00",
]


@settings(max_examples=300, deadline=None)
@given(
    note=st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS), max_size=8).map(" ".join)),
    rejected_on=st.dates(),
    default_days=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_follow_up_never_raises_nor_goes_back(note, rejected_on, default_days):
    found = follow_up_date(note, rejected_on, default_days=default_days)
    assert found is None or found >= rejected_on
    if default_days is not None:
        assert found is not None


# Issue 12: two-digit years after a space, "2H", call-log dates and the current year.
@pytest.mark.parametrize(
    "note, expected",
    [
        ("erst Q4 27 wieder", date(2027, 10, 1)),
        ("Sommer 27 nochmal anfragen", date(2027, 6, 1)),
        ("Budget erst H1 28", date(2028, 1, 1)),
        ("Projekt 2H 2027", date(2027, 7, 1)),
        ("Rollout 1H/28 geplant", date(2028, 1, 1)),
        ("Telefonat 11.05.: erst Q4", date(2026, 10, 1)),
        ("call 05.05.: not before Q3", date(2026, 7, 1)),
        ("Q3 15.08. anrufen", date(2026, 7, 1)),  # a date after the quarter is no two-digit year
        ("Termin 15.06. vereinbart", date(2026, 6, 15)),  # a day still ahead is a date to call
    ],
)
def test_follow_up_rough_edges(note, expected):
    assert follow_up_date(note, REJECTED) == expected


def test_follow_up_current_year_number_agrees_with_dieses_jahr():
    assert follow_up_date("kein Budget 2026", REJECTED) == follow_up_date("kein Budget dieses Jahr", REJECTED)
    assert follow_up_date("kein Budget 2026", REJECTED) == date(2027, 1, 1)
    assert follow_up_date("2026 im Herbst", REJECTED) == date(2026, 9, 1)
