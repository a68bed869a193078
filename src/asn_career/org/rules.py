"""Pure rules of the organisation reference: vocabularies, tree and rank-range checks.

No I/O here: the services load what the rules need and raise the HTTP errors.
"""

import re
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from asn_career.org import ranks

# ASCII digits only: ``\d`` would also accept other scripts' digits.
AGENCY_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}){1,3}$"
TECHNICAL_CODE_PATTERN = r"^T\.[1-9][0-9]{0,3}$"
COMPETENCY_CODE_PATTERN = r"^(M|SK|T)\.[1-9][0-9]{0,3}$"


class UnitKind(StrEnum):
    BADAN = "badan"
    DINAS = "dinas"
    BAGIAN = "bagian"
    BIDANG = "bidang"
    SEKSI = "seksi"
    SUBBAGIAN = "subbagian"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    SEKOLAH = "sekolah"
    PUSKESMAS = "puskesmas"
    UPTD = "uptd"
    SEKRETARIAT = "sekretariat"
    INSPEKTORAT = "inspektorat"
    KANTOR = "kantor"


class PositionKind(StrEnum):
    JPT_UTAMA = "jpt_utama"
    JPT_MADYA = "jpt_madya"
    JPT_PRATAMA = "jpt_pratama"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    FUNGSIONAL = "fungsional"
    PELAKSANA = "pelaksana"


class FunctionalLevel(StrEnum):
    # skill track
    PEMULA = "pemula"
    TERAMPIL = "terampil"
    MAHIR = "mahir"
    PENYELIA = "penyelia"
    # expertise track
    AHLI_PERTAMA = "ahli_pertama"
    AHLI_MUDA = "ahli_muda"
    AHLI_MADYA = "ahli_madya"
    AHLI_UTAMA = "ahli_utama"


class CompetencyKind(StrEnum):
    MANAGERIAL = "managerial"
    SOCIO_CULTURAL = "socio_cultural"
    TECHNICAL = "technical"


class RankScale(StrEnum):
    PNS = "pns"
    PPPK = "pppk"


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule, reported at ``field`` of the body."""

    field: str
    type: str
    msg: str
    msg_id: str


def functional_level_violation(kind: str, functional_level: str | None) -> RuleViolation | None:
    """A fungsional position names its level; no other kind has one."""
    if kind == PositionKind.FUNGSIONAL and functional_level is None:
        return RuleViolation(
            "functional_level",
            "functional_level_required",
            "a fungsional position needs a functional_level",
            "jabatan fungsional wajib memiliki jenjang (functional_level)",
        )
    if kind != PositionKind.FUNGSIONAL and functional_level is not None:
        return RuleViolation(
            "functional_level",
            "functional_level_not_allowed",
            f"only fungsional positions have a functional_level, not {kind}",
            f"hanya jabatan fungsional yang memiliki jenjang, bukan {kind}",
        )
    return None


def rank_range_violations(min_rank: str | None, max_rank: str | None) -> list[RuleViolation]:
    """Both bounds known ranks of one scale, and ``min_rank`` ≤ ``max_rank``."""
    problems: list[RuleViolation] = []
    for field, code in (("min_rank", min_rank), ("max_rank", max_rank)):
        if code is not None and ranks.scale_of(code) is None:
            problems.append(
                RuleViolation(
                    field,
                    "unknown_rank",
                    f"unknown rank {code!r}",
                    f"pangkat/golongan {code!r} tidak dikenal",
                )
            )
    if problems or min_rank is None or max_rank is None:
        return problems
    if ranks.scale_of(min_rank) != ranks.scale_of(max_rank):
        return [
            RuleViolation(
                "max_rank",
                "rank_scale_mismatch",
                f"{min_rank} and {max_rank} belong to different rank scales (PNS and PPPK)",
                f"{min_rank} dan {max_rank} berasal dari skala golongan berbeda (PNS dan PPPK)",
            )
        ]
    if ranks.compare(min_rank, max_rank) > 0:
        return [
            RuleViolation(
                "max_rank",
                "rank_range_inverted",
                f"max_rank {max_rank} is below min_rank {min_rank}",
                f"max_rank {max_rank} lebih rendah dari min_rank {min_rank}",
            )
        ]
    return []


EXPERTISE_RANKS: dict[str, tuple[str, str]] = {
    FunctionalLevel.AHLI_PERTAMA: ("III/a", "III/b"),
    FunctionalLevel.AHLI_MUDA: ("III/c", "III/d"),
    FunctionalLevel.AHLI_MADYA: ("IV/a", "IV/c"),
    FunctionalLevel.AHLI_UTAMA: ("IV/d", "IV/e"),
}
"""The PNS ranks of each level of the expertise track (jabatan fungsional keahlian)."""


def expertise_rank_violations(
    functional_level: str, min_rank: str | None, max_rank: str | None
) -> list[RuleViolation]:
    """An expertise-track position's PNS rank range lies within its level's ranks: an
    ahli pertama post is III/a–III/b, so a range reaching IV/a describes another level.
    PPPK golongan and the skill track have no such table in the rules we apply."""
    band = EXPERTISE_RANKS.get(functional_level)
    if band is None:
        return []
    low, high = band
    level = functional_level.replace("_", " ")
    return [
        RuleViolation(
            field,
            "rank_outside_functional_level",
            f"{level} positions are {low}–{high}; {code} lies outside",
            f"jabatan {level} berpangkat {low}–{high}; {code} di luar rentang itu",
        )
        for field, code in (("min_rank", min_rank), ("max_rank", max_rank))
        if code is not None
        and ranks.scale_of(code) == "pns"
        and not ranks.in_range(code, low, high)
    ]


def position_shape_violations(
    kind: str, functional_level: str | None, min_rank: str | None, max_rank: str | None
) -> list[RuleViolation]:
    """What can be checked of a position's kind, level and rank range on their own."""
    problems = rank_range_violations(min_rank, max_rank)
    level_problem = functional_level_violation(kind, functional_level)
    if level_problem is not None:
        return [level_problem, *problems]
    if not problems and functional_level is not None:
        return expertise_rank_violations(functional_level, min_rank, max_rank)
    return problems


def duplicate_requirement_violation(codes: Sequence[str]) -> RuleViolation | None:
    """A position requires each competency once."""
    duplicates = sorted(code for code, n in Counter(codes).items() if n > 1)
    if not duplicates:
        return None
    listed = ", ".join(duplicates)
    return RuleViolation(
        "required_competencies",
        "duplicate_competency",
        f"competencies listed more than once: {listed}",
        f"kompetensi disebut lebih dari sekali: {listed}",
    )


# The easternmost Indonesian time zone: a date that has begun anywhere in Indonesia is
# not "in the future" for a record about an Indonesian civil servant.
_WIT = ZoneInfo("Asia/Jayapura")


def today_in_indonesia(now: datetime | None = None) -> date:
    return (now or datetime.now(_WIT)).astimezone(_WIT).date()


MAX_DAYS_AHEAD = 366
"""How far ahead an assignment may start: a decree is issued before its TMT, not years
before (``9999-01-01`` is a typing slip, not a plan)."""


def assignment_is_current(is_primary: bool, start: date, end: date | None, today: date) -> bool:
    """A primary assignment holds its position from its start date (TMT) through its end
    date: one dated ahead is not the employee's position, nor occupies the position, until
    that day. ``org.repository.current_assignment`` is the same rule in SQL."""
    return is_primary and start <= today and (end is None or end >= today)


def creates_unit_cycle(unit_id: uuid.UUID, new_parent_path: Sequence[uuid.UUID]) -> bool:
    """Placing ``unit_id`` under the unit whose root→self path is ``new_parent_path``
    would make the unit its own ancestor (the parent is the unit or one of its descendants)."""
    return unit_id in new_parent_path


def creates_reporting_cycle(position_id: uuid.UUID, superior_chain: Sequence[uuid.UUID]) -> bool:
    """``superior_chain`` is the new superior followed by its superiors up the line; the
    position must not appear in it."""
    return position_id in superior_chain


def next_technical_code(existing: Sequence[str]) -> str:
    """``T.n`` one above the highest technical code in use (``T.1`` for the first)."""
    numbers = [int(code[2:]) for code in existing if re.fullmatch(TECHNICAL_CODE_PATTERN, code)]
    return f"T.{max(numbers, default=0) + 1}"
