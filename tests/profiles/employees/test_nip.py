"""NIP (PNS) and NI PPPK rules, digit by digit, with property-based round trips."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_career.profiles.nip import (
    InvalidNip,
    NipInfo,
    disagreements,
    is_valid_nip,
    looks_like_pns,
    mask_nik,
    nip_problems,
    parse_nip,
)


def digits_of(nip: str, kind: str = "pns") -> list[str]:
    return [p.digits for p in nip_problems(nip, kind)]  # type: ignore[arg-type]


def test_examples_from_the_domain_document() -> None:
    pns = parse_nip("198609262015051001")
    assert pns == NipInfo(
        nip="198609262015051001",
        employment_type="pns",
        birth_date=date(1986, 9, 26),
        appointment_date=date(2015, 5, 1),
        gender="M",
        sequence=1,
    )
    pppk = parse_nip("199601032024212050")
    assert pppk.employment_type == "pppk"
    assert pppk.birth_date == date(1996, 1, 3)
    assert pppk.appointment_date == date(2024, 1, 1)
    assert pppk.gender == "F"
    assert pppk.sequence == 50
    assert pppk.pppk_code == "21"


@pytest.mark.parametrize(
    "nip",
    ["", "1986092620150510", "1986092620150510011", "19860926201505100a", "١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١",
     " 98609262015051001", "198609262015051-01"],
)  # fmt: skip
def test_length_and_digits(nip: str) -> None:
    assert digits_of(nip) == [""]
    assert digits_of(nip, "pppk") == [""]
    with pytest.raises(InvalidNip, match="18 digits"):
        parse_nip(nip)


@pytest.mark.parametrize(
    "birth", ["19860230", "19861301", "19860001", "19860900", "19860931", "00000101", "19000229"]
)
def test_birth_date_must_be_real(birth: str) -> None:
    nip = birth + "201505" + "1001"
    assert "1–8" in digits_of(nip)
    assert "1–8" in digits_of(birth + "2015" + "21" + "1001", "pppk")


def test_leap_day_birth_is_real() -> None:
    assert parse_nip("200002292020051001").birth_date == date(2000, 2, 29)


@pytest.mark.parametrize("month", ["00", "13", "21", "99"])
def test_pns_appointment_month(month: str) -> None:
    nip = f"198609262015{month}1001"
    assert digits_of(nip) == ["13–14"]
    with pytest.raises(InvalidNip, match="digits 13–14 \\(appointment month\\) must be 01–12"):
        parse_nip(nip, "pns")


@pytest.mark.parametrize("code", ["00", "13", "21", "24", "99", "05"])
def test_pppk_code_is_not_month_checked(code: str) -> None:
    assert digits_of(f"199601032024{code}2050", "pppk") == []


def test_form_decides_the_type_when_not_given() -> None:
    assert looks_like_pns("198609262015051001")
    assert not looks_like_pns("199601032024212050")
    assert parse_nip("199601032024212050").employment_type == "pppk"
    assert parse_nip("198609262015051001", "pppk").employment_type == "pppk"


def test_pns_age_at_appointment() -> None:
    assert digits_of("198609262004091001") == []  # 18 in the month of appointment
    assert digits_of("198609262004081001") == ["9–14"]
    assert digits_of("198609261986091001") == ["9–14"]
    assert digits_of("198609260000051001") == ["9–14"]
    assert digits_of("198609261970051001") == ["9–14"]  # before birth


def test_pppk_age_at_appointment() -> None:
    assert digits_of("199601032014212050", "pppk") == []
    assert digits_of("199601032013212050", "pppk") == ["9–12"]
    assert digits_of("199601030000212050", "pppk") == ["9–12"]


@pytest.mark.parametrize("gender", "03456789")
def test_gender_digit(gender: str) -> None:
    assert digits_of(f"19860926201505{gender}001") == ["15"]
    assert digits_of(f"19960103202421{gender}050", "pppk") == ["15"]


def test_gender_codes() -> None:
    assert parse_nip("198609262015051001").gender == "M"
    assert parse_nip("198609262015052001").gender == "F"


def test_sequence() -> None:
    assert digits_of("198609262015051000") == ["16–18"]
    assert digits_of("199601032024212000", "pppk") == ["16–18"]
    assert parse_nip("198609262015051999").sequence == 999


def test_every_problem_is_reported_with_indonesian_text() -> None:
    problems = nip_problems("198602302015133000", "pns")
    assert [p.digits for p in problems] == ["1–8", "13–14", "15", "16–18"]
    assert all(p.message_id.startswith("digit ") for p in problems)
    assert "bulan TMT CPNS" in problems[1].message_id
    with pytest.raises(InvalidNip) as caught:
        parse_nip("198602302015133000", "pns")
    assert len(caught.value.problems) == 4
    assert not is_valid_nip("198602302015133000")
    assert is_valid_nip("198609262015051001", "pns")


def test_disagreements() -> None:
    pns = parse_nip("198609262015051001")
    assert disagreements(pns) == []
    assert (
        disagreements(
            pns, birth_date=date(1986, 9, 26), gender="M", appointment_date=date(2015, 5, 31)
        )
        == []
    )
    found = disagreements(
        pns, birth_date=date(1986, 9, 25), gender="F", appointment_date=date(2015, 6, 1)
    )
    assert [(p.field, p.digits) for p in found] == [
        ("birth_date", "1–8"),
        ("gender", "15"),
        ("appointment_date", "9–14"),
    ]
    assert "1986-09-26" in found[0].message
    pppk = parse_nip("199601032024212050")
    assert disagreements(pppk, appointment_date=date(2024, 12, 31)) == []
    assert [p.digits for p in disagreements(pppk, appointment_date=date(2025, 1, 1))] == ["9–12"]


def test_mask_nik() -> None:
    assert mask_nik("3674012609860001") == "************0001"
    assert mask_nik(None) is None


# --- properties ------------------------------------------------------------------------

births = st.dates(min_value=date(1940, 1, 1), max_value=date(2006, 12, 31))


@st.composite
def pns_parts(draw: st.DrawFn) -> tuple[date, date, str, int]:
    birth = draw(births)
    year = draw(st.integers(min_value=birth.year + 19, max_value=birth.year + 45))
    month = draw(st.integers(min_value=1, max_value=12))
    return birth, date(year, month, 1), draw(st.sampled_from("MF")), draw(st.integers(1, 999))


@given(pns_parts())
def test_pns_round_trip(parts: tuple[date, date, str, int]) -> None:
    birth, appointed, gender, seq = parts
    nip = f"{birth:%Y%m%d}{appointed:%Y%m}{'1' if gender == 'M' else '2'}{seq:03d}"
    info = parse_nip(nip, "pns")
    assert (info.birth_date, info.appointment_date, info.gender, info.sequence) == parts
    assert parse_nip(nip).employment_type == "pns"
    assert disagreements(info, birth_date=birth, gender=gender, appointment_date=appointed) == []


@given(
    births,
    st.integers(min_value=18, max_value=45),
    st.integers(min_value=0, max_value=99),
    st.sampled_from("MF"),
    st.integers(1, 999),
)
def test_pppk_round_trip(birth: date, age: int, code: int, gender: str, seq: int) -> None:
    year = birth.year + age
    nip = f"{birth:%Y%m%d}{year}{code:02d}{'1' if gender == 'M' else '2'}{seq:03d}"
    info = parse_nip(nip, "pppk")
    assert info.birth_date == birth
    assert info.appointment_date == date(year, 1, 1)
    assert info.gender == gender and info.sequence == seq and info.pppk_code == f"{code:02d}"


@given(st.text(max_size=20))
def test_never_crashes(text: str) -> None:
    for kind in ("pns", "pppk"):
        if nip_problems(text, kind):
            with pytest.raises(InvalidNip):
                parse_nip(text, kind)
        else:
            assert parse_nip(text, kind).nip == text
    is_valid_nip(text)


@given(st.from_regex(r"\A[0-9]{18}\Z"))
def test_any_18_digits_either_parse_or_name_digits(nip: str) -> None:
    for kind in ("pns", "pppk"):
        problems = nip_problems(nip, kind)
        assert all(p.digits for p in problems)
        assert is_valid_nip(nip, kind) == (not problems)


@given(pns_parts(), st.integers(min_value=1, max_value=3000))
def test_a_shifted_birth_date_disagrees(parts: tuple[date, date, str, int], days: int) -> None:
    birth, appointed, gender, seq = parts
    nip = f"{birth:%Y%m%d}{appointed:%Y%m}{'1' if gender == 'M' else '2'}{seq:03d}"
    info = parse_nip(nip)
    other = birth + timedelta(days=days)
    assert [p.digits for p in disagreements(info, birth_date=other)] == ["1–8"]
