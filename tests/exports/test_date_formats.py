"""Dates: one explicit format per column, ambiguity reported, unparseable values counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.exports.date_formats import infer_format, parse_dates
from classifier.exports import read_export

DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize("column, fmt, first, ambiguous", [
    ("Abgelehnt am", "%d.%m.%Y", "2026-01-13 00:00:00", False),
    ("Close Date", "%m/%d/%Y", "2026-01-15 00:00:00", False),
    ("Lost time", "ISO 8601, converted to UTC", "2026-01-05 10:00:00", False),
    ("Created", "Excel serial", "2026-01-05 00:00:00", False),
    ("Geändert am", "%d.%m.%y", "2026-02-03 00:00:00", False),
    ("Stand", "%d.%m.%Y", "2026-02-01 00:00:00", True),
])
def test_case21_one_explicit_format_per_column(column, fmt, first, ambiguous):
    export = read_export(DATA / "case21_dates.csv", roles={"date": column})
    assert f"date <- `{column}` (format {fmt}" in export.notices[1]
    assert str(export.dates()[0]) == first
    assert export.dates().notna().all()
    assert any("fit both day-first and month-first" in n for n in export.notices) == ambiguous


def test_case21_offsets_become_utc_and_unparseable_values_are_counted():
    export = read_export(DATA / "case21_dates.csv", roles={"date": "Lost time"})
    assert [str(d) for d in export.dates()] == ["2026-01-05 10:00:00", "2026-01-06 08:00:00", "2026-01-07 08:30:00"]
    mixed = read_export(DATA / "case21_dates.csv", roles={"date": "Datum"})
    assert mixed.dates().isna().sum() == 2
    assert "2 values in `Datum` do not match ISO 8601 and are left empty, e.g. line 3: '05.01.2026'" in mixed.notices[-1]


def test_dotted_dates_are_never_flipped_like_pandas_does():
    fmt = infer_format(["01.02.2024", "13.02.2024"])
    assert parse_dates(pd.Series(["01.02.2024"]), fmt)[0] == pd.Timestamp("2024-02-01")
    iso = infer_format(["2024-02-01"], dayfirst_hint=True)
    assert parse_dates(pd.Series(["2024-02-01"]), iso)[0] == pd.Timestamp("2024-02-01")


def test_month_first_dots_when_the_data_says_so():
    fmt = infer_format(["10.28.2023", "01.02.2023"])  # HubSpot's own import examples
    assert (fmt.format, fmt.order, fmt.ambiguous) == ("%m.%d.%Y", "MDY", False)


def test_ambiguous_column_follows_the_locale_hint_and_says_so():
    assert infer_format(["01/02/2024"]).order == "MDY"
    german = infer_format(["01/02/2024"], dayfirst_hint=True)
    assert german.order == "DMY" and german.ambiguous


@pytest.mark.parametrize("values, fmt, expected", [
    (["1/15/2024 3:45 PM", "2/1/2024 10:00 AM"], "%m/%d/%Y %I:%M %p", "2024-01-15 15:45:00"),
    (["03.02.26", "25.12.99"], "%d.%m.%y", "2026-02-03 00:00:00"),
    (["15-Jan-2024", "03-Feb-2024"], "%d-%b-%Y", "2024-01-15 00:00:00"),
    (["2024/01/15", "2024/02/01"], "%Y/%m/%d", "2024-01-15 00:00:00"),
    (["13.01.2026 14:30", "02.03.2026 09:05"], "%d.%m.%Y %H:%M", "2026-01-13 14:30:00"),
])
def test_explicit_formats(values, fmt, expected):
    found = infer_format(values)
    assert found.format == fmt
    assert str(parse_dates(pd.Series(values), found)[0]) == expected


def test_excel_serials_and_epochs_only_when_numbers_are_allowed():
    assert infer_format(["45000", "45001"]) is None
    assert infer_format(["45000", "45001"], numeric=True).format == "Excel serial"
    epoch = infer_format(["1704067200000"], numeric=True)
    assert parse_dates(pd.Series(["1704067200000"]), epoch)[0] == pd.Timestamp("2024-01-01")


def test_nothing_to_infer():
    assert infer_format(["", " "]) is None and infer_format(["kein Datum"]) is None
    assert parse_dates(pd.Series(["x"]), None).isna().all()


FORMATS = ["%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%SZ", "%d.%m.%y", "%m.%d.%Y"]


@settings(max_examples=80, deadline=None)
@given(days=st.lists(st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2068, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)), min_size=1, max_size=20), fmt=st.sampled_from(FORMATS))
def test_property_dates_read_back_equal(days, fmt):
    days = days + [dt.datetime(2024, 1, 13, 10, 30)]  # one day above 12 decides the order
    if "%H" not in fmt:
        days = [d.replace(hour=0, minute=0) for d in days]
    values = pd.Series([d.strftime(fmt) for d in days])
    found = infer_format(values)
    assert parse_dates(values, found).tolist() == [pd.Timestamp(d) for d in days]
