"""Rejection Radar: classify CRM rejection notes and find the weak rejections to challenge.

>>> from classifier import load_model, classify_notes        # doctest: +SKIP
>>> classify_notes(["kein Budget bis Q3"], load_model())      # doctest: +SKIP
"""

from classifier.errors import InputError, ModelError, RadarError
from classifier.model import ReasonModel, classify_notes
from classifier.persistence import load_model, save_model
from classifier.pipeline import build_pipeline
from classifier.preprocess import NotePreprocessor
from classifier.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "InputError",
    "ModelError",
    "NotePreprocessor",
    "RadarError",
    "ReasonModel",
    "Taxonomy",
    "build_pipeline",
    "classify_notes",
    "load_model",
    "load_taxonomy",
    "save_model",
]
