"""Per-chunk clean-up of an export and the counts behind its summary notices.

``Checks.shape`` turns a raw chunk into data rows: blank, footer and total rows dropped,
ragged rows reported (overflow fields dropped, or joined back into the last column on
request), columns named, mojibake found (and repaired on request). ``observe`` counts what
the column roles reveal (Excel damage, IDs in scientific notation, duplicate IDs,
unparseable dates, the status distribution); ``finish`` turns the counts into notices.

>>> fix_mojibake("MÃ¼ller â€“ kein Budget")
'Müller – kein Budget'
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import ftfy
import numpy as np
import pandas as pd

from classifier.exports.csv_reader import MOJIBAKE, word_at
from classifier.exports.tables import Chunk, Table, junk_rows

if TYPE_CHECKING:
    from classifier.exports.roles import RoleMap
    from classifier.exports.types import Export, Schema

_RUN = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e"
    "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2,}"
)
_SCIENTIFIC = r"^\s*\d(?:[.,]\d+)?[eE]\+?\d+\s*$"
_OWNER_ID = r"^(?:00[5G][A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?|\d{3,12})$"
_EXCEL_CELL = 32767
_MAX_IDS = 1_000_000  # distinct IDs remembered across chunks to count repeats


class SeenKeys:
    """The 64-bit hashes of values seen so far, as sorted numpy runs: 8 bytes per value.

    Runs of equal size are merged (like a binary counter), so each value is re-sorted about
    log2(n) times and a look-up searches a handful of runs. A set of the ID strings would
    hold about 90 bytes per ID (90 MB at a million rows).

    >>> seen = SeenKeys()
    >>> seen.add(pd.Series(["a", "b"])); seen.contains(pd.Series(["b", "c"])).tolist(), len(seen)
    ([True, False], 2)
    """

    def __init__(self):
        self.runs: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(r) for r in self.runs)

    @staticmethod
    def keys(values: pd.Series) -> np.ndarray:
        return pd.util.hash_pandas_object(values, index=False).to_numpy()

    def contains(self, values: pd.Series | np.ndarray) -> np.ndarray:
        """Which values were added before; ``values`` may be their :meth:`keys` already."""
        keys = values if isinstance(values, np.ndarray) else self.keys(values)
        order = np.argsort(keys)
        probe = keys[order]  # sorted probes walk each run in order: 5x faster than random ones
        hit = np.zeros(len(keys), dtype=bool)
        for run in self.runs:
            at = np.searchsorted(run, probe).clip(max=len(run) - 1)
            hit |= run[at] == probe
        found = np.empty(len(keys), dtype=bool)
        found[order] = hit
        return found

    def add(self, values: pd.Series | np.ndarray) -> None:
        run = _distinct(np.sort(values if isinstance(values, np.ndarray) else self.keys(values)))
        while self.runs and len(self.runs[-1]) <= len(run):
            merged = np.concatenate([self.runs.pop(), run])
            merged.sort(kind="stable")  # timsort merges the two sorted halves in one linear pass
            run = _distinct(merged)
        self.runs.append(run)


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """A sorted array without its repeated values."""
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 (``MÃ¼ller`` -> ``Müller``), also twice over
    (``MÃƒÂ¼ller``) or via Latin-1; ftfy does the work, the project's own pass catches what it leaves.

    >>> fix_mojibake("MÃƒÂ¼ller"), fix_mojibake("GrÃ¶Ã\x9fe")
    ('Müller', 'Größe')
    """

    def fix(match: re.Match[str]) -> str:
        try:
            return match.group().encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match.group()

    for _ in range(4):
        fixed = _RUN.sub(fix, ftfy.fix_encoding(text))
        if fixed == text:
            break
        text = fixed
    return text


def _lines(values: list[int], limit: int = 10) -> str:
    return ", ".join(map(str, values[:limit])) + (", ..." if len(values) > limit else "")


class Checks:
    """Shapes chunks of one export and collects what the user should be told."""

    def __init__(self, name: str, names: list[str], table: Table, repair: bool = False, streaming: bool = True):
        self.name, self.names, self.table, self.repair, self.streaming = name, names, table, repair, streaming
        self.notices: list[str] = list(table.notices)
        self.rows = 0
        self.blank = 0
        self.footers: list[tuple[int, str]] = []
        self.long: list[int] = []
        self.short: list[int] = []
        self.mojibake: list[tuple[int, str]] = []
        self.nul_lines: list[int] = []
        self.counts: Counter = Counter()
        self.status: Counter = Counter()
        self.ids = SeenKeys()
        self.examples: dict[str, list[str]] = {}
        self.mapping: RoleMap | None = None
        self.schema: Schema | None = None

    def shape(self, chunk: Chunk) -> tuple[pd.DataFrame, pd.Series]:
        """Data rows of a raw chunk, with column names and their source lines."""
        frame, lines, fields = chunk.frame, chunk.lines, chunk.fields
        blank, footer = junk_rows(frame)
        keep = ~(blank | footer).to_numpy(dtype=bool)
        self.blank += int(blank.sum())
        if footer.any():
            first = frame.loc[footer].apply(lambda r: next((c for c in r if c), ""), axis=1)
            self.footers += list(zip(lines[footer.to_numpy(dtype=bool)].tolist(), first.tolist()))
        frame, lines = frame.loc[keep], lines[keep]
        n = len(self.names)
        if fields is not None:
            frame = self._ragged(frame, lines, fields[keep], n)
        frame = frame.iloc[:, :n].copy()
        frame.columns = self.names
        frame.index = pd.RangeIndex(self.rows, self.rows + len(frame))
        self.rows += len(frame)
        frame = self._nul(frame, lines)
        if self.table.mojibake is None or self.repair:
            frame = self._mojibake(frame, lines)
        return frame, pd.Series(lines, index=frame.index)

    def _nul(self, frame: pd.DataFrame, lines: np.ndarray) -> pd.DataFrame:
        """Remove NUL bytes (the head check only sees the first 64 KB); count them for a notice."""
        for column in frame.columns:
            hit = frame[column].str.contains("\x00", regex=False, na=False).to_numpy(dtype=bool)
            if hit.any():
                self.counts["nul"] += int(hit.sum())
                if len(self.nul_lines) < 10:
                    self.nul_lines += [int(x) for x in lines[hit][: 10 - len(self.nul_lines)]]
                frame[column] = frame[column].str.replace("\x00", "", regex=False)
        return frame

    def _ragged(self, frame: pd.DataFrame, lines: np.ndarray, fields: np.ndarray, n: int) -> pd.DataFrame:
        short = fields < n
        self.counts["short"] += int(short.sum())
        self.short += lines[short].tolist()[: max(0, 20 - len(self.short))]
        extra = frame.columns[n:]
        long = fields > n
        if not len(extra) or not long.any():
            return frame
        rows = frame.loc[long, extra]
        has_data = (rows != "").any(axis=1).to_numpy(dtype=bool)
        long_idx = np.flatnonzero(long)[has_data]
        self.counts["long_rows"] += len(long_idx)
        self.long += lines[long_idx].tolist()[: max(0, 20 - len(self.long))]
        if self.repair and len(long_idx):
            frame = frame.copy()
            sep = self.table.delimiter or ","
            last = frame.columns[n - 1]
            for pos, count in zip(long_idx, fields[long_idx]):
                tail = frame.iloc[pos, n:count].tolist()
                frame.iat[pos, n - 1] = sep.join([frame.iat[pos, n - 1]] + tail)
            frame[last] = frame[last].astype(str)
        return frame

    def _mojibake(self, frame: pd.DataFrame, lines: np.ndarray) -> pd.DataFrame:
        found = np.zeros(len(frame), dtype=bool)
        for column in frame.columns:
            hit = frame[column].str.contains(MOJIBAKE, regex=True, na=False).to_numpy(dtype=bool)
            if hit.any():
                if len(self.mojibake) < 3:
                    value = frame[column][hit].iloc[0]
                    self.mojibake.append((int(lines[hit][0]), word_at(value, MOJIBAKE.search(value).start())))
                if self.repair:
                    frame[column] = frame[column].where(~hit, frame[column][hit].map(fix_mojibake)).astype(str)
                found |= hit
        self.counts["mojibake"] += int(found.sum())
        return frame

    def start(self, mapping: RoleMap, schema: Schema, first: pd.DataFrame) -> None:
        """Notices about the mapping, once the roles are known."""
        self.mapping, self.schema = mapping, schema
        self.notices.append(f"{self.name}: {mapping.describe()}")
        fmt, column = mapping.date_format, mapping.roles.get("date")
        if fmt and column and fmt.ambiguous:
            order = "day-first" if fmt.order == "DMY" else "month-first"
            why = "the file looks German (semicolons)" if self.table.dayfirst else f"of the '{fmt.format[2]}' separator"
            self.notices.append(
                f"{self.name}: dates in `{column}` fit both day-first and month-first (no day above 12); "
                f"read as {order} ({fmt.format}) because {why}; if that is wrong, re-export the dates as YYYY-MM-DD"
            )
        owner = mapping.roles.get("owner")
        if owner:
            values = first[owner][first[owner] != ""]
            ids = values.str.match(_OWNER_ID, na=False)
            if len(values) and ids.mean() >= 0.8:
                self.notices.append(
                    f"{self.name}: owner `{owner}` holds user IDs (e.g. {values[ids].iloc[0]}), not names; "
                    "names are unavailable in this export, the IDs are kept as they are"
                )

    def observe(self, export: Export) -> None:
        """Count what the roles reveal in one chunk."""
        roles, frame, lines = export.roles, export.frame, export.lines
        if "note" in roles:
            note = frame[roles["note"]]
            self._count("excel", export.excel_damaged(), note, lines)
            self._count("long", note.str.len() >= _EXCEL_CELL, note, lines)
        if "id" in roles:
            ids = frame[roles["id"]]
            maybe = ids.str.contains("e", case=False, regex=False).fillna(False).astype(bool)
            if maybe.any():
                self._count("scientific", ids[maybe].str.match(_SCIENTIFIC, na=False), ids[maybe], lines[maybe])
            keys = SeenKeys.keys(ids[ids != ""])  # hashed once for both look-ups
            dup = pd.Series(keys).duplicated().to_numpy(copy=True)
            if self.ids:
                dup |= self.ids.contains(keys)
            self.counts["duplicate"] += int(dup.sum())
            if self.streaming and len(self.ids) < _MAX_IDS:
                self.ids.add(keys)
        if "date" in roles:
            values = frame[roles["date"]]
            bad = export.dates().isna() & (values.str.strip() != "")
            self._count("dates", bad, values, lines)
        status = roles.get("status")
        if status:
            self.status.update(frame[status].value_counts().to_dict())
        if self.schema and self.schema.status.converted:
            column = self.schema.status.converted
            self.counts["converted"] += int((~frame[column].str.strip().str.casefold().isin(
                {"", "false", "0", "no", "nein", "falsch", "n"})).sum())

    def _count(self, key: str, mask: pd.Series, values: pd.Series, lines: pd.Series | None) -> None:
        mask = mask.fillna(False).astype(bool)
        hits = int(mask.sum())
        if not hits:
            return
        self.counts[key] += hits
        examples = self.examples.setdefault(key, [])
        for value, line in zip(values[mask].head(3), (lines[mask].head(3) if lines is not None else [None] * 3)):
            if len(examples) < 3:
                examples.append(f"line {line}: '{str(value)[:40]}'" if line is not None else f"'{str(value)[:40]}'")

    def finish(self) -> None:
        """Append the summary notices."""
        name, c, ex = self.name, self.counts, self.examples
        roles = self.mapping.roles if self.mapping else {}
        if self.footers or self.blank:
            shown = ", ".join(f"line {line} '{text[:40]}'" for line, text in self.footers[:2])
            self.notices.append(
                f"{name}: dropped {len(self.footers)} footer/total rows" + (f" ({shown})" if shown else "")
                + f" and {self.blank} blank rows; they are not data"
            )
        if self.long:
            what = (f"joined the extra fields into the last column `{self.names[-1]}`" if self.repair else
                    f"the extra fields were dropped; use the repair option to join them into `{self.names[-1]}`")
            self.notices.append(f"{name}: {c['long_rows']} rows have more fields than the header "
                                f"(lines {_lines(self.long)}); {what}")
        if self.short:
            self.notices.append(f"{name}: {c['short']} rows have fewer fields than the header "
                                f"(lines {_lines(self.short)}); the missing fields are left empty")
        if c["nul"]:
            self.notices.append(f"{name}: {c['nul']} values held NUL bytes (lines {_lines(sorted(set(self.nul_lines)))}); "
                                "the NUL bytes were removed; check those lines in the original export")
        scanned = self.table.mojibake
        count, unit = (scanned[0], "lines") if scanned is not None else (c["mojibake"], "rows")
        if count:
            line, word = scanned[1:] if scanned is not None else self.mojibake[0]
            fixed = "repaired" if self.repair else "kept as is, use the repair option to fix it"
            self.notices.append(f"{name}: {count} {unit} contain mojibake (UTF-8 text once saved with the wrong "
                                f"encoding), e.g. line {line}: '{word}'; {fixed}")
        if c["excel"]:
            self.notices.append(f"{name}: {c['excel']} notes in `{roles['note']}` were destroyed by Excel "
                                f"(#NAME?, formulas), e.g. {ex['excel'][0]}; their text is lost")
        if c["long"]:
            self.notices.append(f"{name}: {c['long']} notes in `{roles['note']}` have {_EXCEL_CELL} characters "
                                "or more (Excel's cell limit): they may have been cut by Excel")
        if c["scientific"]:
            self.notices.append(f"{name}: {c['scientific']} IDs in `{roles['id']}` are in scientific notation "
                                f"(e.g. {ex['scientific'][0]}): Excel rounded them and digits are lost; "
                                "re-export with the ID column formatted as text")
        if c["duplicate"]:
            self.notices.append(f"{name}: {c['duplicate']} rows repeat an ID in `{roles['id']}` "
                                "(fine when there are several notes per record)")
        if c["dates"] and self.schema and self.schema.date_format:
            self.notices.append(f"{name}: {c['dates']} values in `{roles['date']}` do not match "
                                f"{self.schema.date_format.format} and are left empty, e.g. {ex['dates'][0]}")
        if self.schema:
            text = self.schema.status.describe(self.status, name, c["converted"])
            if text:
                self.notices.append(text)
