"""Tables inside a ZIP (HubSpot >1M rows, Zoho Bulk Read, Salesforce weekly export).

One table: use it. Several with the same header: concatenate them in name order and say
so. Otherwise stop and list the files.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

from classifier.exports.vocabulary import normalize_header
from classifier.errors import InputError
from classifier.exports.tables import Chunk, Table
from classifier.exports.sniff import brief

MAX_UNPACKED = 16 << 30  # refuse archives that unpack to more than 16 GiB
MAX_RATIO = 100  # unpacked/packed size of one member; Apache POI's default too (real CSV and XLSX parts: 5-20)
RATIO_GRACE = 1 << 20  # members below 1 MiB unpacked may compress better (tiny XML parts)
MAX_MEMBERS = 10_000  # entries of any archive (an XLSX has a few dozen)
MAX_TABLES = 1_000  # files read from an archive of tables (HubSpot and Zoho split into a handful)
_FIX = "unpack it yourself and pass the table file"


def _size(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n:,} bytes"


def check_archive(archive: zipfile.ZipFile, name: str, limit: int = MAX_UNPACKED) -> None:
    """Refuse a ZIP (or XLSX) before anything is unpacked: too many entries, a member that
    unpacks more than ``MAX_RATIO`` times its packed size, or more than ``limit`` bytes in all.

    Sizes come from the central directory; Python's zipfile never yields more than the
    declared size of a member (and checks its CRC), so a lying header cannot get past this.
    """
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{name} holds {len(infos):,} files, more than the {MAX_MEMBERS:,} read from an archive; "
                         f"{_FIX}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{name}: {info.filename} would unpack from {_size(info.compress_size)} to {_size(info.file_size)} "
                f"({info.file_size // max(info.compress_size, 1):,} times), more than {MAX_RATIO} times: this looks "
                f"like a ZIP bomb and was not unpacked; if the file is genuine, {_FIX}")
    if total > limit:
        raise InputError(f"{name} unpacks to {_size(total)}, more than {limit >> 30} GiB; {_FIX}")


def _summarise(name: str, tables: list[tuple[str, Table]]) -> list[str]:
    """Notices of the archive's tables, one line per distinct message (not one per file)."""
    groups: dict[str, list[str]] = {}
    for member, table in tables:
        prefix = f"{name}:{member}: "
        for text in table.notices:
            groups.setdefault(text.removeprefix(prefix), []).append(member)
    out = []
    for text, members in groups.items():
        if len(members) == 1:
            out.append(f"{name}:{members[0]}: {text}")
        else:
            out.append(f"{name}: {len(members)} files ({_listing(members, 3)}): {text}")
    return out


def _listing(files: list[str], limit: int = 10) -> str:
    shown = ", ".join(files[:limit])
    return shown + (f" and {len(files) - limit:,} more" if len(files) > limit else "")


def zip_table(path: Path, name: str, members: list[zipfile.ZipInfo], chunksize: int | None, sheet: str | None,
              open_table: Callable[..., Table]) -> Table:
    """The table(s) of a ZIP archive as one Table; members are unpacked to a temporary folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name} is a damaged ZIP archive ({brief(exc)}); unpack it and pass one file") from exc
    if len(members) > MAX_TABLES:
        raise InputError(f"{name} holds {len(members):,} files, more than the {MAX_TABLES:,} read from one archive; "
                         f"{_FIX}")
    folder = Path(tempfile.mkdtemp(prefix="radar-zip-"))
    tables: list[tuple[str, Table]] = []
    skipped: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for i, info in enumerate(members):
                target = folder / f"{i:04d}_{Path(info.filename).name}"
                with archive.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                try:
                    tables.append((info.filename, open_table(target, f"{name}:{info.filename}", chunksize, sheet, True)))
                except InputError:
                    skipped.append(info.filename)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"{name} is a damaged ZIP archive ({brief(exc)}); unpack it and pass one file") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    files = _listing([m.filename for m in members]) or "none"
    if not tables:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"{name} holds no CSV or Excel table (files: {files})")
    headers = {tuple(normalize_header(h) for h in t.header) for _, t in tables}
    if len(headers) > 1:
        shutil.rmtree(folder, ignore_errors=True)
        listing = _listing([f for f, _ in tables])
        raise InputError(f"{name} holds {len(tables)} tables with different columns ({listing}); "
                         "unpack it and pass one file")
    first = tables[0][1]
    notices = _summarise(name, tables)
    if len(tables) == 1:
        notices.insert(0, f"{name}: read {tables[0][0]} from the archive")
    else:
        notices.insert(0, f"{name}: concatenated {len(tables)} files with the same header in name order: "
                          + _listing([f for f, _ in tables]))
    if skipped:
        notices.append(f"{name}: ignored {len(skipped)} files that are not tables: {_listing(skipped)}")

    def chunks() -> Iterator[Chunk]:
        yield from chain.from_iterable(t.chunks for _, t in tables)

    def close() -> None:
        for _, t in tables:
            t.close()
        shutil.rmtree(folder, ignore_errors=True)

    total = sum(t.total or 0 for _, t in tables)
    scanned = [t.mojibake for _, t in tables]
    mojibake = None
    if all(m is not None for m in scanned):
        found = [m for m in scanned if m[0]]  # type: ignore[index]
        mojibake = (sum(m[0] for m in found), found[0][1], found[0][2]) if found else (0, 0, "")
    return Table(first.header, chunks(), first.has_header, notices, first.hidden, first.dayfirst, first.delimiter,
                 total, mojibake, close)
