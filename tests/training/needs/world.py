"""Facts for the needs and requests tests, inserted directly on top of ``FeedbackWorld``
(agencies A and B; in A a unit with a head, ``jpt_pratama``, and staff, ``pelaksana``,
reporting to the head; the staff position requires M.1 at 3 and M.2 at 4).

``NeedsWorld`` adds: a sub-unit with a chief (``administrator``, reporting to the head)
and a clerk (reporting to the chief), a target position requiring M.3 at 3 and M.1 at 4,
and helpers for levels, trainings, SKP ratings, career interests and requests."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fastapi import FastAPI
from sqlalchemy import select, update

from asn_career.core.db import unit_of_work
from asn_career.org.models import Competency, Position, PositionCompetency, Unit
from asn_career.profiles.histories.repository import HistoryRepository
from asn_career.profiles.histories.rules import skp_predicate
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CompetencyAssessment,
    CurrentCompetency,
    Employee,
    Performance,
    Training,
)
from asn_career.training.models import Course, TrainingRequest
from tests.conftest import AGENCY_A
from tests.feedback.factory import FeedbackWorld, feedback_world

YEAR = 2026


@dataclass
class NeedsWorld:
    base: FeedbackWorld
    sub_unit: uuid.UUID = field(default_factory=uuid.uuid4)
    chief_position: uuid.UUID = field(default_factory=uuid.uuid4)
    clerk_position: uuid.UUID = field(default_factory=uuid.uuid4)
    target_position: uuid.UUID = field(default_factory=uuid.uuid4)
    competencies: dict[str, int] = field(default_factory=dict)

    @property
    def app(self) -> FastAPI:
        return self.base.app

    def nip(self, key: str) -> str:
        return self.base.nip(key)

    def id(self, key: str) -> uuid.UUID:
        return self.base.employees[key]

    async def setup(self) -> "NeedsWorld":
        """``staff4`` becomes the chief of the sub-unit and ``staff5`` the clerk under them."""
        base = self.base
        async with unit_of_work(self.app.state.sessionmaker) as session:
            self.competencies = dict(
                (await session.execute(select(Competency.code, Competency.id))).all()
            )
            session.add(
                Unit(id=self.sub_unit, agency_code=AGENCY_A, code="BIDANG-PK", kind="bidang",
                     name="Bidang Pengembangan Kompetensi", parent_id=base.unit_id,
                     path=[base.unit_id, self.sub_unit])
            )  # fmt: skip
            await session.flush()
            session.add(
                Position(id=self.chief_position, agency_code=AGENCY_A, unit_id=self.sub_unit,
                         code="CHIEF", title="Kepala Bidang", kind="administrator",
                         reports_to_position_id=base.positions["head"])
            )  # fmt: skip
            session.add(
                Position(id=self.target_position, agency_code=AGENCY_A, unit_id=base.unit_id,
                         code="TARGET", title="Analis Kebijakan", kind="fungsional",
                         functional_level="ahli_muda")
            )  # fmt: skip
            await session.flush()
            session.add(
                Position(id=self.clerk_position, agency_code=AGENCY_A, unit_id=self.sub_unit,
                         code="CLERK", title="Pengadministrasi", kind="pelaksana",
                         reports_to_position_id=self.chief_position)
            )  # fmt: skip
            await session.flush()
            session.add_all(
                [
                    PositionCompetency(position_id=self.target_position,
                                       competency_id=self.competencies["M.3"], level=3),
                    PositionCompetency(position_id=self.target_position,
                                       competency_id=self.competencies["M.1"], level=4),
                    PositionCompetency(position_id=self.chief_position,
                                       competency_id=self.competencies["M.1"], level=4),
                    PositionCompetency(position_id=self.clerk_position,
                                       competency_id=self.competencies["M.2"], level=2),
                ]
            )  # fmt: skip
            await session.execute(
                update(Employee)
                .where(Employee.id == self.id("staff4"))
                .values(position_id=self.chief_position, unit_id=self.sub_unit)
            )
            await session.execute(
                update(Employee)
                .where(Employee.id == self.id("staff5"))
                .values(position_id=self.clerk_position, unit_id=self.sub_unit)
            )
        return self

    async def level(self, key: str, code: str, level: int) -> None:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(
                CurrentCompetency(
                    employee_id=self.id(key), competency_id=self.competencies[code], level=level,
                    source="assessment_center", assessed_on=date(2025, 3, 1),
                )
            )  # fmt: skip

    async def assign(
        self, key: str, position_id: uuid.UUID, start: date, end: date | None = None
    ) -> None:
        """A primary assignment (history only: ``employees.position_id`` stays as set)."""
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(
                Assignment(employee_id=self.id(key), position_id=position_id, start_date=start,
                           end_date=end)
            )  # fmt: skip

    async def assess(
        self, key: str, code: str, level: int, on: date, source: str = "assessment_center"
    ) -> None:
        """An assessment, and the current level refreshed as the histories do."""
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(
                CompetencyAssessment(employee_id=self.id(key), source=source, assessed_on=on,
                                     competency_id=self.competencies[code], level=level)
            )  # fmt: skip
            await session.flush()
            await HistoryRepository(session).refresh_current_level(
                self.id(key), self.competencies[code]
            )

    async def training(
        self, key: str, hours: str, start: date, codes: tuple[str, ...] = ()
    ) -> None:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(
                Training(
                    employee_id=self.id(key), title="Pelatihan", hours_jp=Decimal(hours),
                    start_date=start, end_date=start, form="training",
                    competency_ids=[self.competencies[c] for c in codes],
                )
            )  # fmt: skip

    async def skp(self, key: str, year: int, results: str, behaviour: str) -> None:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(
                Performance(
                    employee_id=self.id(key), year=year, period="annual", results=results,
                    behaviour=behaviour, predicate=skp_predicate(results, behaviour),
                )
            )  # fmt: skip

    async def wants_target(self, key: str) -> None:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(
                CareerInterest(
                    employee_id=self.id(key), kind="position", description="Analis Kebijakan",
                    target_position_id=self.target_position,
                )
            )  # fmt: skip

    async def request(
        self, key: str, code: str, *, status: str = "submitted", year: int = YEAR
    ) -> uuid.UUID:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            agency = await session.scalar(
                select(Employee.agency_code).where(Employee.id == self.id(key))
            )
            row = TrainingRequest(
                agency_code=agency, employee_id=self.id(key), year=year, topic="SPBE",
                competency_id=self.competencies[code], reason="Perlu untuk tugas", status=status,
                decision_reason="Tidak relevan" if status == "rejected" else None,
            )  # fmt: skip
            session.add(row)
            await session.flush()
            return row.id

    async def course(self, agency: str = AGENCY_A, title: str = "SPBE Dasar") -> uuid.UUID:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            row = Course(
                agency_code=agency, code=f"C-{uuid.uuid4().hex[:8]}", title=title,
                form="training", hours_jp=Decimal(24),
            )  # fmt: skip
            session.add(row)
            await session.flush()
            return row.id


async def needs_world(app: FastAPI) -> NeedsWorld:
    return await NeedsWorld(await feedback_world(app, staff=6)).setup()
