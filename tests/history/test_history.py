"""The rejection history: ingest, outcomes, reports over it, and what it survives."""

import json
from datetime import date
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cli import cli
from classifier.errors import InputError
from classifier.history import History
from classifier.history.schema import SCHEMA_VERSION, metadata, rejected_on_index
from monthly import lead_row, write

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ingest(path, db, model):
    result = run("ingest", path, "--db", db, "--model", model, "--text-column", "Description")
    assert result.exit_code == 0, result.output
    return result


def report(model, *args):
    result = run("report", *args, "--model", model, "--format", "json", "--period", "quarter")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_twelve_monthly_exports_give_the_report_of_one_export_holding_all(monthly, tmp_path, seed_model_dir):
    months, whole = monthly
    db = tmp_path / "history.sqlite"
    for path in months:
        ingest(path, db, seed_model_dir)
    from_history = report(seed_model_dir, "--db", db)
    from_file = report(seed_model_dir, whole, "--text-column", "Description")
    assert from_history["overview"]["rejections"] == from_file["overview"]["rejections"] == 2400
    for key in ("periods", "owners", "sources", "alerts", "challenge"):
        assert from_history[key] == from_file[key], key
    for key in ("weak_share", "reason_counts", "date_from", "date_to", "needs_review"):
        assert from_history["overview"][key] == from_file["overview"][key], key


def test_reingesting_changes_nothing_and_a_later_export_updates_the_lead(monthly, tmp_path, seed_model_dir):
    months, _ = monthly
    db = tmp_path / "history.sqlite"
    ingest(months[0], db, seed_model_dir)
    before = History(db).counts()
    assert "ingested before; nothing changed" in ingest(months[0], db, seed_model_dir).stderr
    assert History(db).counts() == before
    moved = write([dict(lead_row(1000, 1), **{"Lead Owner": "Eva Neu"})], tmp_path / "update.csv")
    assert "0 new and 1 updated" in ingest(moved, db, seed_model_dir).stderr
    frame = History(db).frame()
    assert frame.loc[frame["id"] == "L01000", "owner"].item() == "Eva Neu" and len(frame) == before["leads"]


def _outcome_history(tmp_path, seed_model_dir, back_challenged: float, back_other: float):
    """A year of too_early rejections; half challenged; later exports show which came back."""
    db = tmp_path / "history.sqlite"
    leads = [lead_row(i, 1 + i % 6) for i in range(0, 4000, 8)] + [lead_row(i, 1 + i % 6) for i in range(1, 4000, 8)]  # too_early
    ingest(write(leads, tmp_path / "first_half.csv"), db, seed_model_dir)
    with History(db) as history:
        challenged = [r["Lead ID"] for r in leads[::2]]
        history.record_challenges(challenged, on=date(2026, 7, 1))  # after the rejections, before they came back
    chosen = set(challenged)
    later, planted = [], {"challenged": [0, 0, 0], "other": [0, 0, 0]}
    for n, row in enumerate(leads):
        group = "challenged" if row["Lead ID"] in chosen else "other"
        planted[group][0] += 1
        share = back_challenged if group == "challenged" else back_other
        if (n // 2) % 100 < share * 100:
            converted = (n // 2) % 4 == 0
            later.append(dict(lead_row(int(row["Lead ID"][1:]), 12), **{"Lead Status": "Converted" if converted else "Working"}))
            planted[group][1] += 1
            planted[group][2] += converted
    ingest(write(later, tmp_path / "december.csv"), db, seed_model_dir)
    return db, planted


def test_report_finds_a_planted_outcome_with_its_numbers(tmp_path, seed_model_dir):
    db, planted = _outcome_history(tmp_path, seed_model_dir, back_challenged=0.30, back_other=0.10)
    result = report(seed_model_dir, "--db", db)
    row = next(r for r in result["outcomes"]["by_reason"] if r["name"] == "too_early")
    assert (row["challenged"], row["came_back"], row["converted"]) == tuple(planted["challenged"])
    assert (row["not_challenged"], row["not_challenged_came_back"]) == tuple(planted["other"][:2])
    alerts = [a for a in result["alerts"] if a["scope"] == "outcome"]
    assert [a["subject"] for a in alerts] == ["too_early"]
    assert f"Of {planted['challenged'][0]} challenged 'too early' rejections, {planted['challenged'][1]} were reopened" in alerts[0]["message"]


def test_no_outcome_alert_without_a_planted_outcome(tmp_path, seed_model_dir):
    db, _ = _outcome_history(tmp_path, seed_model_dir, back_challenged=0.10, back_other=0.10)
    assert not [a for a in report(seed_model_dir, "--db", db)["alerts"] if a["scope"] == "outcome"]


def test_challenge_db_records_what_was_challenged(monthly, tmp_path, seed_model_dir):
    db = tmp_path / "history.sqlite"
    ingest(monthly[0][0], db, seed_model_dir)
    result = run("challenge", "--db", db, "--model", seed_model_dir, "-o", tmp_path / "c.csv")
    assert result.exit_code == 0 and "newly challenged" in result.stderr
    events = History(db).events_frame()
    assert set(events["kind"]) == {"challenged"} and len(events) == sum(1 for _ in open(tmp_path / "c.csv")) - 1


def test_forget_removes_notes_for_good_and_keeps_the_counts(monthly, tmp_path, seed_model_dir):
    db = tmp_path / "history.sqlite"
    ingest(monthly[0][0], db, seed_model_dir)
    before = report(seed_model_dir, "--db", db)["overview"]
    assert run("forget", "--db", db, "--lead", "L01007").exit_code == 0
    after = report(seed_model_dir, "--db", db)["overview"]
    assert (after["rejections"], after["reason_counts"]) == (before["rejections"], before["reason_counts"])
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite*"))
    assert b"Notiz 1007:" not in stored and b"Notiz 1008:" in stored
    assert "forgot the notes and owners of 0 leads" in run("forget", "--db", db, "--older-than", "24m").stderr
    assert "forgot the notes and owners of 199 leads" in run("forget", "--db", db, "--older-than", "1m").stderr


def test_a_killed_ingest_leaves_the_database_as_it_was(tmp_path, seed_model_dir):
    db = tmp_path / "history.sqlite"
    ingest(write([lead_row(i, 1) for i in range(50)], tmp_path / "small.csv"), db, seed_model_dir)
    before = History(db).counts()
    big = write([lead_row(100_000 + i, 1 + i % 12) for i in range(150_000)], tmp_path / "big.csv")
    proc = subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(big), "--db", str(db), "--model", str(seed_model_dir),
                             "--text-column", "Description"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(str(db) + "-wal")
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and not (wal.exists() and wal.stat().st_size > 12_000_000):
        time.sleep(0.02)  # until the transaction has written more than the first 50k-row slice (about 9 MB)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert History(db).counts() == before


def test_two_ingests_at_once_both_land(tmp_path, seed_model_dir):
    db = tmp_path / "history.sqlite"
    History(db).close()
    files = [write([lead_row(k * 100_000 + i, 1 + i % 12) for i in range(20_000)], tmp_path / f"part{k}.csv") for k in (1, 2)]
    procs = [subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(f), "--db", str(db), "--model", str(seed_model_dir),
                               "--text-column", "Description"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for f in files]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert History(db).counts() == {"exports": 2, "leads": 40_000, "events": 0}


def test_an_older_schema_is_upgraded_and_a_newer_one_refused(tmp_path, monthly, seed_model_dir):
    db = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:  # what version 1 wrote: the tables without the rejected_on index
        metadata.create_all(connection)
        rejected_on_index.drop(connection)
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', '1')"))
    engine.dispose()
    ingest(monthly[0][0], db, seed_model_dir)
    with create_engine(f"sqlite:///{db}").connect() as connection:
        assert connection.execute(text("SELECT value FROM meta")).scalar() == str(SCHEMA_VERSION)
        assert "leads_rejected_on" in {r[1] for r in connection.execute(text("PRAGMA index_list('leads')"))}
        connection.execute(text("UPDATE meta SET value = '99'"))
        connection.commit()
    with pytest.raises(InputError, match="newer Rejection Radar"):
        History(db)
    result = run("report", "--db", db, "--model", seed_model_dir)
    assert result.exit_code == 1 and "newer Rejection Radar" in result.stderr and "Traceback" not in result.output


def test_postgresql_history_gives_the_same_report(monthly, postgres_url, seed_model_dir):
    months, _ = monthly
    for path in months[:3]:
        ingest(path, postgres_url, seed_model_dir)
    assert "nothing changed" in ingest(months[0], postgres_url, seed_model_dir).stderr
    history = History(postgres_url)
    assert history.counts()["leads"] == 600
    assert report(seed_model_dir, "--db", postgres_url)["overview"]["rejections"] == 600
    history.close()


def test_reclassify_relabels_the_history_and_counts_the_changes(monthly, tmp_path, seed_model_dir):
    db = tmp_path / "history.sqlite"
    ingest(monthly[0][0], db, seed_model_dir)
    before = History(db).frame().set_index("id")["reason"]
    result = run("reclassify", "--db", db, "--model", seed_model_dir)
    after = History(db).frame().set_index("id")["reason"]
    changed = int((before != after.reindex(before.index)).sum())
    assert result.exit_code == 0 and f"relabelled 200 notes" in result.stderr and f"; {changed} labels changed" in result.stderr
    assert changed > 0  # the file's own labels were not the seed model's
    with create_engine(f"sqlite:///{db}").connect() as connection:
        assert connection.execute(text("SELECT COUNT(DISTINCT model_version) FROM leads")).scalar() == 1


@pytest.mark.parametrize("kind", ["an export", "a folder", "an unknown database", "a missing driver"])
def test_a_db_that_is_not_a_history_gets_a_clear_error_and_stays_untouched(tmp_path, seed_model_dir, kind):
    export = write([lead_row(1, 1)], tmp_path / "leads.csv")
    before = export.read_bytes()
    db = {"an export": export, "a folder": tmp_path, "an unknown database": "foo://bar",
          "a missing driver": "mysql://user@host/db"}[kind]
    for args in (("report", "--db", db), ("ingest", export, "--db", db)):
        result = run(*args, "--model", seed_model_dir)
        assert result.exit_code == 1 and "cannot open the history database" in result.stderr, result.output
        assert "Traceback" not in result.output
    assert export.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv"]
