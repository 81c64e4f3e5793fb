"""A rejection history across exports: ingest, outcomes, challenges, relabelling, forgetting.

>>> from classifier.history import History
>>> with History("/tmp/history.sqlite") as history:  # doctest: +SKIP
...     history.counts()
"""

from classifier.history.store import History, IngestResult, default_url, file_sha256, ingest_export, lead_keys, model_version, retention_cutoff

__all__ = ["History", "IngestResult", "default_url", "file_sha256", "ingest_export", "lead_keys", "model_version", "retention_cutoff"]
