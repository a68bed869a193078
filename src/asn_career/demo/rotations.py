"""Rotation demo data: each agency's rotation policy, one recorded close relationship, and
a draft rotation round, all through the rotations services (so they pass every rule the
API applies).

The policies differ as the offices' own concerns do: Kota Tangerang Selatan weighs
education most (a law graduate belongs in the legal unit), Kota Serang weighs experience
breadth (administration to public service), the others keep the defaults but store them.
The round proposes, from the agency's eligible staff due for rotation (or, when none is
due, the longest-serving eligible ones), the placement of highest total fit for the vacant
positions and those the movers leave; it is left as a draft for HR to review.
"""

from typing import Any, ClassVar, Final

from sqlalchemy import select

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.demo.base import Agency, DomainGenerator
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.models import Employee
from asn_career.rotations.policy.schemas import PolicyIn, Weights
from asn_career.rotations.policy.service import PolicyService
from asn_career.rotations.relatives.schemas import RelativeCreate
from asn_career.rotations.relatives.service import RelativeService
from asn_career.rotations.rounds.schemas import RoundCreate
from asn_career.rotations.rounds.service import RoundService

POOL_SIZE: Final = 40
POLICIES: Final[dict[str, PolicyIn]] = {
    "36.74": PolicyIn(
        weights=Weights(
            education=35, competency=30, rank=10, experience=5, interest=10, performance=10
        )
    ),
    "36.73": PolicyIn(
        min_months=24,
        max_months=48,
        max_months_jpt=36,
        weights=Weights(
            experience=25, competency=30, education=15, rank=10, interest=10, performance=10
        ),
    ),
}


class RotationsGenerator(DomainGenerator):
    reference_tables: ClassVar[tuple[str, ...]] = (
        "rotation_policies",
        "rotation_relatives",
        "rotation_rounds",
        "rotation_round_placements",
    )

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> dict[str, int]:
        code = agency.region.code
        hr = Principal(subject="demo-hr", role=Role.HR_OFFICER, agencies=frozenset({code}))
        today = today_in_indonesia()
        made: dict[str, int] = {}
        async with unit_of_work(sessionmaker) as session:
            policies = PolicyService(session, hr)
            await policies.put(code, POLICIES.get(code, PolicyIn()), None)
            made["rotation_policies"] = 1
            rounds = RoundService(session, hr)
            policy = await policies.effective(code)
            eligible = await rounds.fit.eligibility.standings(code, policy, today, eligible=True)
            if not eligible:
                return made
            by_tenure = sorted(
                eligible, key=lambda r: (not r["due"], r["position_start"], r["nip"])
            )
            pool = [r["nip"] for r in by_tenure[:POOL_SIZE]]
            staff = list(
                await session.scalars(
                    select(Employee.nip)
                    .where(Employee.agency_code == code, Employee.status == "active")
                    .order_by(Employee.nip)
                )
            )
            if len(staff) >= 2:
                await RelativeService(session, hr).create(
                    code,
                    RelativeCreate(nip=staff[0], relative_nip=staff[-1], relationship="spouse"),
                )
                made["rotation_relatives"] = 1
            row, _ = await rounds.create(
                None,
                RoundCreate(
                    agency_code=code,
                    name=f"Usulan rotasi semester I {today.year + 1}",
                    effective_date=today.replace(year=today.year + 1, month=1, day=2),
                    pool=pool,
                    min_fit=30,
                ),
            )
            made["rotation_rounds"] = 1
            made["rotation_round_placements"] = int(row.figures.get("vacancies", 0)) + int(
                row.figures.get("vacated", 0)
            )
        return made
