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


def zip_table(path: Path, name: str, members: list[zipfile.ZipInfo], chunksize: int | None, sheet: str | None,
              open_table: Callable[..., Table]) -> Table:
    """The table(s) of a ZIP archive as one Table; members are unpacked to a temporary folder."""
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise InputError(f"{name} unpacks to more than {MAX_UNPACKED >> 30} GiB; unpack it and pass one file")
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
    files = ", ".join(m.filename for m in members) or "none"
    if not tables:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"{name} holds no CSV or Excel table (files: {files})")
    headers = {tuple(normalize_header(h) for h in t.header) for _, t in tables}
    if len(headers) > 1:
        shutil.rmtree(folder, ignore_errors=True)
        listing = ", ".join(f for f, _ in tables)
        raise InputError(f"{name} holds {len(tables)} tables with different columns ({listing}); "
                         "unpack it and pass one file")
    first = tables[0][1]
    notices = [n for _, t in tables for n in t.notices]
    if len(tables) == 1:
        notices.insert(0, f"{name}: read {tables[0][0]} from the archive")
    else:
        notices.insert(0, f"{name}: concatenated {len(tables)} files with the same header in name order: "
                          + ", ".join(f for f, _ in tables))
    if skipped:
        notices.append(f"{name}: ignored files that are not tables: {', '.join(skipped)}")

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
