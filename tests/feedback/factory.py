"""Feedback data for tests, inserted directly: an organisation with a reporting line, a
small questionnaire, a cycle in any state, subjects, rater requests and answers.

Each feedback test builds only what it needs through ``FeedbackWorld``; tests of the
API routes create their own objects through the API instead.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.feedback.models import (
    Answer,
    Cycle,
    Questionnaire,
    QuestionnaireItem,
    Request,
    Subject,
)
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, AGENCY_B

ANCHORS = {str(n): {"id": f"Skala {n}", "en": f"Scale {n}"} for n in range(1, 6)}
ITEMS = (  # code, dimension kind, dimension code
    ("M1-a", "competency", "M.1"),
    ("M1-b", "competency", "M.1"),
    ("M2-a", "competency", "M.2"),
    ("BA1-a", "value", "BA.1"),
)


def nip_for(agency_index: int, n: int) -> str:
    """A valid NIP: born 1980-01-01 + n days' worth of months, CPNS 2005-01, male/female."""
    month = 1 + n % 12
    return f"1980{month:02d}01" + "200501" + str(1 + n % 2) + f"{agency_index}{n:02d}"[-3:]


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass
class FeedbackWorld:
    """Ids of everything inserted, for assertions."""

    app: FastAPI
    agency: str = AGENCY_A
    unit_id: uuid.UUID = field(default_factory=uuid.uuid4)
    questionnaire_id: uuid.UUID = field(default_factory=uuid.uuid4)
    item_ids: dict[str, int] = field(default_factory=dict)
    employees: dict[str, uuid.UUID] = field(default_factory=dict)  # nip → id
    positions: dict[str, uuid.UUID] = field(default_factory=dict)  # key → id

    async def setup(self, *, staff: int = 8) -> "FeedbackWorld":
        """Agencies A and B, a unit in A with a head (supervisor) and ``staff`` employees
        reporting to the head, one employee in B, and the four-item questionnaire."""
        async with unit_of_work(self.app.state.sessionmaker) as session:
            for code, name in ((AGENCY_A, "Kota Tangerang Selatan"), (AGENCY_B, "Kota Kupang")):
                if await session.get(Agency, code) is None:
                    session.add(Agency(code=code, name=name, region_code=code))
            await session.flush()
            unit_b = uuid.uuid4()
            session.add_all(
                [
                    Unit(id=self.unit_id, agency_code=AGENCY_A, code="BKPSDM", name="BKPSDM",
                         kind="badan", parent_id=None, path=[self.unit_id]),
                    Unit(id=unit_b, agency_code=AGENCY_B, code="BKPSDM", name="BKPSDM Kupang",
                         kind="badan", parent_id=None, path=[unit_b]),
                ]
            )  # fmt: skip
            await session.flush()
            head, staff_pos, pos_b = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            session.add(
                Position(id=head, agency_code=AGENCY_A, unit_id=self.unit_id, code="HEAD",
                         title="Kepala Badan", kind="jpt_pratama")
            )  # fmt: skip
            await session.flush()
            session.add_all(
                [
                    Position(id=staff_pos, agency_code=AGENCY_A, unit_id=self.unit_id,
                             code="STAFF", title="Analis SDM", kind="pelaksana",
                             reports_to_position_id=head, is_shared=True),
                    Position(id=pos_b, agency_code=AGENCY_B, unit_id=unit_b, code="STAFF",
                             title="Analis SDM", kind="pelaksana"),
                ]
            )  # fmt: skip
            self.positions = {"head": head, "staff": staff_pos, "b": pos_b}
            await session.flush()
            codes = dict((await session.execute(select(Competency.code, Competency.id))).all())
            session.add_all(
                [
                    PositionCompetency(position_id=staff_pos, competency_id=codes["M.1"], level=3),
                    PositionCompetency(position_id=staff_pos, competency_id=codes["M.2"], level=4),
                ]
            )
            people = [("head", AGENCY_A, head)] + [
                (f"staff{i}", AGENCY_A, staff_pos) for i in range(staff)
            ]
            people.append(("b", AGENCY_B, pos_b))
            for n, (key, agency, position) in enumerate(people):
                nip = nip_for(1 if agency == AGENCY_A else 2, n)
                employee = Employee(
                    nip=nip, name=f"Pegawai {key}", gender="M" if n % 2 == 0 else "F",
                    birth_date=date(1980, 1 + n % 12, 1), employment_type="PNS",
                    appointment_date=date(2005, 1, 1), rank_code="III/c", agency_code=agency,
                    unit_id=self.unit_id if agency == AGENCY_A else unit_b, position_id=position,
                )  # fmt: skip
                session.add(employee)
                await session.flush()
                self.employees[key] = employee.id
            questionnaire = Questionnaire(
                id=self.questionnaire_id, agency_code=AGENCY_A, code="TEST", revision=1,
                title_id="Kuesioner uji", title_en="Test questionnaire",
            )  # fmt: skip
            session.add(questionnaire)
            await session.flush()
            for ordinal, (code, kind, dimension) in enumerate(ITEMS, start=1):
                item = QuestionnaireItem(
                    questionnaire_id=self.questionnaire_id, ordinal=ordinal, code=code,
                    dimension_kind=kind, dimension_code=dimension, text_id=f"Butir {code}",
                    text_en=f"Item {code}", anchors=ANCHORS, required=True,
                    comment_allowed=True, not_observed_allowed=True,
                )  # fmt: skip
                session.add(item)
                await session.flush()
                self.item_ids[code] = item.id
        return self

    def nip(self, key: str) -> str:
        return nip_for(1 if key != "b" else 2, list(self.employees).index(key))

    async def cycle(
        self, *, state: str = "draft", min_group_size: int = 3, **fields: Any
    ) -> uuid.UUID:
        now = datetime.now(UTC)
        cycle = Cycle(
            agency_code=self.agency, name="Umpan balik 360 2026", period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31), questionnaire_id=self.questionnaire_id,
            deadline=now + timedelta(days=14), min_group_size=min_group_size, state=state,
            opened_at=now if state != "draft" else None,
            closed_at=now if state in ("closed", "published") else None,
            published_at=now if state == "published" else None, **fields,
        )  # fmt: skip
        async with unit_of_work(self.app.state.sessionmaker) as session:
            session.add(cycle)
            await session.flush()
            return cycle.id

    async def subject(self, cycle_id: uuid.UUID, key: str, *, public_facing: bool = False) -> None:
        async with unit_of_work(self.app.state.sessionmaker) as session:
            employee = await session.get(Employee, self.employees[key])
            assert employee is not None
            session.add(
                Subject(cycle_id=cycle_id, employee_id=employee.id, unit_id=employee.unit_id,
                        position_id=employee.position_id, public_facing=public_facing)
            )  # fmt: skip

    async def request(
        self,
        cycle_id: uuid.UUID,
        subject: str,
        rater: str | None,
        relationship: str,
        *,
        status: str = "pending",
        token: str | None = None,
        answers: dict[str, int | None] | None = None,
        comments: dict[str, str] | None = None,
    ) -> uuid.UUID:
        """A request; with ``answers`` (item code → score, None = not observed) its
        response too. ``rater`` None and a ``token`` make a public request."""
        async with unit_of_work(self.app.state.sessionmaker) as session:
            request = Request(
                cycle_id=cycle_id, subject_employee_id=self.employees[subject],
                rater_employee_id=self.employees[rater] if rater else None,
                relationship=relationship, status=status,
                origin="public" if relationship == "public" else "hr",
                reason_code="test", reason="Dibuat untuk uji", decline_reason=(
                    "Tidak mengenal pegawai ini" if status == "declined" else None),
                token_hash=token_hash(token) if token else None,
                submitted_at=datetime.now(UTC) if status == "submitted" else None,
            )  # fmt: skip
            session.add(request)
            await session.flush()
            for code, score in (answers or {}).items():
                session.add(
                    Answer(request_id=request.id, item_id=self.item_ids[code], score=score,
                           comment=(comments or {}).get(code))
                )  # fmt: skip
            return request.id


async def feedback_world(app: FastAPI, *, staff: int = 8) -> FeedbackWorld:
    return await FeedbackWorld(app).setup(staff=staff)
