"""Reading whatever CRM export a user brings, and writing results safely.

Reading: format sniffing (:mod:`.sniff`), CSV dialects (:mod:`.csv_reader`), spreadsheets and
archives (:mod:`.containers`, :mod:`.zip_reader`), header and footer rows (:mod:`.tables`),
column roles (:mod:`.roles`) from one word list (:mod:`.vocabulary`), dates
(:mod:`.date_formats`), which rows are rejections (:mod:`.statuses`) and what was wrong with the
input (:mod:`.input_checks`), put together by :mod:`.reader`. Writing: :mod:`.writer`.

>>> from classifier.exports import read_export     # doctest: +SKIP
>>> export = read_export("hubspot_export.csv")       # doctest: +SKIP
>>> export.roles["note"], len(export.frame)          # doctest: +SKIP
('Unqualified Reason', 30)
"""

from classifier.exports.reader import open_export, read_export, scan_ahead
from classifier.exports.types import Export, Schema
from classifier.exports.writer import TableWriter, write_table

__all__ = ["Export", "Schema", "TableWriter", "open_export", "read_export", "scan_ahead", "write_table"]
