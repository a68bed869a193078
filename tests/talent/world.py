"""A small organisation for the talent tests, inserted directly.

Agency A: a secretariat (``head``, JPT pratama) over a division (``kabid``, administrator)
over a section head (``kasi``, pengawas) and the staff posts (``staf`` pelaksana, ``analis``
fungsional ahli muda). Requirements: the superior's standard is what the 9-box measures a
subordinate against. Agency B: one post. Each person gets the rows a test asks for.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Cycle, Questionnaire, Report
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.profiles.models import (
    Assignment,
    CompetencyAssessment,
    Education,
    Employee,
    Performance,
    Sanction,
    Training,
)
from tests.conftest import AGENCY_A, AGENCY_B

YEAR = 2025

UNITS = {  # key → (agency, kind, parent)
    "setda": (AGENCY_A, "sekretariat", None),
    "bidang": (AGENCY_A, "bidang", "setda"),
    "b": (AGENCY_B, "badan", None),
}
POSITIONS = {  # key → (unit, kind, functional level, reports to)
    "head": ("setda", "jpt_pratama", None, None),
    "kabid": ("bidang", "administrator", None, "head"),
    "kasi": ("bidang", "pengawas", None, "kabid"),
    "staf": ("bidang", "pelaksana", None, "kasi"),
    "analis": ("bidang", "fungsional", "ahli_muda", "kabid"),
    "bare": ("bidang", "pelaksana", None, None),
    "b": ("b", "pelaksana", None, None),
}
REQUIRED = {
    "head": {"M.1": 4, "M.2": 4},
    "kabid": {"M.1": 3, "M.2": 3},
    "kasi": {"M.1": 2, "M.2": 2},
    "staf": {"M.1": 1},
    "analis": {"M.1": 2},
    "b": {"M.1": 1},
}
RATING = {  # predicate → (results, behaviour) giving it in the PermenPANRB 6/2022 matrix
    "sangat_baik": ("above", "above"),
    "baik": ("as_expected", "as_expected"),
    "butuh_perbaikan": ("below", "as_expected"),
    "kurang": ("as_expected", "below"),
    "sangat_kurang": ("below", "below"),
}


@dataclass
class World:
    app: FastAPI
    units: dict[str, uuid.UUID] = field(default_factory=dict)
    positions: dict[str, uuid.UUID] = field(default_factory=dict)
    employees: dict[str, uuid.UUID] = field(default_factory=dict)
    nips: dict[str, str] = field(default_factory=dict)
    competencies: dict[str, int] = field(default_factory=dict)
    questionnaire: uuid.UUID | None = None

    async def setup(self) -> "World":
        async with unit_of_work(self.app.state.sessionmaker) as session:
            for code in (AGENCY_A, AGENCY_B):
                if await session.get(Agency, code) is None:
                    session.add(Agency(code=code, name=f"Instansi {code}", region_code=code))
            await session.flush()
            for key, (agency, kind, parent) in UNITS.items():
                uid = uuid.uuid4()
                path = [self.units[parent], uid] if parent else [uid]
                session.add(
                    Unit(
                        id=uid,
                        agency_code=agency,
                        code=key.upper(),
                        name=f"Unit {key}",
                        kind=kind,
                        parent_id=self.units.get(parent or ""),
                        path=path,
                    )
                )
                self.units[key] = uid
                await session.flush()
            self.competencies = dict(
                (await session.execute(select(Competency.code, Competency.id))).all()
            )
            for key, (unit, kind, level, boss) in POSITIONS.items():
                pid = uuid.uuid4()
                session.add(
                    Position(
                        id=pid,
                        agency_code=UNITS[unit][0],
                        unit_id=self.units[unit],
                        code=key.upper(),
                        title=f"Jabatan {key}",
                        kind=kind,
                        functional_level=level,
                        reports_to_position_id=self.positions.get(boss or ""),
                    )
                )
                self.positions[key] = pid
                await session.flush()
                for code, required in REQUIRED.get(key, {}).items():
                    session.add(
                        PositionCompetency(
                            position_id=pid, competency_id=self.competencies[code], level=required
                        )
                    )
            q = Questionnaire(code="Q", revision=1, title_id="Kuesioner", title_en="Questionnaire")
            session.add(q)
            await session.flush()
            self.questionnaire = q.id
        return self

    async def person(
        self,
        key: str,
        position: str | None,
        *,
        skp: dict[int, str] | None = None,
        scores: dict[int, float] | None = None,
        levels: dict[str, int | tuple[int, str]] | None = None,
        feedback: dict[str, float] | None = None,
        education: list[str] | None = None,
        trainings: list[tuple[str, str, float, date]] | None = None,
        sanctions: list[tuple[str, date]] | None = None,
        birth: date = date(1985, 3, 4),
        status: str = "active",
    ) -> uuid.UUID:
        """``skp``: year → predicate (``scores``: year → score); ``levels``: competency →
        level (assessment centre) or (level, source), assessed mid-2024; ``feedback``:
        competency → others' calibrated mean in a 360° report published in 2025."""
        agency = AGENCY_B if position == "b" else AGENCY_A
        n = len(self.employees) + 1
        async with unit_of_work(self.app.state.sessionmaker) as session:
            e = Employee(
                nip=f"{birth:%Y%m%d}2010031{n:03d}",
                name=f"Pegawai {key}",
                gender="M",
                birth_date=birth,
                employment_type="pns",
                appointment_date=date(2010, 3, 1),
                rank_code="III/c",
                status=status,
                agency_code=agency,
                unit_id=self.units[POSITIONS[position][0]] if position else self.units["setda"],
                position_id=self.positions[position] if position else None,
            )
            session.add(e)
            await session.flush()
            self.employees[key], self.nips[key] = e.id, e.nip
            if position:
                session.add(
                    Assignment(
                        employee_id=e.id,
                        position_id=self.positions[position],
                        start_date=date(2020, 1, 1),
                    )
                )
            for year, predicate in (skp or {}).items():
                results, behaviour = RATING[predicate]
                score = (scores or {}).get(year)
                session.add(
                    Performance(
                        employee_id=e.id,
                        year=year,
                        period="annual",
                        results=results,
                        behaviour=behaviour,
                        predicate=predicate,
                        score=Decimal(str(score)) if score is not None else None,
                    )
                )
            for code, value in (levels or {}).items():
                level, source = value if isinstance(value, tuple) else (value, "assessment_center")
                session.add(
                    CompetencyAssessment(
                        employee_id=e.id,
                        competency_id=self.competencies[code],
                        level=level,
                        source=source,
                        assessed_on=date(2024, 6, 1),
                    )
                )
            for level_code in education or []:
                session.add(
                    Education(employee_id=e.id, level_code=level_code, graduation_year=2008)
                )
            for title, form, jp, start in trainings or []:
                session.add(
                    Training(
                        employee_id=e.id,
                        title=title,
                        form=form,
                        hours_jp=Decimal(str(jp)),
                        start_date=start,
                    )
                )
            for severity, start in sanctions or []:
                session.add(
                    Sanction(employee_id=e.id, severity=severity, kind="Hukuman", start_date=start)
                )
            if feedback:
                await self._report(session, e, feedback)
        return e.id

    async def _report(self, session: Any, e: Employee, means: dict[str, float]) -> None:
        published = datetime(2025, 6, 1, tzinfo=UTC)
        cycle = Cycle(
            agency_code=e.agency_code,
            name=f"360 {e.nip}",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 3, 31),
            questionnaire_id=self.questionnaire,
            deadline=published,
            state="published",
            published_at=published,
        )
        session.add(cycle)
        await session.flush()
        body = {
            "dimensions": [
                {"kind": "competency", "code": code, "others_calibrated_mean": mean}
                for code, mean in means.items()
            ]
        }
        session.add(
            Report(cycle_id=cycle.id, subject_employee_id=e.id, body=body, published_at=published)
        )


async def talent_world(app: FastAPI) -> World:
    return await World(app).setup()
