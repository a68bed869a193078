"""Pure rules of the employee profile: the NIP and the fields it fixes, the rank scale,
rank ranges for the search, the JP entitlement. The API and the importer both call them;
a broken rule is a ``ValidationProblem`` naming the body field, in English and Indonesian."""

from datetime import date

from asn_career.core.errors import ValidationProblem, field_problem, field_problems
from asn_career.org import ranks
from asn_career.profiles.nip import (
    EmploymentType,
    InvalidNip,
    NipInfo,
    NipProblem,
    disagreements,
    parse_nip,
)

TRAINING_ENTITLEMENT_JP = 20
"""Hours of lessons (JP) of competency development each ASN is entitled to per year."""


def rank_codes_between(rank_min: str | None, rank_max: str | None) -> list[str] | None:
    """The codes from ``rank_min`` to ``rank_max`` (inclusive) within one scale.

    ``None`` when neither bound is given. A single bound runs to the end of its scale.
    ``ValueError`` for an unknown code, bounds of different scales, or min above max.
    """
    if rank_min is None and rank_max is None:
        return None
    scales = {code: ranks.scale_of(code) for code in (rank_min, rank_max) if code is not None}
    for code, scale in scales.items():
        if scale is None:
            raise ValueError(f"unknown rank {code!r}")
    if len(set(scales.values())) > 1:
        raise ValueError(f"rank_min {rank_min} and rank_max {rank_max} are of different scales")
    scale = next(iter(scales.values()))
    codes = ranks.RANKS_PNS if scale == "pns" else ranks.RANKS_PPPK
    low = ranks.ordinal(rank_min) if rank_min is not None else 1
    high = ranks.ordinal(rank_max) if rank_max is not None else len(codes)
    if low > high:
        raise ValueError(f"rank_min {rank_min} is above rank_max {rank_max}")
    return list(codes[low - 1 : high])


def nip_problem(problems: list[NipProblem]) -> ValidationProblem:
    """A 422 listing every NIP problem at its field."""
    return field_problems(
        [field_problem(p.field, p.message, p.message_id, "nip") for p in problems]
    )


def parse_employee_nip(nip: str, employment_type: EmploymentType | None) -> NipInfo:
    """The NIP read as ``employment_type`` (guessed when ``None``), or a 422."""
    try:
        return parse_nip(nip, employment_type)
    except InvalidNip as exc:
        problems = list(exc.problems)
        if employment_type == "pns" and any(p.digits == "13–14" for p in problems):
            # Digits 13–14 that are no month are the code of an NI PPPK.
            problems.append(
                NipProblem(
                    field="employment_type",
                    digits="13–14",
                    message="employment_type pns disagrees with NIP digits 13–14, which are "
                    "not a month (an NI PPPK has its code there)",
                    message_id="jenis pegawai pns tidak sesuai dengan digit 13–14 NIP yang "
                    "bukan bulan (NI PPPK memuat kode di sana)",
                )
            )
        raise nip_problem(problems) from exc


def check_rank(rank: str | None, employment_type: str, *, loc: str = "rank") -> None:
    """A rank must be known and of the employment type's scale (PNS or PPPK)."""
    if rank is None:
        return
    scale = ranks.scale_of(rank)
    if scale is None:
        raise field_problem(
            loc,
            f"unknown rank {rank!r}: PNS ranks are I/a … IV/e, PPPK golongan I … XVII",
            f"pangkat {rank!r} tidak dikenal: PNS I/a … IV/e, PPPK golongan I … XVII",
            "rank",
        )
    if scale != employment_type:
        raise field_problem(
            loc,
            f"rank {rank} belongs to the {scale.upper()} scale, not {employment_type.upper()}",
            f"pangkat {rank} termasuk skala {scale.upper()}, bukan {employment_type.upper()}",
            "rank_scale",
        )


def new_employee_identity(
    nip: str,
    employment_type: EmploymentType | None,
    *,
    birth_date: date | None,
    gender: str | None,
    appointment_date: date | None,
    rank: str | None,
) -> NipInfo:
    """What a new employee's NIP fixes, once the given fields agree with it and the rank
    is of its scale; else a 422 with every disagreement."""
    info = parse_employee_nip(nip, employment_type)
    problems = disagreements(
        info, birth_date=birth_date, gender=gender, appointment_date=appointment_date
    )
    if problems:
        raise nip_problem(problems)
    check_rank(rank, info.employment_type)
    return info
