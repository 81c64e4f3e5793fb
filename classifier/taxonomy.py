"""The product's vocabulary: reason labels, which are weak, and the question to challenge each."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from classifier.errors import InputError

FIELDS = ("label", "weak", "follow_up", "title_en", "title_de", "description", "question_en", "question_de")


@dataclass(frozen=True)
class Reason:
    """One label of a taxonomy."""

    label: str
    weak: bool
    follow_up: bool = False
    title_en: str = ""
    title_de: str = ""
    description: str = ""
    question_en: str = ""
    question_de: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """An ordered set of reasons; the default one ships as ``classifier/taxonomy.json``."""

    name: str
    reasons: tuple[Reason, ...]

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.reasons]

    @property
    def weak_labels(self) -> set[str]:
        return {r.label for r in self.reasons if r.weak}

    @property
    def follow_up_labels(self) -> set[str]:
        """Labels whose notes name a time to call again (too_early, bad_timing by default)."""
        return {r.label for r in self.reasons if r.follow_up}

    def __getitem__(self, label: str) -> Reason:
        for reason in self.reasons:
            if reason.label == label:
                return reason
        raise KeyError(label)

    def question(self, label: str, lang: str = "en") -> str:
        """The challenge question for a weak label in ``lang`` (``de`` or ``en``); '' for valid ones."""
        reason = self[label]
        if not reason.weak:
            return ""
        text = reason.question_de if lang == "de" else reason.question_en
        return text or reason.question_en or reason.question_de

    def title(self, label: str, lang: str = "en") -> str:
        """Short display name of a label in ``lang``; the label itself when the taxonomy has none."""
        try:
            reason = self[label]
        except KeyError:
            return label.replace("_", " ")
        text = reason.title_de if lang == "de" else reason.title_en
        return text or reason.title_en or label.replace("_", " ")

    def to_dict(self) -> dict:
        return {"name": self.name, "labels": [asdict(r) for r in self.reasons]}

    @property
    def sha256(self) -> str:
        """Hash of the labels, weak flags and questions: a model card records it."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(payload).hexdigest()

    @classmethod
    def from_dict(cls, data: dict, source: str = "taxonomy") -> "Taxonomy":
        rows = data.get("labels") if isinstance(data, dict) else None
        if not rows:
            raise InputError(f"{source}: no labels found; expected a 'labels' list with {', '.join(FIELDS)}.")
        reasons = []
        flagged = any("follow_up" in row for row in rows)  # older files: the default's timing labels
        for i, row in enumerate(rows, 1):
            label = str(row.get("label", "")).strip()
            if not label:
                raise InputError(f"{source}: label {i} has no name.")
            reasons.append(
                Reason(
                    label=label,
                    weak=_as_bool(row.get("weak", False), source, label),
                    follow_up=_as_bool(row.get("follow_up", False), source, label)
                    if flagged
                    else label in ("too_early", "bad_timing"),
                    title_en=str(row.get("title_en", "") or ""),
                    title_de=str(row.get("title_de", "") or ""),
                    description=str(row.get("description", "") or ""),
                    question_en=str(row.get("question_en", "") or ""),
                    question_de=str(row.get("question_de", "") or ""),
                )
            )
        names = [r.label for r in reasons]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise InputError(f"{source}: duplicate labels {', '.join(dupes)}.")
        return cls(name=str(data.get("name", Path(source).stem)), reasons=tuple(reasons))


def _as_bool(value, source: str, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "ja", "y", "x", "weak"}:
        return True
    if text in {"0", "false", "no", "nein", "n", "", "valid"}:
        return False
    raise InputError(f"{source}: weak flag of {label!r} is {value!r}; expected yes/no or true/false.")


@lru_cache(maxsize=None)
def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy (11 labels, German and English questions)."""
    text = resources.files("classifier").joinpath("taxonomy.json").read_text(encoding="utf-8")
    return Taxonomy.from_dict(json.loads(text), "taxonomy.json")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load a taxonomy from JSON (``{"labels": [...]}``) or CSV (columns ``label,weak,...``).

    ``None`` gives the bundled default.
    """
    if path is None:
        return default_taxonomy()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"cannot read taxonomy {path}: {e.strerror}.") from e
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}: not valid JSON (line {e.lineno}: {e.msg}).") from e
    else:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        data = {"name": path.stem, "labels": list(csv.DictReader(text.splitlines(), dialect=dialect))}
    return Taxonomy.from_dict(data, str(path))
