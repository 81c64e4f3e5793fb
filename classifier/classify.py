"""Classifying a whole export: predictions joined onto its rows without touching its own columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from classifier.exports.writer import TableWriter, csv_text
from classifier.model import OUTPUT_COLUMNS, ReasonModel, classify_counting_empty

if TYPE_CHECKING:
    from classifier.exports.reader import ExportReader


def prediction_columns(existing: list[str]) -> dict[str, str]:
    """Output column names; a name the export already uses gets a ``_radar`` suffix.

    >>> prediction_columns(["Owner", "reason"])["reason"]
    'reason_radar'
    """
    taken = set(existing)
    names = {}
    for column in OUTPUT_COLUMNS:
        name = column
        while name in taken:
            name += "_radar"
        names[column] = name
    return names


def add_predictions(export, model: ReasonModel, predictions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The export's frame, unchanged and in order, with the prediction columns appended.

    ``export`` is an :class:`classifier.exports.reader.Export` (or a chunk of one): its note text, with
    HTML turned into plain text, is what the model reads. Pass ``predictions`` when they were
    made already (e.g. by :meth:`ReasonModel.classify_stream`).
    """
    frame = export.frame
    if predictions is None:
        predictions = model.classify(export.note_text().tolist())
    predictions.columns = [prediction_columns(list(frame.columns))[c] for c in predictions.columns]
    predictions.index = frame.index
    return pd.concat([frame, predictions], axis=1)


def _classified(model: ReasonModel, chunk, explain: bool) -> tuple[pd.DataFrame, int]:
    """One chunk of an export with its predictions (and explanations) appended, and its count of notes with no reason."""
    notes = chunk.note_text().tolist()
    predictions, empty = classify_counting_empty(notes, model)
    classified = add_predictions(chunk, model, predictions)
    if explain:
        from classifier.explain import explanation_lines

        classified["explanation"] = explanation_lines(model, notes)
    return classified, empty


def _frame_chunk(model: ReasonModel, item) -> tuple[pd.DataFrame, int]:
    """Worker task: a classified chunk and its count of notes with no reason."""
    chunk, explain = item
    return _classified(model, chunk, explain)


def _csv_chunk(model: ReasonModel, item) -> tuple[str, list[str], int, int]:
    """Worker task: a classified chunk as CSV/TSV rows (no header), its columns, rows and notes with no reason."""
    chunk, explain, sep = item
    classified, empty = _classified(model, chunk, explain)
    return csv_text(classified, header=False, sep=sep), list(classified.columns), len(classified), empty


def model_and_export(source, load: Callable[[], ReasonModel], roles: dict[str, str] | None = None) -> tuple[ReasonModel, ExportReader]:
    """``(model, reader)``: the model from ``load()``, ready to classify, and ``source`` opened with
    :func:`~classifier.exports.open_export`. A large CSV's structural scan runs in a helper
    process meanwhile (:func:`~classifier.exports.reader.scan_ahead`), which saves about a second
    per million rows."""
    from classifier.exports import open_export, scan_ahead

    scan_ahead(source, names=[n for n in (roles or {}).values() if n])
    model = load()
    model.warm_up()
    return model, open_export(source, roles=roles)


@dataclass
class ClassifyResult:
    """What :func:`classify_export` did: rows written, notes with no reason, notices for the user."""

    rows: int = 0
    empty_notes: int = 0
    notices: list[str] = field(default_factory=list)


def classify_export(
    source,
    model: ReasonModel,
    output=None,
    *,
    roles: dict[str, str] | None = None,
    jobs: int | None = None,
    explain: bool = False,
    progress: Callable[[int], None] | None = None,
    forbid: Sequence = (),
) -> ClassifyResult:
    """Classify a CRM export chunk by chunk and write it with the prediction columns appended.

    ``source`` is a path, ``-`` or a binary stream (read with :func:`~classifier.exports.open_export`
    and ``roles``), or an already opened reader. Every input row comes out once, in order, with
    its own columns unchanged (:func:`add_predictions`); ``output`` ``None`` writes CSV to
    stdout, never over ``source`` or a path in ``forbid``. Chunks are classified (and, for CSV
    and TSV, formatted) in ``jobs`` forked workers while the next is read, so memory stays bounded; ``progress`` is called with
    the rows done after each chunk. The result's ``notices`` are what came up after opening.
    """
    from classifier.exports import open_export
    from classifier.exports.reader import ExportReader

    reader = source if isinstance(source, ExportReader) else open_export(source, roles=roles)
    if not isinstance(source, ExportReader):
        forbid = [source, *forbid]
    shown = len(reader.notices)
    result = ClassifyResult()
    with TableWriter(output, forbid=list(forbid)) as writer, model.workers(jobs):
        if writer.text_rows:  # workers classify and format each chunk; this process reads and writes
            for text, columns, rows, empty in model.map_stream(_csv_chunk, ((c, explain, writer.separator) for c in reader)):
                writer.write_text(text, columns, rows)
                result.rows, result.empty_notes = result.rows + rows, result.empty_notes + empty
                if progress is not None:
                    progress(rows)
        else:
            for classified, empty in model.map_stream(_frame_chunk, ((c, explain) for c in reader)):
                writer.write(classified)
                result.rows, result.empty_notes = result.rows + len(classified), result.empty_notes + empty
                if progress is not None:
                    progress(len(classified))
    result.notices = reader.notices[shown:] + list(writer.notices)
    return result
