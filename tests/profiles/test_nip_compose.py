"""Composing a NIP / NI PPPK is the inverse of parsing one (the demo generator composes)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from asn_career.profiles.nip import (
    MIN_AGE_AT_APPOINTMENT,
    Gender,
    parse_nip,
    pns_nip,
    pppk_nip,
)

births = st.dates(min_value=date(1940, 1, 1), max_value=date(2005, 12, 31))
genders = st.sampled_from(("M", "F"))
sequences = st.integers(min_value=1, max_value=999)


@given(births, st.integers(min_value=0, max_value=40 * 12), genders, sequences)
def test_a_composed_pns_nip_parses_back(
    birth: date, months_after: int, gender: Gender, sequence: int
) -> None:
    index = birth.year * 12 + birth.month - 1 + MIN_AGE_AT_APPOINTMENT * 12 + months_after
    appointed = date(index // 12, index % 12 + 1, 1)
    info = parse_nip(pns_nip(birth, appointed, gender, sequence), "pns")
    assert (info.birth_date, info.appointment_date, info.gender, info.sequence) == (
        birth,
        appointed,
        gender,
        sequence,
    )


@given(births, st.integers(min_value=0, max_value=40), st.sampled_from(("21", "24")), genders,
       sequences)  # fmt: skip
def test_a_composed_ni_pppk_parses_back(
    birth: date, years_after: int, code: str, gender: Gender, sequence: int
) -> None:
    year = birth.year + MIN_AGE_AT_APPOINTMENT + years_after
    info = parse_nip(pppk_nip(birth, year, code, gender, sequence), "pppk")
    assert (info.birth_date, info.appointment_date.year, info.pppk_code, info.gender) == (
        birth,
        year,
        code,
        gender,
    )
    assert info.sequence == sequence
