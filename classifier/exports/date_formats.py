"""Infer one explicit date format per column and parse with it; never a blanket ``dayfirst``.

pandas reads ``01.02.2024`` as 2 January without a word, and ``dayfirst=True`` turns ISO
``2024-02-01`` into 2 January. Here a column gets one format from explicit candidates:
ISO 8601 first (with ``Z`` or offsets, converted to UTC), then numeric day/month/year
shapes where a first number above 12 proves day-first and a second number above 12 proves
month-first, then English and German month names (``15. März 2024``, ``01. Feb. 2024``), then (only where asked) Excel serials and epochs.
Values that do not fit stay ``NaT`` and are counted.

>>> fmt = infer_format(["03.04.2024 09:15", "25.12.2023 14:30", "01.02.2024"])
>>> fmt.format, fmt.ambiguous
('%d.%m.%Y %H:%M', False)
>>> parse_dates(pd.Series(["25.12.2023", "gestern"]), fmt).tolist()
[Timestamp('2023-12-25 00:00:00'), NaT]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$", re.I
)
_ISO_TZ = re.compile(r"(?:Z|UTC|[+-]\d{2}:?\d{2})$", re.I)
_TIME = r"(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?"
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})\.?" + _TIME + r"$")
_YMD = re.compile(r"^(\d{4})([./])(\d{1,2})\2(\d{1,2})" + _TIME + r"$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_NAMED = ("%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y", "%d-%b-%y", "%b %d %Y")
SAMPLE = 2000
GERMAN = "%d. %B %Y"  # German month names ("15. März 2024", "01. Feb. 2024"), parsed via English ones
_GERMAN_MONTHS = {
    "jan": "Jan", "januar": "Jan", "jän": "Jan", "jänner": "Jan", "feb": "Feb", "februar": "Feb", "mär": "Mar",
    "märz": "Mar", "maerz": "Mar", "mrz": "Mar", "apr": "Apr", "april": "Apr", "mai": "May", "jun": "Jun",
    "juni": "Jun", "jul": "Jul", "juli": "Jul", "aug": "Aug", "august": "Aug", "sep": "Sep", "sept": "Sep",
    "september": "Sep", "okt": "Oct", "oktober": "Oct", "nov": "Nov", "november": "Nov", "dez": "Dec",
    "dezember": "Dec",
}
_GERMAN_DATE = re.compile(
    r"^(\d{1,2})\.?\s*(" + "|".join(sorted(_GERMAN_MONTHS, key=len, reverse=True)) + r")\.?\s*(\d{4}|\d{2})$", re.I
)


def _german_to_english(values: pd.Series) -> pd.Series:
    """``15. März 2024`` -> ``15 Mar 2024`` (two-digit years like %y); other values become empty."""
    parts = values.str.extract(_GERMAN_DATE.pattern, flags=re.I)
    year = pd.to_numeric(parts[2], errors="coerce")
    year = year.where(year >= 100, year + (year > 68) * -100 + 2000)
    month = parts[1].str.lower().map(_GERMAN_MONTHS)
    return (parts[0] + " " + month + " " + year.astype("Int64").astype(str)).fillna("")


@dataclass(frozen=True)
class DateFormat:
    """The one format chosen for a column, and how well it fits the sample."""

    format: str  # strftime pattern, "ISO 8601", "Excel serial", "epoch s" or "epoch ms"
    share: float  # share of non-empty sample values that parse
    ambiguous: bool = False  # day/month order not decided by any value
    order: str = ""  # "DMY", "MDY" or "" for other shapes
    utc: bool = False  # offsets or Z were converted to UTC (result is naive UTC)

    def describe(self) -> str:
        """Short human label, e.g. ``%d.%m.%Y`` or ``ISO 8601, converted to UTC``."""
        return self.format + (", converted to UTC" if self.utc else "")


def _sample(values: Iterable[str]) -> list[str]:
    out = []
    for value in values:
        value = str(value).strip()
        if value:
            out.append(value)
            if len(out) >= SAMPLE:
                break
    return out


def _numeric_format(matches: list[re.Match[str]], order: str) -> str:
    sep = matches[0].group(2)
    year = "%Y" if sum(len(m.group(4)) == 4 for m in matches) * 2 >= len(matches) else "%y"
    date = sep.join(("%d", "%m") if order == "DMY" else ("%m", "%d")) + sep + year
    timed = [m for m in matches if m.group(5)]
    if len(timed) * 2 < len(matches):
        return date
    if sum(bool(m.group(8)) for m in timed) * 2 >= len(timed):
        return date + " %I:%M %p"
    return date + (" %H:%M:%S" if sum(bool(m.group(7)) for m in timed) * 2 >= len(timed) else " %H:%M")


def infer_format(values: Iterable[str], *, dayfirst_hint: bool | None = None, numeric: bool = False) -> DateFormat | None:
    """Choose one format for a column from a sample of its values; ``None`` if nothing fits.

    ``dayfirst_hint`` (from the file's locale) settles columns where no value decides the
    order; such a result is marked ``ambiguous``. ``numeric`` allows Excel serials and
    Unix epochs (only sensible for columns whose header says "date").
    """
    sample = _sample(values)
    if not sample:
        return None
    n = len(sample)
    candidates: list[DateFormat] = []
    iso = [v for v in sample if _ISO.match(v)]
    if iso:
        candidates.append(DateFormat("ISO 8601", len(iso) / n, utc=any(_ISO_TZ.search(v) for v in iso)))
    ymd = [v for v in sample if _YMD.match(v)]
    if ymd:
        sep = _YMD.match(ymd[0]).group(2)  # type: ignore[union-attr]
        candidates.append(DateFormat(f"%Y{sep}%m{sep}%d", len(ymd) / n, order="YMD"))
    numeric_matches = [m for m in map(_NUMERIC.match, sample) if m]
    if numeric_matches:
        seps = pd.Series([m.group(2) for m in numeric_matches]).mode()[0]
        same_sep = [m for m in numeric_matches if m.group(2) == seps]
        day_first = sum(int(m.group(1)) > 12 and int(m.group(3)) <= 12 for m in same_sep)
        month_first = sum(int(m.group(3)) > 12 and int(m.group(1)) <= 12 for m in same_sep)
        ambiguous = day_first == 0 and month_first == 0
        if ambiguous:
            dmy = dayfirst_hint if dayfirst_hint is not None else seps != "/"
        else:
            dmy = day_first >= month_first
        order = "DMY" if dmy else "MDY"
        fits = [m for m in same_sep if _valid(m, order)]
        candidates.append(
            DateFormat(_numeric_format(same_sep, order), len(fits) / n, ambiguous=ambiguous, order=order)
        )
    if any(c.isalpha() for v in sample[:50] for c in v[:12]):  # month names
        for fmt in _NAMED:
            parsed = pd.to_datetime(pd.Series(sample), format=fmt, errors="coerce")
            if parsed.notna().any():
                candidates.append(DateFormat(fmt, float(parsed.notna().mean())))
        german = pd.to_datetime(_german_to_english(pd.Series(sample)), format="%d %b %Y", errors="coerce")
        if german.notna().any():
            candidates.append(DateFormat(GERMAN, float(german.notna().mean())))
    if numeric:
        serial = [v for v in sample if _SERIAL.match(v) and 20000 <= float(v.replace(",", ".")) <= 80000]
        if serial:
            candidates.append(DateFormat("Excel serial", len(serial) / n))
        epoch = [v for v in sample if _EPOCH.match(v)]
        if epoch:
            unit = "epoch ms" if sum(len(v) == 13 for v in epoch) * 2 >= len(epoch) else "epoch s"
            candidates.append(DateFormat(unit, len(epoch) / n))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c.share)  # max() keeps the first on ties: ISO wins


def _valid(match: re.Match[str], order: str) -> bool:
    day, month = (match.group(1), match.group(3)) if order == "DMY" else (match.group(3), match.group(1))
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _parse_numeric(values: pd.Series, fmt: DateFormat) -> pd.Series:
    pattern = _YMD if fmt.order == "YMD" else _NUMERIC
    parts = values.str.extract(pattern.pattern)
    if fmt.order == "YMD":
        year, month, day = parts[0], parts[2], parts[3]
    else:
        sep = fmt.format[2]
        parts[0] = parts[0].where(parts[1] == sep)
        day, month = (parts[0], parts[2]) if fmt.order == "DMY" else (parts[2], parts[0])
        year = parts[3]
    year = pd.to_numeric(year, errors="coerce")
    year = year.where(year >= 100, year + (year > 68) * -100 + 2000)  # like %y: 69-99 -> 1900s
    hour = pd.to_numeric(parts[4], errors="coerce").fillna(0)
    ampm = parts[7].fillna("").str.lower().str[:1]
    hour = hour.where(ampm != "p", hour % 12 + 12).where(ampm != "a", hour % 12)
    frame = pd.DataFrame(
        {
            "year": year,
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
            "hour": hour,
            "minute": pd.to_numeric(parts[5], errors="coerce").fillna(0),
            "second": pd.to_numeric(parts[6], errors="coerce").fillna(0),
        }
    )
    return pd.to_datetime(frame, errors="coerce")


def parse_dates(values: pd.Series, fmt: DateFormat | None) -> pd.Series:
    """Parse a text column with the inferred format; unparseable values become ``NaT``."""
    index = values.index
    if fmt is None or len(values) == 0:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    text = values.astype(str).str.strip()
    if fmt.format == "ISO 8601":
        if text.str.contains("utc", case=False, regex=False).any():
            text = text.str.replace(r"\s*UTC$", "Z", regex=True, case=False)
        text = text.where(text.str.match(r"\d{4}-\d{2}-\d{2}", na=False).astype(bool))
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.dt.tz_convert(None)
    elif fmt.order in ("DMY", "MDY", "YMD"):
        parsed = pd.to_datetime(text, format=fmt.format, errors="coerce")  # fast path: the majority shape
        rest = parsed.isna() & (text != "")
        if rest.any():  # other time variants, single digits: the same day/month order, parsed by parts
            parsed = parsed.astype("datetime64[ns]")
            parsed[rest] = _parse_numeric(text[rest], fmt).astype("datetime64[ns]")
    elif fmt.format == "Excel serial":
        number = pd.to_numeric(text.str.replace(",", "."), errors="coerce")
        number = number.where(number.between(20000, 80000))
        parsed = pd.to_datetime(number, unit="D", origin="1899-12-30", errors="coerce")
    elif fmt.format.startswith("epoch"):
        number = pd.to_numeric(text.where(text.str.match(_EPOCH.pattern)), errors="coerce")
        parsed = pd.to_datetime(number, unit="ms" if fmt.format.endswith("ms") else "s", errors="coerce")
    elif fmt.format == GERMAN:
        parsed = pd.to_datetime(_german_to_english(text), format="%d %b %Y", errors="coerce")
    else:
        parsed = pd.to_datetime(text, format=fmt.format, errors="coerce")
    return pd.Series(parsed.to_numpy(dtype="datetime64[ns]"), index=index)
