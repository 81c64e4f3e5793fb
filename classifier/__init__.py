"""Rejection Radar: classify CRM rejection notes and find the weak rejections to challenge.

>>> from classifier import load_model, classify_notes        # doctest: +SKIP
>>> classify_notes(["kein Budget bis Q3"], load_model())      # doctest: +SKIP

The names below are imported on first use, so reading an export (``classifier.exports``) does
not pay for importing scikit-learn and spaCy.
"""

from importlib import import_module

from classifier.errors import InputError, ModelError, RadarError

_LAZY = {
    "ReasonModel": "classifier.model",
    "classify_notes": "classifier.model",
    "load_model": "classifier.persistence",
    "save_model": "classifier.persistence",
    "build_pipeline": "classifier.pipeline",
    "NotePreprocessor": "classifier.preprocess",
    "Taxonomy": "classifier.taxonomy",
    "load_taxonomy": "classifier.taxonomy",
}

__all__ = ["InputError", "ModelError", "RadarError", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
