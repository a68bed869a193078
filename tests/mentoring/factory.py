"""A small organisation for mentoring tests, inserted directly: agencies A and B, Bappeda
with two fields (bidang), a reporting line (head → two kabid → staff), people of several
ranks with current competency levels, and helpers for the outbox and the audit trail."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from asn_career.core.audit.models import AuditEntry
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.feedback.models import Cycle, Questionnaire, Report
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.profiles.models import CurrentCompetency, Education, Employee
from tests.conftest import AGENCY_A, AGENCY_B
from tests.feedback.factory import nip_for

Person = tuple[str, str, str, dict[str, int], str | None]
PEOPLE: tuple[Person, ...] = (  # key, position, rank, competency levels, education field
    ("head", "head", "IV/c", {"M.1": 5, "M.8": 5}, "Ekonomi"),
    ("kabid1", "kabid1", "IV/a", {"M.1": 4, "M.6": 4}, "Perencanaan Wilayah"),
    ("kabid2", "kabid2", "IV/a", {"M.3": 5}, "Ekonomi"),
    ("senior", "planner_senior", "IV/a", {"M.2": 4, "M.1": 4}, "Perencanaan Wilayah"),
    ("junior1", "planner", "III/a", {"M.1": 2}, "Perencanaan Wilayah"),
    ("junior2", "planner", "III/a", {}, "Ekonomi"),
    ("junior3", "clerk", "II/c", {}, None),
)


@dataclass
class MentoringWorld:
    app: FastAPI
    units: dict[str, uuid.UUID] = field(default_factory=dict)
    positions: dict[str, uuid.UUID] = field(default_factory=dict)
    employees: dict[str, uuid.UUID] = field(default_factory=dict)
    nips: dict[str, str] = field(default_factory=dict)
    competencies: dict[str, int] = field(default_factory=dict)

    async def setup(self) -> "MentoringWorld":
        async with unit_of_work(self.app.state.sessionmaker) as session:
            for code, name in ((AGENCY_A, "Kota Tangerang Selatan"), (AGENCY_B, "Kota Kupang")):
                if await session.get(Agency, code) is None:
                    session.add(Agency(code=code, name=name, region_code=code))
            await session.flush()
            root, b1, b2, unit_b = (uuid.uuid4() for _ in range(4))
            self.units = {"root": root, "b1": b1, "b2": b2, "b": unit_b}
            session.add_all([
                Unit(id=root, agency_code=AGENCY_A, code="BAPPEDA", name="Bappeda",
                     kind="badan", parent_id=None, path=[root]),
                Unit(id=unit_b, agency_code=AGENCY_B, code="BKPSDM", name="BKPSDM Kupang",
                     kind="badan", parent_id=None, path=[unit_b]),
            ])  # fmt: skip
            await session.flush()
            session.add_all([
                Unit(id=b1, agency_code=AGENCY_A, code="B-PERENC", name="Bidang Perencanaan",
                     kind="bidang", parent_id=root, path=[root, b1]),
                Unit(id=b2, agency_code=AGENCY_A, code="B-EKON", name="Bidang Ekonomi",
                     kind="bidang", parent_id=root, path=[root, b2]),
            ])  # fmt: skip
            await session.flush()
            self.competencies = dict(
                (await session.execute(select(Competency.code, Competency.id))).all()
            )
            specs = (  # key, unit, title, kind, reports to
                ("head", root, "Kepala Bappeda", "jpt_pratama", None),
                ("kabid1", b1, "Kepala Bidang Perencanaan", "administrator", "head"),
                ("kabid2", b2, "Kepala Bidang Ekonomi", "administrator", "head"),
                ("planner_senior", b2, "Perencana Ahli Madya", "fungsional", "kabid2"),
                ("planner", b1, "Perencana Ahli Pertama", "fungsional", "kabid1"),
                ("clerk", b2, "Pengadministrasi Umum", "pelaksana", "kabid2"),
            )
            for key, unit, title, kind, boss in specs:
                pid = uuid.uuid4()
                self.positions[key] = pid
                session.add(
                    Position(id=pid, agency_code=AGENCY_A, unit_id=unit, code=key.upper(),
                             title=title, kind=kind, is_shared=key in ("planner", "clerk"),
                             reports_to_position_id=self.positions[boss] if boss else None)
                )  # fmt: skip
                await session.flush()
            pos_b = uuid.uuid4()
            self.positions["b"] = pos_b
            session.add(Position(id=pos_b, agency_code=AGENCY_B, unit_id=unit_b, code="STAFF",
                                 title="Analis SDM", kind="pelaksana"))  # fmt: skip
            session.add_all([
                PositionCompetency(position_id=self.positions["planner"],
                                   competency_id=self.competencies["M.1"], level=3),
                PositionCompetency(position_id=self.positions["planner"],
                                   competency_id=self.competencies["M.2"], level=3),
            ])  # fmt: skip
            people = [*PEOPLE, ("b", "b", "IV/a", {"M.1": 4}, None)]
            for n, (key, pos, rank, levels, edu) in enumerate(people):
                agency = AGENCY_B if key == "b" else AGENCY_A
                nip = nip_for(2 if key == "b" else 1, n)
                position = await session.get(Position, self.positions[pos])
                assert position is not None
                employee = Employee(
                    nip=nip, name=f"Pegawai {key}", gender="M" if n % 2 == 0 else "F",
                    birth_date=date(1980, 1 + n % 12, 1), employment_type="PNS",
                    appointment_date=date(2005, 1, 1), rank_code=rank, agency_code=agency,
                    unit_id=position.unit_id, position_id=self.positions[pos],
                )  # fmt: skip
                session.add(employee)
                await session.flush()
                self.employees[key], self.nips[key] = employee.id, nip
                for code, level in levels.items():
                    session.add(
                        CurrentCompetency(
                            employee_id=employee.id,
                            competency_id=self.competencies[code],
                            level=level,
                            source="assessment_center",
                            assessed_on=date(2026, 1, 5),
                        )
                    )
                if edu:
                    session.add(Education(employee_id=employee.id, level_code="S1", field=edu,
                                          institution="Universitas Indonesia",
                                          graduation_year=2004))  # fmt: skip
        return self

    async def published_360(self, key: str, develop_next: list[str]) -> None:
        """A published 360° report of ``key`` whose suggestions are ``develop_next``."""
        async with unit_of_work(self.app.state.sessionmaker) as session:
            questionnaire = await session.scalar(select(Questionnaire.id).limit(1))
            assert questionnaire is not None
            now = datetime.now(UTC)
            cycle = Cycle(agency_code=AGENCY_A, name="360 2026", period_start=date(2026, 1, 1),
                          period_end=date(2026, 6, 30), questionnaire_id=questionnaire,
                          deadline=now, state="published", opened_at=now, closed_at=now,
                          published_at=now)  # fmt: skip
            session.add(cycle)
            await session.flush()
            body = {"develop_next": [
                {"dimension_code": code, "reason": "blind_spot", "name_id": code,
                 "name_en": code, "detail_id": "", "detail_en": ""} for code in develop_next
            ]}  # fmt: skip
            session.add(Report(cycle_id=cycle.id, subject_employee_id=self.employees[key],
                               body=body, published_at=now))  # fmt: skip


async def mentoring_world(app: FastAPI) -> MentoringWorld:
    return await MentoringWorld(app).setup()


async def events(app: FastAPI, prefix: str = "mentoring.") -> list[tuple[str, dict[str, Any]]]:
    async with unit_of_work(app.state.sessionmaker) as session:
        rows = await session.execute(
            select(OutboxEvent.event_type, OutboxEvent.payload)
            .where(OutboxEvent.event_type.startswith(prefix))
            .order_by(OutboxEvent.occurred_at)
        )
        return [(t, p) for t, p in rows.all()]


async def audit_count(app: FastAPI, action_prefix: str) -> int:
    async with unit_of_work(app.state.sessionmaker) as session:
        found = await session.scalar(
            select(func.count()).where(AuditEntry.action.startswith(action_prefix))
        )
        return int(found or 0)
