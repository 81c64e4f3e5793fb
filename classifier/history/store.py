"""The rejection history: ingest exports, record outcomes and challenges, read frames for reports.

Each ingest is one transaction: a killed ingest leaves the database as it was. SQLite files
take one writer at a time (``BEGIN IMMEDIATE``, waiting up to a minute for another ingest);
deleted notes are overwritten (``secure_delete``), so ``forget`` removes them for good.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import and_, bindparam, create_engine, event, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DatabaseError

from classifier.errors import InputError
from classifier.exports.vocabulary import norm_value
from classifier.history.schema import events, exports, leads, prepare
from classifier.reports.builders import FRAME_COLUMNS
from classifier.persistence import file_sha256

CONVERTED = frozenset(norm_value(v) for v in """converted, qualified, closed won, won, deal won, opportunity,
    sales qualified lead, sql, customer, konvertiert, qualifiziert, gewonnen, auftrag, kunde, verkaufschance""".split(","))
BATCH = 5_000  # rows per statement
SLICE = 50_000  # rows of an export turned into database rows at a time


def default_url() -> str:
    """The SQLite file in the tool's home folder (``$REJECTION_RADAR_HOME``)."""
    from classifier.persistence import user_dir

    return f"sqlite:///{user_dir() / 'history.sqlite'}"


def _url(db: str | Path | None) -> str:
    if db is None:
        return default_url()
    text = str(db)
    return text if "://" in text else f"sqlite:///{Path(text)}"


def model_version(model) -> str:
    """How a stored label names the model that gave it: training time and checksum."""
    card = model.card
    return f"{str(card.get('created', '?'))[:19]}/{str(card.get('model_sha256', ''))[:8]}"


@dataclass
class IngestResult:
    """What an ingest did."""

    export: str
    already: bool = False
    rows: int = 0
    new: int = 0
    updated: int = 0
    outcomes: int = 0


class History:
    """A rejection history in a database (``db``: a path for SQLite, any SQLAlchemy URL, or the default file)."""

    def __init__(self, db: str | Path | None = None):
        url = _url(db)
        self.where = url.split("///", 1)[-1] if url.startswith("sqlite") else url.split("@")[-1]
        try:
            if url.startswith("sqlite:///"):
                Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
                self.engine = create_engine(url, connect_args={"timeout": 60})
                event.listen(self.engine, "connect", _sqlite_connect)
                event.listen(self.engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
            else:
                self.engine = create_engine(url)
            with self.engine.begin() as connection:
                prepare(connection, self.where)
        except ImportError as exc:
            raise InputError(f"cannot open the history database {self.where}: no driver for it ({exc.name or exc}); "
                             "for PostgreSQL install psycopg (pip install 'psycopg[binary]')") from exc
        except (ArgumentError, DatabaseError) as exc:
            raise InputError(f"cannot open the history database {self.where}: {str(exc).splitlines()[0][:200]}; "
                             "check --db (a file path or an SQLAlchemy URL such as postgresql+psycopg://user@host/db)") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest

    def ingest(self, frame: pd.DataFrame, name: str, sha256: str, version: str, status: str | None = None,
               picklist: str | None = None) -> IngestResult:
        """Store an analysed export (:func:`classifier.reports.analyse_stream`, all rows) in one transaction.

        Rejections are inserted, or update the lead they name; a row of a known lead whose status is
        no longer a rejection records an outcome (``converted`` or ``reopened``). An export whose
        content was ingested before changes nothing.
        """
        result = IngestResult(export=name, rows=len(frame))
        with self.engine.begin() as connection:
            if connection.execute(select(exports.c.id).where(exports.c.sha256 == sha256)).first():
                result.already = True
                return result
            export_id = connection.execute(insert(exports).values(
                name=name[:500], sha256=sha256, ingested_at=datetime.now(timezone.utc).replace(tzinfo=None),
                rows=len(frame), model_version=version)).inserted_primary_key[0]
            for start in range(0, len(frame), SLICE):  # slices bound memory; a later row of a lead updates it
                part = frame.iloc[start:start + SLICE]
                rows = _rows(part, lead_keys(part), status, picklist)
                self._store(connection, rows, export_id, version, result)
        return result

    def _store(self, connection, rows: list[dict], export_id: int, version: str, result: IngestResult) -> None:
        """Insert or update the rejections of ``rows``, record the outcomes of the others."""
        latest = {r["lead_key"]: r for r in rows if r["is_rejection"]}  # a lead twice: its last row counts
        known = self._known(connection, list(latest))
        fields = lambda r: {k: r[k] for k in LEAD_FIELDS}  # noqa: E731
        fresh = [dict(fields(r), lead_key=k, model_version=version, first_export=export_id, last_export=export_id,
                      forgotten=False) for k, r in latest.items() if k not in known]
        for start in range(0, len(fresh), BATCH):
            connection.execute(insert(leads), fresh[start:start + BATCH])
        changed = [dict(fields(r), key_=k, model_version=version, last_export=export_id) for k, r in latest.items() if k in known]
        if changed:
            statement = update(leads).where(leads.c.lead_key == bindparam("key_")).values(
                {k: bindparam(k) for k in [*LEAD_FIELDS, "model_version", "last_export"]})
            for start in range(0, len(changed), BATCH):
                connection.execute(statement, changed[start:start + BATCH])
        back = [r for r in rows if not r["is_rejection"]]
        known_back = self._known(connection, list({r["lead_key"] for r in back}))
        outcomes = [{"lead_key": r["lead_key"], "kind": "converted" if norm_value(r["status"] or "") in CONVERTED else "reopened",
                     "on_date": r["rejected_on"], "export_id": export_id} for r in back if r["lead_key"] in known_back]
        result.outcomes += self._add_events(connection, outcomes)
        if known_back:
            statement = update(leads).where(leads.c.lead_key == bindparam("key_")).values(status=bindparam("status_"), last_export=export_id)
            connection.execute(statement, [{"key_": r["lead_key"], "status_": r["status"]} for r in back if r["lead_key"] in known_back])
        result.new += len(fresh)
        result.updated += len(changed)

    def has_export(self, sha256: str) -> bool:
        """Whether an export with this content was ingested before."""
        with self.engine.connect() as connection:
            return connection.execute(select(exports.c.id).where(exports.c.sha256 == sha256)).first() is not None

    def _known(self, connection, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), BATCH):
            part = keys[start:start + BATCH]
            found |= set(connection.execute(select(leads.c.lead_key).where(leads.c.lead_key.in_(part))).scalars())
        return found

    def _add_events(self, connection, rows: list[dict]) -> int:
        """Insert events a lead does not have yet (one of each kind per lead); returns how many were new."""
        if not rows:
            return 0
        rows = list({(r["lead_key"], r["kind"]): r for r in rows}.values())
        have = set()
        for start in range(0, len(rows), BATCH):
            part = rows[start:start + BATCH]
            have |= set(connection.execute(select(events.c.lead_key, events.c.kind).where(
                events.c.lead_key.in_([r["lead_key"] for r in part]))).all())
        have = {tuple(row) for row in have}
        new = [r for r in rows if (r["lead_key"], r["kind"]) not in have]
        for start in range(0, len(new), BATCH):
            connection.execute(insert(events), new[start:start + BATCH])
        return len(new)

    def record_challenges(self, keys: Iterable[str], on: date | None = None) -> int:
        """Record that these leads were put on a challenge list (once per lead); returns how many were new."""
        on = on or date.today()
        with self.engine.begin() as connection:
            known = self._known(connection, list(dict.fromkeys(keys)))
            return self._add_events(connection, [{"lead_key": k, "kind": "challenged", "on_date": on, "export_id": None} for k in known])

    # ------------------------------------------------------------------ read

    def frame(self, since=None, until=None) -> pd.DataFrame:
        """Every stored rejection as the frame reports and challenge lists read (as :func:`analyse_stream` gives)."""
        query = select(leads.c.lead_key.label("id"), leads.c.rejected_on.label("date"), leads.c.owner, leads.c.source,
                       leads.c.note, leads.c.reason, leads.c.confidence, leads.c.weak, leads.c.needs_review, leads.c.note_lang)
        if since is not None:
            query = query.where(leads.c.rejected_on >= pd.Timestamp(since).date())
        if until is not None:
            query = query.where(leads.c.rejected_on <= pd.Timestamp(until).date())
        with self.engine.connect() as connection:
            frame = pd.read_sql(query.order_by(leads.c.lead_key), connection)
        frame["date"] = pd.to_datetime(frame["date"])
        for column in ("owner", "source", "note"):
            frame[column] = frame[column].fillna("").astype(str)
        frame["is_rejection"] = True
        for column in ("weak", "needs_review"):
            frame[column] = frame[column].astype(bool)
        return frame[FRAME_COLUMNS]

    def events_frame(self) -> pd.DataFrame:
        """Every event: ``lead_key, kind, on_date``."""
        with self.engine.connect() as connection:
            frame = pd.read_sql(select(events.c.lead_key, events.c.kind, events.c.on_date), connection)
        frame["on_date"] = pd.to_datetime(frame["on_date"])
        return frame

    def counts(self) -> dict[str, int]:
        """Exports, leads and events stored."""
        with self.engine.connect() as connection:
            return {name: int(connection.execute(select(func.count()).select_from(table)).scalar())
                    for name, table in (("exports", exports), ("leads", leads), ("events", events))}

    # ------------------------------------------------------------------ change

    def reclassify(self, model, progress=None) -> tuple[int, int]:
        """Relabel every stored note with ``model``; returns (notes relabelled, labels that changed)."""
        version = model_version(model)
        with self.engine.begin() as connection:
            stored = pd.read_sql(select(leads.c.lead_key, leads.c.note, leads.c.reason).where(leads.c.note.is_not(None)), connection)
            changed = 0
            statement = update(leads).where(leads.c.lead_key == bindparam("key_")).values(
                reason=bindparam("reason_"), confidence=bindparam("confidence_"), weak=bindparam("weak_"),
                needs_review=bindparam("needs_review_"), note_lang=bindparam("note_lang_"), model_version=version)
            for start in range(0, len(stored), BATCH * 4):
                part = stored.iloc[start:start + BATCH * 4]
                predicted = model.classify(part["note"].tolist())
                changed += int((predicted["reason"].to_numpy() != part["reason"].to_numpy()).sum())
                connection.execute(statement, [
                    {"key_": k, "reason_": r, "confidence_": float(c), "weak_": bool(w), "needs_review_": bool(n), "note_lang_": lg}
                    for k, r, c, w, n, lg in zip(part["lead_key"], predicted["reason"], predicted["confidence"],
                                                  predicted["weak"], predicted["needs_review"], predicted["note_lang"])])
                if progress is not None:
                    progress(len(part))
        return len(stored), changed

    def forget(self, lead: str | None = None, older_than: date | None = None) -> int:
        """Delete the note and the owner of one lead, or of every lead rejected before ``older_than``,
        for good; reasons, dates, sources and outcomes stay, so counts do not change. Returns how many."""
        condition = leads.c.lead_key == str(lead) if lead is not None else leads.c.rejected_on < older_than
        with self.engine.begin() as connection:
            done = connection.execute(update(leads).where(and_(condition, or_(leads.c.note.is_not(None), leads.c.owner.is_not(None))))
                                      .values(note=None, owner=None, forgotten=True)).rowcount
        if self.engine.dialect.name == "sqlite":  # old pages are zeroed (secure_delete); empty the write-ahead log too
            raw = self.engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        return int(done)


LEAD_FIELDS = ["note", "reason", "confidence", "weak", "needs_review", "note_lang", "rejected_on", "owner", "source", "status", "picklist"]


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN IMMEDIATE itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def lead_keys(frame: pd.DataFrame) -> list[str]:
    """Each row's lead key: its lead id, else a hash of note, date and owner (stable across exports)."""
    ids = frame["id"].astype(str).to_numpy() if "id" in frame else np.full(len(frame), "")
    out = []
    for lead, note, day, owner in zip(ids, frame["note"].astype(str), frame["date"].astype(str), frame["owner"].astype(str)):
        lead = lead.strip()
        out.append(lead if lead and lead.lower() not in ("nan", "none") else
                   "note:" + hashlib.sha256(f"{note}\x1f{day}\x1f{owner}".encode()).hexdigest()[:24])
    return out


def _rows(frame: pd.DataFrame, keys: list[str], status: str | None, picklist: str | None) -> list[dict]:
    """The frame's rows as dicts for the database (dates as ``date``, missing status/picklist as None)."""
    dates = [d.date() if pd.notna(d) else None for d in pd.to_datetime(frame["date"])]
    def text(column: str | None) -> list:
        return frame[column].astype(str).tolist() if column and column in frame else [None] * len(frame)
    columns = {
        "lead_key": keys, "is_rejection": frame["is_rejection"].astype(bool).tolist(), "note": text("note"),
        "reason": text("reason"), "confidence": frame["confidence"].astype(float).tolist(),
        "weak": frame["weak"].astype(bool).tolist(), "needs_review": frame["needs_review"].astype(bool).tolist(),
        "note_lang": text("note_lang"), "rejected_on": dates, "owner": text("owner"), "source": text("source"),
        "status": text(status), "picklist": text(picklist),
    }
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def retention_cutoff(text: str, today: date | None = None) -> date:
    """The first day of the month ``text`` ("24m" months, "2y" years) before this month.

    >>> retention_cutoff("24m", date(2026, 12, 2)), retention_cutoff("1y", date(2026, 1, 15))
    (datetime.date(2024, 12, 1), datetime.date(2025, 1, 1))
    """
    number, unit = text[:-1], text[-1:].lower()
    if not number.isdigit() or unit not in ("m", "y"):
        raise InputError(f"--older-than {text!r}: write a number of months or years, e.g. 24m or 2y")
    months = int(number) * (12 if unit == "y" else 1)
    today = today or date.today()
    total = today.year * 12 + today.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


def ingest_export(history: History, source, model, *, roles: dict | None = None, progress=None) -> IngestResult:
    """Read, classify (or reuse a classified file's columns) and store an export in ``history``."""
    from classifier.exports import open_export
    from classifier.reports.builders import analyse_stream

    path = Path(str(source))
    if not path.is_file():
        raise InputError(f"{source}: ingest needs an export file (not standard input): the file's checksum tells a re-ingest")
    sha = file_sha256(path)
    if history.has_export(sha):  # checked again inside the ingest's transaction, for a concurrent ingest
        return IngestResult(export=path.name, already=True)
    with open_export(path, roles=roles) as reader, model.workers():
        columns = [reader.roles.get(role) for role in ("status", "picklist")]
        frame = analyse_stream(reader, model, by=[c for c in columns if c], progress=progress)
    return history.ingest(frame, path.name, sha, model_version(model), status=columns[0], picklist=columns[1])
