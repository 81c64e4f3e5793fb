"""CSV/TSV text from the writer: the Arrow formatting gives the csv module's text, cell for cell."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.exports.text_safety import LINE_BREAKS
from classifier.exports.writer import _arrow_rows, _csv_module_text, csv_text

# Every character the writer treats specially, some plain ones, and a few beyond ASCII.
CELL = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list(',;"\'=+-@\t ' + LINE_BREAKS + "abcäß€1 ")), max_size=8))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL, st.floats(0, 1) | st.none(), st.booleans()), min_size=1, max_size=6),
       sep=st.sampled_from([",", "\t"]))
def test_arrow_rows_equal_the_csv_module(rows, sep):
    frame = pd.DataFrame({
        "a": pd.array([r[0] for r in rows], dtype="str"),
        "b": pd.array([r[1] for r in rows], dtype="str"),
        "confidence": np.array([np.nan if r[2] is None else round(r[2], 4) for r in rows], dtype=float),
        "weak": np.array([r[3] for r in rows], dtype=bool),
    })
    fast = _arrow_rows(frame, sep)
    assert fast is not None
    assert fast == _csv_module_text(frame, header=False, sep=sep)


def test_arrow_rows_read_back_as_the_cells_with_formulas_neutralised():
    cells = ["=1+1", 'a "quoted", note', "line\rbreak", "plain", None, "-5"]
    frame = pd.DataFrame({"note": pd.array(cells, dtype="str"), "reason": pd.array(["other"] * 6, dtype="str")})
    text = csv_text(frame, header=True)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["note", "reason"]
    assert [row[0] for row in back[1:]] == ["'=1+1", 'a "quoted", note', "line\rbreak", "plain", "", "'-5"]


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"only": pd.array(["", "x"], dtype="str")}),      # a lone empty field is the csv module's case
    pd.DataFrame({"n": [1, 2], "t": pd.array(["a", "b"], dtype="str")}),  # integers: left to pandas
])
def test_other_frames_are_left_to_the_csv_module(frame):
    assert _arrow_rows(frame, ",") is None
    assert csv_text(frame, header=False) == frame.to_csv(index=False, header=False, lineterminator="\n")
