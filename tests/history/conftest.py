"""Generated monthly exports (classified files, so no model prediction is assumed) and databases."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from monthly import lead_row, write


@pytest.fixture(scope="session")
def monthly(tmp_path_factory):
    """Twelve monthly exports of 200 rejections each, and one export holding all of them."""
    folder = tmp_path_factory.mktemp("monthly")
    months, everything = [], []
    for month in range(1, 13):
        rows = [lead_row(month * 1000 + i, month) for i in range(200)]
        everything += rows
        months.append(write(rows, folder / f"leads_2026_{month:02d}.csv"))
    return months, write(everything, folder / "leads_2026.csv")


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A throwaway PostgreSQL server (initdb + pg_ctl), or a skip that says why there is none."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL tests skipped: initdb/pg_ctl not found (install Debian's postgresql)")
    base = Path(tempfile.mkdtemp(prefix="radar-pg-"))
    base.chmod(0o777)
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []  # initdb refuses to run as root
    port = str(54000 + os.getpid() % 900)
    try:
        subprocess.run([*as_user, initdb, "-D", str(base / "data"), "-A", "trust", "-U", "postgres"], check=True, capture_output=True, timeout=120)
        subprocess.run([*as_user, pg_ctl, "-D", str(base / "data"), "-o", f"-k {base} -p {port} -c listen_addresses=''",
                        "-l", str(base / "log"), "-w", "start"], check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"PostgreSQL tests skipped: could not start a throwaway server ({exc})")
    yield f"postgresql+psycopg://postgres@/postgres?host={base}&port={port}"
    subprocess.run([*as_user, pg_ctl, "-D", str(base / "data"), "-m", "immediate", "stop"], capture_output=True, timeout=60)
    shutil.rmtree(base, ignore_errors=True)
