"""Which rows are rejections: status vocabulary (English and German) and the converted rule.

Rows whose status says open, converted, qualified or won are kept but marked as not
rejections; a non-empty ``ConvertedDate`` (or a true ``IsConverted``) does the same.

>>> rule = StatusRule.build(pd.Series(["Unqualified", "Open", "Closed - Not Converted"]), "Lead Status")
>>> rule.mask(pd.DataFrame({"Lead Status": ["Unqualified", "Open", "Closed - Not Converted"]})).tolist()
[True, False, True]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from classifier.exports.vocabulary import (
    CONVERTED_HEADERS,
    OTHER_STATUSES,
    FALSE_VALUES,
    REJECTION_STATUSES,
    norm_value,
    normalize_header,
)

def find_converted(labels: dict[str, str]) -> str | None:
    """The column saying a lead was converted (``ConvertedDate``, ``IsConverted``), if any."""
    for name, label in labels.items():
        norm = normalize_header(label)
        if norm in CONVERTED_HEADERS or norm.replace(" ", "") in {c.replace(" ", "") for c in CONVERTED_HEADERS}:
            return name
    return None


@dataclass
class StatusRule:
    """Decides per row whether it is a rejection."""

    column: str | None = None
    rejections: frozenset[str] = REJECTION_STATUSES
    unknown_is_rejection: bool = False
    converted: str | None = None

    @classmethod
    def build(
        cls,
        sample: pd.Series | None,
        column: str | None,
        converted: str | None = None,
        rejection_statuses: Collection[str] | None = None,
    ) -> StatusRule:
        """Rule for a status column; unknown values count as rejections only if no known one occurs."""
        if rejection_statuses is not None:
            return cls(column, frozenset(norm_value(v) for v in rejection_statuses), False, converted)
        known = column is not None and sample is not None and any(
            norm_value(v) in REJECTION_STATUSES for v in sample.unique()
        )
        return cls(column, REJECTION_STATUSES, not known, converted)

    def classify(self, values: Sequence[str]) -> list[bool]:
        """Rejection flag for each distinct status value."""
        out = []
        for value in values:
            norm = norm_value(value)
            if norm in self.rejections:
                out.append(True)
            elif norm in OTHER_STATUSES or not self.unknown_is_rejection:
                out.append(False)
            else:
                out.append(True)
        return out

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series: True for rows that are rejections."""
        result = pd.Series(True, index=frame.index)
        if self.column is not None and self.column in frame:
            codes, uniques = pd.factorize(frame[self.column])
            flags = pd.array(self.classify(list(uniques)) + [True], dtype=bool)
            result &= pd.Series(flags[codes].to_numpy(dtype=bool), index=frame.index)
        if self.converted is not None and self.converted in frame:
            result &= frame[self.converted].str.strip().str.casefold().isin(FALSE_VALUES)
        return result

    def describe(self, counts: Counter, source: str, converted_rows: int = 0) -> str | None:
        """One line with the status distribution: how many rows are analysed and how many skipped."""
        if self.column is None:
            return f"{source}: {converted_rows} converted rows are kept but marked as not rejections" if converted_rows else None
        yes = Counter({k: v for k, v in counts.items() if self.classify([k])[0]})
        no = Counter({k: v for k, v in counts.items() if not self.classify([k])[0]})

        def top(c: Counter) -> str:
            return ", ".join(f"{k or '(empty)'} {v}" for k, v in c.most_common(6)) + (", ..." if len(c) > 6 else "")

        text = f"{source}: status `{self.column}`: {sum(yes.values())} rows are rejections ({top(yes)})"
        if no:
            text += f"; {sum(no.values())} are not ({top(no)}), kept but marked and skipped by rejection analyses"
        if self.unknown_is_rejection:
            text += "; no known rejection status found, so every status is treated as a rejection"
        if converted_rows:
            text += f"; {converted_rows} converted rows are also marked as not rejections"
        return text
