"""Find which column is the note, id, date, owner, source, status and picklist reason.

Each column gets a score per role: ``0.6 * header + 0.4 * values``. The header score comes
from English and German synonyms after normalisation (exact 1.0, all tokens of a synonym
0.8, one strong token 0.5, a negative token -1); the value score from a profile of a
sample of cells. Roles are then assigned one-to-one (note first); a free-text note beats
a picklist reason, which keeps its own ``picklist`` role.

>>> normalize_header("Deal - Lost reason"), normalize_header("ConvertedDate"), normalize_header("Lead-Inhaber")
('lost reason', 'converted date', 'lead inhaber')
>>> header_score("UNQUALIFIED_REASON__C", "note"), header_score("Owner ID", "id")
(1.0, -1.0)
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from functools import lru_cache
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from classifier.exports.date_formats import DateFormat, infer_format
from classifier.errors import InputError
from classifier.exports.vocabulary import (
    NEGATIVE_SPECS,
    SOURCE_VALUES,
    STATUS_VOCAB,
    SUFFIXES,
    SYNONYM_SPECS,
    norm_value,
    normalize_header,
)

ROLES = ("note", "id", "date", "owner", "source", "status", "picklist")
FLAGS = {role: f"--{'text' if role == 'note' else role}-column" for role in ROLES}
MIN_SCORE = 0.5
CLOSE = 0.1
SAMPLE = 2000

_APPROXIMATE = {0.7: "last modified", 0.6: "created"}  # date tiers that are only fallbacks

_OWNER_SHAPE = re.compile(
    r"^(?:[A-ZÄÖÜ][\w'.-]+(?: [A-ZÄÖÜ][\w'.-]+){1,3}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|00[5G][A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?"
    r"|\d{3,12}|(?:Sales|Vertrieb|Queue|Team)\b.*)$"
)
_ID_SHAPE = re.compile(
    r"^(?:[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?|zcrm_\d+|\{?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?|\d+"
    r"|[A-Z]{1,5}-?\d{2,})$"
)
_NUMBERISH = re.compile(r"^[\d\s.,:/+\-eE%€$]+$")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,80}>|&(?:[a-z]+|#\d+);")
_RELATED_PREFIX = re.compile(r"^(?:organi[sz]ation|person|activity|product)\s+-\s+", re.I)


def _parse(spec: str) -> list[tuple[str, float]]:
    out = []
    for tier in spec.split(";"):
        weight, _, names = tier.partition(":")
        out += [(normalize_header(n), float(weight)) for n in names.split(",") if n.strip()]
    return out


SYNONYMS = {role: _parse(spec) for role, spec in SYNONYM_SPECS.items()}
NEGATIVES = {role: [normalize_header(n) for n in spec.split(",")] for role, spec in NEGATIVE_SPECS.items()}
SOURCE_VOCAB = {normalize_header(v) for v in SOURCE_VALUES.split(",")}


@lru_cache(maxsize=16384)
def _match(label: str, role: str) -> tuple[float, float]:
    """(score, weight of the best synonym); the weight tells fallback date tiers apart."""
    norm = normalize_header(label)
    tokens, compact = set(norm.split()), norm.replace(" ", "")
    best = (0.0, 0.0)
    for phrase, weight in SYNONYMS[role]:
        words = phrase.split()
        if compact == phrase.replace(" ", ""):
            return weight, weight
        if len(words) > 1 and set(words) <= tokens:
            best = max(best, (0.8 * weight, weight))
        elif len(words) == 1 and words[0] in tokens:
            best = max(best, (0.5 * weight, weight))
    for negative in NEGATIVES.get(role, []):
        if set(negative.split()) <= tokens or compact == negative.replace(" ", ""):
            return -1.0, 0.0
    if best[0] == 0 and any(t.endswith(s) and len(t) > len(s) + 2 for t in tokens for s in SUFFIXES.get(role, ())):
        best = (0.5, 0.5)
    if best[0] > 0 and _RELATED_PREFIX.match(str(label).strip()):
        best = (best[0] - 0.15, best[1])
    return best


def header_score(label: str, role: str) -> float:
    """Header evidence for ``role`` in [-1, 1]; the picklist role shares the note's synonyms."""
    return _match(str(label), "note" if role == "picklist" else role)[0]


def header_hits(cells: Sequence[str]) -> int:
    """How many cells look like a header label of some role (used to find the header row)."""
    return sum(any(header_score(c, r) >= 0.75 for r in SYNONYM_SPECS) for c in cells if str(c).strip())


@dataclass
class Profile:
    """Cheap statistics of a sample of non-empty cells."""

    values: list[str]
    distinct: int = 0
    median_len: float = 0.0
    spaces: float = 0.0
    letters: float = 0.0
    html: float = 0.0
    numeric: float = 0.0

    @classmethod
    def of(cls, column: pd.Series) -> Profile:
        values = [v for v in column.head(SAMPLE * 5).tolist() if isinstance(v, str) and v.strip()][:SAMPLE]
        p = cls(values)
        if values:
            n = len(values)
            p.distinct = len(set(values))
            p.median_len = statistics.median(len(v) for v in values)
            p.spaces = sum(" " in v.strip() for v in values) / n
            p.letters = sum(sum(c.isalpha() for c in v) / len(v) for v in values) / n
            p.html = sum(bool(_HTML.search(v)) for v in values) / n
            p.numeric = sum(bool(_NUMBERISH.match(v)) for v in values) / n
        return p

    @property
    def ratio(self) -> float:
        return self.distinct / len(self.values) if self.values else 0.0

    @property
    def picklist(self) -> bool:
        """Few distinct short values: a reason picked from a list, not free text."""
        n = len(self.values)
        if n < 3 or self.html > 0.1:
            return False
        few = self.distinct <= 60 and self.distinct <= 0.5 * n and self.median_len < 40
        return few or (self.median_len < 15 and self.distinct <= 0.8 * n)


def _share(values: list[str], test) -> float:
    """Share of values passing ``test``, evaluated once per distinct value."""
    if not values:
        return 0.0
    counts = Counter(values)
    return sum(n for value, n in counts.items() if test(value)) / len(values)


def _known_source(value: str) -> bool:
    words = norm_value(value).split()
    return any(" ".join(words[:k]) in SOURCE_VOCAB for k in (1, 2, 3))


def value_score(role: str, p: Profile, date_format: DateFormat | None = None) -> float:
    """Value evidence for ``role`` in [0, 1]."""
    v, n = p.values, len(p.values)
    if not n:
        return 0.0
    small = 1.0 if p.distinct <= 30 else 0.3
    if role in ("note", "picklist"):
        if p.numeric > 0.5:
            return 0.0
        return min(
            1.0, 0.35 * min(p.median_len / 25, 1) + 0.25 * p.spaces + 0.2 * p.letters + 0.2 * p.ratio + 0.1 * p.html
        )
    if role == "id":
        shape = _share(v, lambda x: bool(_ID_SHAPE.match(x.strip())))
        return (0.4 * p.ratio + 0.2 * (1 - p.spaces) + 0.4 * shape) * (0.5 if p.median_len > 40 else 1)
    if role == "date":
        return date_format.share if date_format else 0.0
    if role == "status":
        return 0.4 * small + 0.6 * _share(v, lambda x: norm_value(x) in STATUS_VOCAB)
    if role == "owner":
        return 0.3 * (1.0 if p.ratio < 0.6 or n < 10 else 0.3) + 0.7 * _share(v, lambda x: bool(_OWNER_SHAPE.match(x)))
    if role == "source":
        return 0.3 * small + 0.7 * _share(v, _known_source)
    return 0.0


@dataclass
class RoleMap:
    """Result of role detection."""

    roles: dict[str, str] = field(default_factory=dict)
    date_format: DateFormat | None = None
    date_kind: str = ""  # "" for a real rejection date, else "last modified" / "created"
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)

    def describe(self) -> str:
        """One line such as ``note <- `Lost reason`, date <- `Lost time` (format %Y-%m-%d)``."""
        parts = []
        for role in ROLES:
            if role in self.roles:
                text = f"{role} <- `{self.roles[role]}`"
                extra = []
                if role == "date" and self.date_format:
                    extra.append(f"format {self.date_format.describe()}")
                    if self.date_kind:
                        extra.append(f"approximate: {self.date_kind}")
                if role in self.given:
                    extra.append("given")
                parts.append(text + (f" ({', '.join(extra)})" if extra else ""))
        return ", ".join(parts) if parts else "no column roles detected"


def _resolve(name: str, columns: Sequence[str], role: str, source: str) -> str:
    if name in columns:
        return name
    folded = [c for c in columns if normalize_header(c) == normalize_header(name)]
    if len(folded) == 1:
        return folded[0]
    listing = ", ".join(f"`{c}`" for c in columns)
    raise InputError(f"{source} has no column `{name}` (given for {FLAGS[role]}); columns: {listing}")


def detect_roles(
    frame: pd.DataFrame,
    *,
    overrides: Mapping[str, str | None] | None = None,
    require_note: bool = True,
    source: str = "input",
    labels: Mapping[str, str] | None = None,
    fallback_only: Sequence[str] = (),
    has_header: bool = True,
    dayfirst_hint: bool | None = None,
) -> RoleMap:
    """Assign roles to the columns of ``frame`` (a sample of the export is enough).

    ``labels`` maps column names to the original header text (before de-duplication);
    ``fallback_only`` columns (hidden, ``(Do Not Modify)``) may only win id or date, and only
    over nothing better. Raises InputError when the note is missing (and required) or two
    note candidates are within 0.1 of each other.
    """
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise InputError(f"unknown column role(s) {sorted(unknown)}; expected one of {', '.join(ROLES)}")
    columns = [str(c) for c in frame.columns]
    labels = {c: (labels or {}).get(c, c) for c in columns}
    result = RoleMap()
    for role, name in overrides.items():
        if name:
            result.roles[role] = _resolve(name, columns, role, source)
            result.given.add(role)
    taken = set(result.roles.values())
    free = [c for c in columns if c not in taken]
    profiles = {c: Profile.of(frame[c]) for c in columns}
    dates = {}
    for c in columns:
        dateish = _match(labels[c], "date")[0] > 0
        dates[c] = infer_format(profiles[c].values, dayfirst_hint=dayfirst_hint, numeric=dateish)

    def score(column: str, role: str) -> float:
        header = header_score(labels[column], role) if has_header else 0.0
        if column in fallback_only:
            if role not in ("id", "date"):
                return -1.0
            if role == "id" and normalize_header(labels[column]) in {"lead", "contact", "opportunity", "account"}:
                header = 1.0
            header *= 0.5
        values = value_score(role, profiles[column], dates[column])
        if header < 0:
            return -1.0
        if role == "date" and values < 0.5:
            return -1.0
        if not has_header:
            return 0.9 * values if role in ("note", "id", "date") else 0.0
        return 0.6 * header + 0.4 * values if header > 0 else 0.4 * values

    for role in ("note", "id", "date", "status", "owner", "source", "picklist"):
        result.scores[role] = {c: round(score(c, role), 3) for c in columns}
    if "note" not in result.roles and "note" not in overrides:
        _choose_note(result, free, profiles, source, columns, require_note, labels)
    taken = set(result.roles.values())
    for role in ("id", "date", "status", "owner", "source"):
        if role in result.roles or role in overrides:
            continue
        ranked = sorted((c for c in columns if c not in taken), key=lambda c: -result.scores[role][c])
        if ranked and result.scores[role][ranked[0]] >= MIN_SCORE:
            result.roles[role] = ranked[0]
            taken.add(ranked[0])
    if "date" in result.roles:
        column = result.roles["date"]
        dateish = _match(labels[column], "date")
        result.date_format = dates[column] or infer_format(profiles[column].values, dayfirst_hint=dayfirst_hint)
        result.date_kind = _APPROXIMATE.get(dateish[1], "") if "date" not in result.given else ""
    return result


def _choose_note(
    result: RoleMap, free: list[str], profiles: dict[str, Profile], source: str, columns: list[str], required: bool,
    labels: dict[str, str],
) -> None:
    scores = result.scores["note"]
    if len(columns) == 1:
        result.roles["note"] = columns[0]
        return
    ranked = sorted((c for c in free if scores[c] >= MIN_SCORE), key=lambda c: -scores[c])
    listing = ", ".join(f"`{c}`" for c in columns)
    if not ranked:
        if required:
            raise InputError(
                f"{source}: no column looks like the rejection note; name it with {FLAGS['note']} (columns: {listing})"
            )
        return
    texts = [c for c in ranked if not profiles[c].picklist]
    picks = [c for c in ranked if profiles[c].picklist]
    group = texts or picks
    note = group[0]
    if len(group) > 1 and scores[note] - scores[group[1]] < CLOSE:
        if _textier(profiles[group[1]], profiles[note]):
            note = group[1]
        elif not _textier(profiles[note], profiles[group[1]]):
            if not required:
                return
            raise InputError(
                f"{source}: two columns could hold the rejection note, `{note}` and `{group[1]}`; "
                f"name one with {FLAGS['note']} (columns: {listing})"
            )
    result.roles["note"] = note
    reasons = [c for c in picks if c != note and _match(labels[c], "note")[1] >= 1.0]
    if texts and reasons and "picklist" not in result.roles:
        result.roles["picklist"] = reasons[0]


def _textier(a: Profile, b: Profile) -> bool:
    """``a`` is clearly more free-text than ``b``: longer values and at least as varied."""
    return a.median_len >= 1.5 * b.median_len + 3 and a.ratio >= b.ratio - 0.05
