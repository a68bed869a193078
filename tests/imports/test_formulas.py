"""``core.formulas``: what the CSV writers neutralise, the CSV reader restores exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_career.core.formulas import neutralise, restore


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+62 21 555", "'+62 21 555"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=already", "''=already"),
        ("Siti Rahma", "Siti Rahma"),
        ("'quoted", "'quoted"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab ")))
def test_the_round_trip_is_lossless(text: str) -> None:
    written = neutralise(text)
    assert written[:1] not in {"=", "+", "-", "@", "\t", "\r"}
    assert restore(written) == text
