"""The history database's tables, its schema version and the upgrades between versions.

SQLAlchemy Core, so the same tables live in SQLite (the default, one file) and PostgreSQL (any
SQLAlchemy URL). ``meta.schema_version`` says which version wrote a database: an older one is
upgraded in one transaction (:data:`UPGRADES`), a newer one is refused.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
    UniqueConstraint, inspect, select,
)
from sqlalchemy.engine import Connection

from classifier.errors import InputError

SCHEMA_VERSION = 2
metadata = MetaData()

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", String(255), nullable=False))
exports = Table(
    "exports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("ingested_at", DateTime, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("model_version", String(64), nullable=False),
)
leads = Table(
    "leads", metadata,
    Column("lead_key", String(255), primary_key=True),  # the export's lead id, or a hash of note, date and owner
    Column("note", Text),  # NULL once forgotten
    Column("reason", String(64), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("weak", Boolean, nullable=False),
    Column("needs_review", Boolean, nullable=False),
    Column("note_lang", String(8), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("rejected_on", Date),
    Column("owner", String(255)),  # NULL once forgotten
    Column("source", String(255)),
    Column("status", String(255)),
    Column("picklist", String(255)),
    Column("first_export", Integer, ForeignKey("exports.id"), nullable=False),
    Column("last_export", Integer, ForeignKey("exports.id"), nullable=False),
    Column("forgotten", Boolean, nullable=False, default=False),
)
events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_key", String(255), ForeignKey("leads.lead_key"), nullable=False),
    Column("kind", String(16), nullable=False),  # challenged, reopened, converted
    Column("on_date", Date),
    Column("export_id", Integer, ForeignKey("exports.id")),
    UniqueConstraint("lead_key", "kind"),
)
rejected_on_index = Index("leads_rejected_on", leads.c.rejected_on)  # version 2: --since/--until on a big history


def _add_rejected_on_index(connection: Connection) -> None:
    rejected_on_index.create(connection, checkfirst=True)


UPGRADES = {2: _add_rejected_on_index}  # version -> what turns the version before it into this one


def version_of(connection: Connection) -> int | None:
    """The schema version a database was written with, or None for an empty database."""
    if not inspect(connection).has_table("meta"):
        return None
    value = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else None


def prepare(connection: Connection, where: str) -> int:
    """Create the tables in an empty database, upgrade an older one, refuse a newer one; returns the version."""
    version = version_of(connection)
    if version is None:
        metadata.create_all(connection)
        connection.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise InputError(f"the history {where} was written by a newer Rejection Radar (schema {version}; this one "
                         f"reads up to {SCHEMA_VERSION}): upgrade rejection-radar, or use another --db")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        UPGRADES[step](connection)
        connection.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(step)))
    return SCHEMA_VERSION
