"""Reports over classified rejections: trends, statistics, follow-up dates, builders and rendering.

:func:`build_report` and :func:`challenge_list` are pure functions of a rejections frame;
:func:`render` turns a report into a terminal table, Markdown, JSON or a self-contained HTML page.

>>> from classifier.reports import build_report, render      # doctest: +SKIP
>>> print(render(build_report(frame, model.taxonomy), "markdown", model.taxonomy))   # doctest: +SKIP
"""

from __future__ import annotations

import json

from classifier.reports.builders import (
    analyse_export,
    analyse_stream,
    build_report,
    challenge_list,
    export_report,
    group_columns,
    history_report,
    read_picklist_map,
)
from classifier.reports.rendering import to_html, to_markdown, to_table
from classifier.taxonomy import Taxonomy

FORMATS = ("table", "markdown", "json", "html")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".json": "json", ".txt": "table"}


def render(result: dict, fmt: str, taxonomy: Taxonomy, *, color: bool = False) -> str:
    """A report from :func:`build_report` as ``table``, ``markdown``, ``json`` or ``html`` text."""
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2, default=str)
    if fmt == "markdown":
        return to_markdown(result, taxonomy)
    if fmt == "html":
        return to_html(result, taxonomy)
    if fmt == "table":
        return to_table(result, taxonomy, color=color)
    raise ValueError(f"Got format {fmt!r} but expected one of {FORMATS}.")


__all__ = ["FORMATS", "SUFFIXES", "analyse_export", "analyse_stream", "build_report", "challenge_list", "export_report", "group_columns", "history_report", "read_picklist_map", "render"]
