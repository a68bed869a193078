"""Talent demo data: each agency's talent policy (through the talent service) and a
talent-mapping assessment centre held in October of each of the last two SKP years.

Why the assessment: the profiles generator sends mostly managers to the assessment centre
and measures staff against their own position, while the 9-box measures potential against
the next-level position. Each agency therefore assessed up to ``MAPPED_PER_AGENCY`` of its
staff (those with an annual SKP whose next-level position states a standard) on the
managerial and socio-cultural competencies of that position. Levels scatter around the
requirement with the person's own ability, a little lower the year before (growth), so
every agency's 9-box fills several boxes and shows movement. The rows are inserted in bulk
and the current levels refreshed by the histories repository's own statement (the one
the API uses).

The policies differ as the offices do: Kota Kupang (whose staff officer in Alak showed
leadership in feedback) weighs 360° results at 40 and averages two SKP years; Kota
Tangerang Selatan raises the bar for high potential; the others store the defaults.
"""

import random
import uuid
from datetime import date
from typing import Any, ClassVar, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.demo.base import Agency, DomainGenerator
from asn_career.org.models import Competency, Position, PositionCompetency
from asn_career.profiles.histories.repository import HistoryRepository
from asn_career.profiles.models import CompetencyAssessment, Employee, Performance
from asn_career.talent.policy.schemas import TalentPolicyIn
from asn_career.talent.policy.service import TalentPolicyService

MAPPED_PER_AGENCY: Final = 200
POLICIES: Final[dict[str, TalentPolicyIn]] = {
    "53.71": TalentPolicyIn(
        performance_source="two_year_average", competency_weight=60, feedback_weight=40
    ),
    "36.74": TalentPolicyIn(potential_medium_from=75, potential_high_from=92),
}


class TalentGenerator(DomainGenerator):
    reference_tables: ClassVar[tuple[str, ...]] = ("talent_policies",)

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> dict[str, int]:
        code = agency.region.code
        hr = Principal(subject="demo-hr", role=Role.HR_OFFICER, agencies=frozenset({code}))
        rng = random.Random(f"{self.demo.seed}:talent:{code}")  # noqa: S311 - demo data
        year = self.demo.as_of.year - 1
        made = {"talent_policies": 1, "competency_assessments": 0}
        async with unit_of_work(sessionmaker) as session:
            await TalentPolicyService(session, hr).put(
                code, POLICIES.get(code, TalentPolicyIn()), None
            )
            superior = aliased(Position)
            rows = (
                await session.execute(
                    select(Employee.id, PositionCompetency.competency_id, PositionCompetency.level)
                    .join(Position, Position.id == Employee.position_id)
                    .join(superior, superior.id == Position.reports_to_position_id)
                    .join(PositionCompetency, PositionCompetency.position_id == superior.id)
                    .join(Competency, Competency.id == PositionCompetency.competency_id)
                    .join(Performance, (Performance.employee_id == Employee.id)
                          & (Performance.year == year) & (Performance.period == "annual"))
                    .where(Employee.agency_code == code, Employee.status == "active",
                           Competency.kind != "technical")
                    .order_by(Employee.nip, Competency.code)
                )
            ).all()  # fmt: skip
            needs: dict[uuid.UUID, list[tuple[int, int]]] = {}
            for employee_id, competency_id, level in rows:
                needs.setdefault(employee_id, []).append((competency_id, level))
            people = list(needs)
            mapped = rng.sample(people, min(MAPPED_PER_AGENCY, len(people)))
            values: list[dict[str, Any]] = []
            pairs: set[tuple[uuid.UUID, int]] = set()
            for employee_id in mapped:
                ability = rng.gauss(0.0, 0.9)
                for when, growth in ((date(year - 1, 10, 15), -0.4), (date(year, 10, 15), 0.0)):
                    for competency_id, required in needs[employee_id]:
                        pairs.add((employee_id, competency_id))
                        raw = required - 0.7 + ability + growth + rng.gauss(0.0, 0.4)
                        values.append({
                            "employee_id": employee_id, "competency_id": competency_id,
                            "level": max(1, min(5, round(raw))), "source": "assessment_center",
                            "assessed_on": when, "notes": "Pemetaan talenta (demo)",
                        })  # fmt: skip
            if values:
                await session.execute(insert(CompetencyAssessment), values)
                await HistoryRepository(session).refresh_current_levels(sorted(pairs))
            made["competency_assessments"] = len(values)
        return made
