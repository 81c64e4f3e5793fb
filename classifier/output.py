"""Joining predictions onto an export without touching its own columns."""

from __future__ import annotations

import pandas as pd

from .model import OUTPUT_COLUMNS, ReasonModel


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

    ``export`` is an :class:`classifier.io.Export` (or a chunk of one): its note text, with
    HTML turned into plain text, is what the model reads. Pass ``predictions`` when they were
    made already (e.g. by :meth:`ReasonModel.classify_stream`).
    """
    frame = export.frame
    if predictions is None:
        predictions = model.classify(export.note_text().tolist())
    predictions.columns = [prediction_columns(list(frame.columns))[c] for c in predictions.columns]
    predictions.index = frame.index
    return pd.concat([frame, predictions], axis=1)
