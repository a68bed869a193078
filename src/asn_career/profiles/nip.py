"""NIP (PNS) and NI PPPK: parsing, validation and the fields derived from them. Pure, no I/O.

Both are 18 digits, numbered 1–18 from the left:

- NIP (PNS): ``YYYYMMDD`` birth date (1–8), ``YYYYMM`` month of first appointment as CPNS,
  TMT CPNS (9–14), gender (15: ``1`` male, ``2`` female), sequence (16–18, from ``001``).
- NI PPPK: birth date (1–8), appointment year (9–12), a 2-digit code (13–14, e.g. ``21``; not a
  month, so not month-checked), gender (15), sequence (16–18).

Every problem names the digits at fault, in English and Indonesian, so an API error can say
e.g. "digits 13–14 (appointment month) must be 01–12".
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

EmploymentType = Literal["pns", "pppk"]
Gender = Literal["M", "F"]

NIP_LENGTH = 18
MIN_AGE_AT_APPOINTMENT = 18
_GENDERS: dict[str, Gender] = {"1": "M", "2": "F"}
_GENDER_DIGITS: dict[Gender, str] = {gender: digit for digit, gender in _GENDERS.items()}


@dataclass(frozen=True)
class NipProblem:
    """One rule a NIP breaks, or one field that disagrees with it."""

    field: str  # the body field it concerns ("nip", "birth_date", …)
    digits: str  # "1–8", "13–14", … ("" when the whole NIP is at fault)
    message: str
    message_id: str


class InvalidNip(ValueError):
    def __init__(self, problems: list[NipProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class NipInfo:
    nip: str
    employment_type: EmploymentType
    birth_date: date
    appointment_date: date  # PNS: first of the TMT CPNS month; PPPK: 1 January of the year
    gender: Gender
    sequence: int
    pppk_code: str | None = None  # digits 13–14 of an NI PPPK


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _problem(field: str, digits: str, message: str, message_id: str) -> NipProblem:
    return NipProblem(field=field, digits=digits, message=message, message_id=message_id)


def looks_like_pns(nip: str) -> bool:
    """Whether digits 13–14 can be a month, i.e. the NIP has the PNS form."""
    return len(nip) == NIP_LENGTH and nip.isdigit() and 1 <= int(nip[12:14]) <= 12


def nip_problems(nip: str, employment_type: EmploymentType) -> list[NipProblem]:
    """Every rule ``nip`` breaks as a NIP of ``employment_type`` (empty when valid)."""
    if len(nip) != NIP_LENGTH or not nip.isascii() or not nip.isdigit():
        return [
            _problem(
                "nip",
                "",
                f"must be exactly {NIP_LENGTH} digits",
                f"harus tepat {NIP_LENGTH} digit angka",
            )
        ]
    problems: list[NipProblem] = []
    birth = _date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth is None:
        problems.append(
            _problem(
                "nip",
                "1–8",
                f"digits 1–8 (birth date) {nip[0:8]} are not a real date YYYYMMDD",
                f"digit 1–8 (tanggal lahir) {nip[0:8]} bukan tanggal YYYYMMDD yang valid",
            )
        )
    year = int(nip[8:12])
    if employment_type == "pns":
        month = int(nip[12:14])
        if not 1 <= month <= 12:
            problems.append(
                _problem(
                    "nip",
                    "13–14",
                    f"digits 13–14 (appointment month) must be 01–12, not {nip[12:14]}",
                    f"digit 13–14 (bulan TMT CPNS) harus 01–12, bukan {nip[12:14]}",
                )
            )
        elif birth is not None and (year, month) < (
            birth.year + MIN_AGE_AT_APPOINTMENT,
            birth.month,
        ):
            problems.append(
                _problem(
                    "nip",
                    "9–14",
                    f"digits 9–14 (appointment month) {nip[8:14]} must be at least "
                    f"{MIN_AGE_AT_APPOINTMENT} years after the birth date in digits 1–8",
                    f"digit 9–14 (TMT CPNS) {nip[8:14]} harus sekurang-kurangnya "
                    f"{MIN_AGE_AT_APPOINTMENT} tahun setelah tanggal lahir pada digit 1–8",
                )
            )
    elif birth is not None and year < birth.year + MIN_AGE_AT_APPOINTMENT:
        problems.append(
            _problem(
                "nip",
                "9–12",
                f"digits 9–12 (appointment year) {nip[8:12]} must be at least "
                f"{MIN_AGE_AT_APPOINTMENT} years after the birth year in digits 1–4",
                f"digit 9–12 (tahun pengangkatan) {nip[8:12]} harus sekurang-kurangnya "
                f"{MIN_AGE_AT_APPOINTMENT} tahun setelah tahun lahir pada digit 1–4",
            )
        )
    if nip[14] not in _GENDERS:
        problems.append(
            _problem(
                "nip",
                "15",
                f"digit 15 (gender) must be 1 (male) or 2 (female), not {nip[14]}",
                f"digit 15 (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan {nip[14]}",
            )
        )
    if nip[15:18] == "000":
        problems.append(
            _problem(
                "nip",
                "16–18",
                "digits 16–18 (sequence) must not be 000",
                "digit 16–18 (nomor urut) tidak boleh 000",
            )
        )
    return problems


def parse_nip(nip: str, employment_type: EmploymentType | None = None) -> NipInfo:
    """Validate ``nip`` and derive birth date, appointment date and gender.

    Without ``employment_type`` the form decides: digits 13–14 that can be a month make a
    PNS NIP, anything else an NI PPPK. Raises ``InvalidNip`` listing every problem.
    """
    kind: EmploymentType = employment_type or ("pns" if looks_like_pns(nip) else "pppk")
    problems = nip_problems(nip, kind)
    if problems:
        raise InvalidNip(problems)
    birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    year = int(nip[8:12])
    appointed = date(year, int(nip[12:14]), 1) if kind == "pns" else date(year, 1, 1)
    return NipInfo(
        nip=nip,
        employment_type=kind,
        birth_date=birth,
        appointment_date=appointed,
        gender=_GENDERS[nip[14]],
        sequence=int(nip[15:18]),
        pppk_code=nip[12:14] if kind == "pppk" else None,
    )


def pns_nip(birth_date: date, appointment_date: date, gender: Gender, sequence: int) -> str:
    """The NIP that ``parse_nip`` reads back as these fields (the appointment's day is not
    part of it); it is valid when the fields are."""
    return (
        f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
        f"{appointment_date.year:04d}{appointment_date.month:02d}"
        f"{_GENDER_DIGITS[gender]}{sequence:03d}"
    )


def pppk_nip(birth_date: date, year: int, code: str, gender: Gender, sequence: int) -> str:
    """The NI PPPK that ``parse_nip`` reads back as these fields (``code``: digits 13–14)."""
    return (
        f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{year:04d}{code}"
        f"{_GENDER_DIGITS[gender]}{sequence:03d}"
    )


def is_valid_nip(nip: str, employment_type: EmploymentType | None = None) -> bool:
    try:
        parse_nip(nip, employment_type)
    except InvalidNip:
        return False
    return True


def disagreements(
    info: NipInfo,
    *,
    birth_date: date | None = None,
    gender: str | None = None,
    appointment_date: date | None = None,
) -> list[NipProblem]:
    """Fields given in a body that contradict the NIP; omitted (None) fields agree.

    An appointment date agrees when it lies in the NIP's TMT CPNS month (PNS) or in its
    appointment year (PPPK).
    """
    problems: list[NipProblem] = []
    if birth_date is not None and birth_date != info.birth_date:
        problems.append(
            _problem(
                "birth_date",
                "1–8",
                f"birth_date {birth_date.isoformat()} disagrees with NIP digits 1–8 "
                f"({info.birth_date.isoformat()})",
                f"tanggal lahir {birth_date.isoformat()} tidak sesuai dengan digit 1–8 NIP "
                f"({info.birth_date.isoformat()})",
            )
        )
    if gender is not None and gender != info.gender:
        digit = info.nip[14]
        problems.append(
            _problem(
                "gender",
                "15",
                f"gender {gender} disagrees with NIP digit 15 ({digit} = {info.gender})",
                f"jenis kelamin {gender} tidak sesuai dengan digit 15 NIP "
                f"({digit} = {info.gender})",
            )
        )
    if appointment_date is not None:
        if info.employment_type == "pns":
            agrees = (appointment_date.year, appointment_date.month) == (
                info.appointment_date.year,
                info.appointment_date.month,
            )
            if not agrees:
                problems.append(
                    _problem(
                        "appointment_date",
                        "9–14",
                        f"appointment_date {appointment_date.isoformat()} disagrees with NIP "
                        f"digits 9–14 (TMT CPNS {info.nip[8:12]}-{info.nip[12:14]})",
                        f"tanggal TMT CPNS {appointment_date.isoformat()} tidak sesuai dengan "
                        f"digit 9–14 NIP ({info.nip[8:12]}-{info.nip[12:14]})",
                    )
                )
        elif appointment_date.year != info.appointment_date.year:
            problems.append(
                _problem(
                    "appointment_date",
                    "9–12",
                    f"appointment_date {appointment_date.isoformat()} disagrees with NI PPPK "
                    f"digits 9–12 (appointment year {info.nip[8:12]})",
                    f"tanggal pengangkatan {appointment_date.isoformat()} tidak sesuai dengan "
                    f"digit 9–12 NI PPPK (tahun {info.nip[8:12]})",
                )
            )
    return problems


def mask_nik(nik: str | None) -> str | None:
    """``3674012609860001`` → ``************0001``."""
    if nik is None:
        return None
    return "*" * (len(nik) - 4) + nik[-4:]
