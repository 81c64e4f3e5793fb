"""The shared types of a read export: :class:`Export` (rows, roles, notices) and :class:`Schema`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from classifier.errors import InputError
from classifier.exports.date_formats import DateFormat, parse_dates
from classifier.exports.statuses import StatusRule
from classifier.normalize import html_to_text, is_empty_note

EXCEL_ERROR = r"^\s*(?:#(?:NAME\?|WERT!|VALUE!|REF!|BEZUG!|DIV/0!|NUM!|ZAHL!|NULL!|NV|N/A|SPILL!|ÜBERLAUF!)|=.*)\s*$"


@dataclass
class Schema:
    """What every chunk of one export shares: date format and the rejection rule."""

    date_format: DateFormat | None = None
    status: StatusRule = field(default_factory=StatusRule)


@dataclass
class Export:
    """Data rows of an export (all text), the detected column roles and notices for the user."""

    frame: pd.DataFrame
    roles: dict[str, str]
    notices: list[str]
    source: str
    lines: pd.Series | None = None  # source line (CSV) or sheet row of each data row
    schema: Schema = field(default_factory=Schema, repr=False)
    _dates: pd.Series | None = field(default=None, repr=False)
    _text: pd.Series | None = field(default=None, init=False, repr=False, compare=False)

    def _note(self) -> pd.Series:
        if "note" not in self.roles:
            raise InputError(f"{self.source}: no note column; name it with --text-column")
        return self.frame[self.roles["note"]]

    def note_text(self) -> pd.Series:
        """The note as plain text for the model: HTML converted, one leading apostrophe removed (computed once)."""
        if self._text is None or not self._text.index.equals(self.frame.index):
            self._text = self._note_text()
        return self._text

    def _note_text(self) -> pd.Series:
        notes = self._note().astype(object)
        html = notes.str.contains("[<&]", regex=True, na=False).astype(bool)
        if html.any():
            notes = notes.copy()
            notes[html] = notes[html].map(html_to_text)
        return notes.str.replace(r"^'", "", n=1, regex=True).astype(str)

    def is_empty_note(self) -> pd.Series:
        """True for notes with no usable reason ("", "-", "n/a", "NA", "None"): label ``other``."""
        text = self.note_text()
        short = text.str.len() <= 40
        out = text.str.fullmatch(r"[\W_]*", na=True).astype(bool)
        shorts = text[short]
        out[short] = shorts.map({note: is_empty_note(note) for note in shorts.unique()}).astype(bool)  # each distinct note once
        return out

    def excel_damaged(self) -> pd.Series:
        """True for notes that Excel destroyed (``#NAME?``, ``#WERT!``, formulas): the text is lost."""
        notes = self._note()
        out = pd.Series(False, index=notes.index)
        maybe = notes.str.lstrip().str.startswith(("#", "=")).fillna(False).astype(bool)
        if maybe.any():
            out[maybe] = notes[maybe].str.match(EXCEL_ERROR, na=False).astype(bool)
        return out

    def dates(self) -> pd.Series:
        """Parsed datetimes of the date role (NaT where unparseable), or all-NaT without one."""
        if self._dates is None:
            column = self.roles.get("date")
            values = self.frame[column] if column else pd.Series("", index=self.frame.index)
            self._dates = parse_dates(values, self.schema.date_format if column else None)
        return self._dates

    def is_rejection(self) -> pd.Series:
        """True for rows to analyse: every row unless a status says converted, won, open, qualified."""
        return self.schema.status.mask(self.frame)
