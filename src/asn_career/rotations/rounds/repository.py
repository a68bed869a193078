"""Rounds, their placements, and what a round reads besides the fit inputs."""

import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import ARRAY, String, Uuid, any_, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Agency, Position, Unit
from asn_career.profiles.models import Assignment, Employee
from asn_career.rotations.models import Relative, Round, RoundPlacement

PLACEMENT_COLUMNS = [
    "round_id",
    "ordinal",
    "position_id",
    "employee_id",
    "from_position_id",
    "from_assignment_id",
    "fit",
    "greedy_employee_id",
    "explanation",
]


def _uuids(values: Sequence[uuid.UUID]) -> Any:
    return any_(literal(list(values), ARRAY(Uuid)))


class RoundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Round) -> None:
        self.session.add(row)

    async def get_visible(
        self, principal: Principal, round_id: uuid.UUID, *, lock: bool = False
    ) -> Round | None:
        stmt = select(Round).where(Round.id == round_id, principal.agency_clause(Round.agency_code))
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).first()

    async def list_page(
        self, principal: Principal, agency: str | None, status: str | None, page: PageRequest
    ) -> tuple[list[Round], str | None]:
        """The rounds of the principal's agencies, newest first."""
        stmt = select(Round).where(principal.agency_clause(Round.agency_code))
        if agency is not None:
            stmt = stmt.where(Round.agency_code == agency)
        if status is not None:
            stmt = stmt.where(Round.status == status)
        keys = [SortKey(Round.created_at, descending=True), SortKey(Round.id)]
        return await paginate(self.session, stmt, keys, page, lambda r: (r.created_at, r.id))

    async def employees_by_nip(self, agency: str, nips: Sequence[str]) -> dict[str, uuid.UUID]:
        stmt = select(Employee.nip, Employee.id).where(
            Employee.agency_code == agency, Employee.nip == any_(literal(list(nips), ARRAY(String)))
        )
        return {nip: eid for nip, eid in (await self.session.execute(stmt)).all()}

    async def relatives(
        self, employee_ids: Sequence[uuid.UUID]
    ) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """Recorded close relatives of these employees, both ways."""
        stmt = select(Relative.employee_id, Relative.relative_id).where(
            or_(
                Relative.employee_id == _uuids(employee_ids),
                Relative.relative_id == _uuids(employee_ids),
            )
        )
        pairs = [(a, b) for a, b in (await self.session.execute(stmt)).all()]
        return pairs + [(b, a) for a, b in pairs]

    async def add_placements(self, round_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
        """The proposal's rows with one COPY (after the round itself is flushed)."""
        if not rows:
            return
        records = [
            (
                round_id,
                r["ordinal"],
                r["position_id"],
                r["employee_id"],
                r["from_position_id"],
                r["from_assignment_id"],
                r["fit"],
                r["greedy_employee_id"],
                orjson.dumps(r["explanation"]).decode(),
            )
            for r in rows
        ]
        await self.session.flush()
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.copy_records_to_table(
            RoundPlacement.__tablename__,
            records=records,
            columns=PLACEMENT_COLUMNS,
        )

    async def placements_page(
        self, round_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[Any], str | None]:
        placed = aliased(Employee)
        greedy = aliased(Employee)
        stmt = (
            select(
                RoundPlacement,
                Position.code,
                Position.title,
                placed.nip,
                placed.name,
                greedy.nip.label("greedy_nip"),
            )
            .join(Position, Position.id == RoundPlacement.position_id)
            .outerjoin(placed, placed.id == RoundPlacement.employee_id)
            .outerjoin(greedy, greedy.id == RoundPlacement.greedy_employee_id)
            .where(RoundPlacement.round_id == round_id)
        )
        after = page.after_values(int)
        if after is not None:
            stmt = stmt.where(RoundPlacement.ordinal > after[0])
        rows = (
            await self.session.execute(stmt.order_by(RoundPlacement.ordinal).limit(page.fetch_size))
        ).all()
        return page.cut(list(rows), lambda r: (r[0].ordinal,))

    async def moves(self, round_id: uuid.UUID) -> list[RoundPlacement]:
        """The placements that move someone, in order."""
        stmt = (
            select(RoundPlacement)
            .where(
                RoundPlacement.round_id == round_id,
                RoundPlacement.employee_id.is_not(None),
                RoundPlacement.explanation["outcome"].astext.in_(("placed", "pinned")),
            )
            .order_by(RoundPlacement.ordinal)
        )
        return list((await self.session.scalars(stmt)).all())

    async def open_primaries(self, employee_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """Employee → their open primary assignment, locked."""
        stmt = (
            select(Assignment.employee_id, Assignment.id)
            .where(
                Assignment.employee_id == _uuids(employee_ids),
                Assignment.is_primary.is_(True),
                Assignment.end_date.is_(None),
            )
            .with_for_update()
        )
        return {e: a for e, a in (await self.session.execute(stmt)).all()}

    async def open_holders(
        self, position_ids: Sequence[uuid.UUID]
    ) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(position, employee) of every open primary assignment of these positions."""
        stmt = select(Assignment.position_id, Assignment.employee_id).where(
            Assignment.position_id == _uuids(position_ids),
            Assignment.is_primary.is_(True),
            Assignment.end_date.is_(None),
        )
        return [(p, e) for p, e in (await self.session.execute(stmt)).all()]

    async def employees(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Employee]:
        stmt = select(Employee).where(Employee.id == _uuids(ids))
        return {e.id: e for e in (await self.session.scalars(stmt)).all()}

    async def letter_rows(self, round_id: uuid.UUID) -> list[Any]:
        """The moves of a round as a decree's list: who, from where, to where."""
        to_pos, from_pos = aliased(Position), aliased(Position)
        to_unit, from_unit = aliased(Unit), aliased(Unit)
        stmt = (
            select(
                Employee.nip,
                Employee.name,
                Employee.rank_code,
                from_pos.title.label("from_title"),
                from_unit.name.label("from_unit"),
                to_pos.title.label("to_title"),
                to_unit.name.label("to_unit"),
                RoundPlacement.fit,
            )
            .join(Employee, Employee.id == RoundPlacement.employee_id)
            .join(to_pos, to_pos.id == RoundPlacement.position_id)
            .join(to_unit, to_unit.id == to_pos.unit_id)
            .outerjoin(from_pos, from_pos.id == RoundPlacement.from_position_id)
            .outerjoin(from_unit, from_unit.id == from_pos.unit_id)
            .where(
                RoundPlacement.round_id == round_id,
                RoundPlacement.explanation["outcome"].astext.in_(("placed", "pinned")),
            )
            .order_by(RoundPlacement.ordinal)
        )
        return list((await self.session.execute(stmt)).all())

    async def agency_name(self, code: str) -> str:
        return str(await self.session.scalar(select(Agency.name).where(Agency.code == code)))
