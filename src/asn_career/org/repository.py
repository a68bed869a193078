"""Every query of the organisation reference, scoped to the caller's agencies in SQL."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    Uuid,
    and_,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement, SQLCoreOperations
from sqlalchemy.sql.selectable import Exists

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import (
    Agency,
    Competency,
    EducationLevel,
    Position,
    PositionCompetency,
    Rank,
    Unit,
)
from asn_career.org.rules import today_in_indonesia

# The profiles package owns ``assignments``; org only needs three of its columns to tell
# whether a position is held, so it names them here instead of importing profiles (the
# layers contract forbids that direction).
_assignments = table(
    "assignments",
    column("position_id", Uuid),
    column("start_date", Date),
    column("end_date", Date),
    column("is_primary", Boolean),
)


def current_assignment(
    is_primary: SQLCoreOperations[bool],
    start_date: SQLCoreOperations[date],
    end_date: SQLCoreOperations[date | None],
    today: ColumnElement[date] | date,
) -> ColumnElement[bool]:
    """SQL of ``org.rules.assignment_is_current``: primary, started, not yet ended. The
    histories repository and the importer's set-based SQL build theirs from this one."""
    return and_(
        is_primary.is_(True),
        start_date <= today,
        or_(end_date.is_(None), end_date >= today),
    )


def position_is_held(
    position_id: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID], today: date
) -> Exists:
    """SQL: somebody holds the position today (a current primary assignment)."""
    a = _assignments.c
    return exists().where(
        a.position_id == position_id,
        current_assignment(a.is_primary, a.start_date, a.end_date, today),
    )


async def _advisory_lock(session: AsyncSession, key: str) -> None:
    """A transaction-scoped lock, so concurrent edits of one tree cannot build a cycle."""
    await session.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(literal(key), 0)))
    )


class AgencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, agency: Agency) -> None:
        self.session.add(agency)

    async def exists(self, code: str) -> bool:
        stmt = select(exists().where(Agency.code == code))
        return bool(await self.session.scalar(stmt))

    async def get_visible(self, principal: Principal, code: str) -> Agency | None:
        stmt = select(Agency).where(Agency.code == code, principal.agency_clause(Agency.code))
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, page: PageRequest
    ) -> tuple[list[Agency], str | None]:
        return await paginate(
            self.session,
            select(Agency).where(principal.agency_clause(Agency.code)),
            [SortKey(Agency.code)],
            page,
            lambda agency: (agency.code,),
        )


@dataclass(frozen=True)
class UnitFilters:
    parent_id: uuid.UUID | None = None
    roots_only: bool = False
    kind: str | None = None
    under: uuid.UUID | None = None


class UnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, unit: Unit) -> None:
        self.session.add(unit)

    async def get_visible(self, principal: Principal, unit_id: uuid.UUID) -> Unit | None:
        stmt = select(Unit).where(Unit.id == unit_id, principal.agency_clause(Unit.agency_code))
        return (await self.session.scalars(stmt)).one_or_none()

    async def get_in_agency(
        self, agency_code: str, unit_id: uuid.UUID, *, fresh: bool = False
    ) -> Unit | None:
        stmt = select(Unit).where(Unit.id == unit_id, Unit.agency_code == agency_code)
        if fresh:
            stmt = stmt.execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def code_taken(
        self, agency_code: str, code: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        condition = exists().where(Unit.agency_code == agency_code, Unit.code == code)
        if other_than is not None:
            condition = condition.where(Unit.id != other_than)
        return bool(await self.session.scalar(select(condition)))

    async def list_page(
        self, principal: Principal, agency_code: str, filters: UnitFilters, page: PageRequest
    ) -> tuple[list[Unit], str | None]:
        stmt = select(Unit).where(
            Unit.agency_code == agency_code, principal.agency_clause(Unit.agency_code)
        )
        if filters.parent_id is not None:
            stmt = stmt.where(Unit.parent_id == filters.parent_id)
        if filters.roots_only:
            stmt = stmt.where(Unit.parent_id.is_(None))
        if filters.kind is not None:
            stmt = stmt.where(Unit.kind == filters.kind)
        if filters.under is not None:
            stmt = stmt.where(Unit.path.contains([filters.under]))
        return await paginate(
            self.session,
            stmt,
            [SortKey(Unit.code), SortKey(Unit.id)],
            page,
            lambda unit: (unit.code, unit.id),
        )

    async def lock_tree(self, agency_code: str) -> None:
        await _advisory_lock(self.session, f"units:{agency_code}")

    async def reload(self, unit: Unit) -> None:
        await self.session.refresh(unit)

    async def move_descendants(self, unit_id: uuid.UUID, new_path: Sequence[uuid.UUID]) -> int:
        """Rewrite, in one statement, the path of every unit below ``unit_id`` once
        ``unit_id``'s own path is ``new_path``: keep the part after ``unit_id``."""
        suffix = Unit.path[
            func.array_position(Unit.path, unit_id) + 1 : func.cardinality(Unit.path)
        ]
        stmt = (
            update(Unit)
            .where(Unit.path.contains([unit_id]), Unit.id != unit_id)
            .values(
                path=literal(list(new_path), ARRAY(Uuid)).op("||")(suffix),
                version=Unit.version + 1,
                updated_at=func.now(),
            )
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class PositionFilters:
    agency: str | None = None
    unit_id: uuid.UUID | None = None
    include_subunits: bool = False
    kind: str | None = None
    vacant: bool | None = None


class PositionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, position: Position) -> None:
        self.session.add(position)

    async def get_visible(self, principal: Principal, position_id: uuid.UUID) -> Position | None:
        stmt = select(Position).where(
            Position.id == position_id, principal.agency_clause(Position.agency_code)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def get_in_agency(self, agency_code: str, position_id: uuid.UUID) -> Position | None:
        stmt = select(Position).where(
            Position.id == position_id, Position.agency_code == agency_code
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def code_taken(
        self, agency_code: str, code: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        condition = exists().where(Position.agency_code == agency_code, Position.code == code)
        if other_than is not None:
            condition = condition.where(Position.id != other_than)
        return bool(await self.session.scalar(select(condition)))

    async def list_page(
        self, principal: Principal, filters: PositionFilters, page: PageRequest
    ) -> tuple[list[Position], str | None]:
        stmt = select(Position).where(principal.agency_clause(Position.agency_code))
        if filters.agency is not None:
            stmt = stmt.where(Position.agency_code == filters.agency)
        if filters.unit_id is not None:
            if filters.include_subunits:
                subtree = select(Unit.id).where(Unit.path.contains([filters.unit_id]))
                stmt = stmt.where(Position.unit_id.in_(subtree))
            else:
                stmt = stmt.where(Position.unit_id == filters.unit_id)
        if filters.kind is not None:
            stmt = stmt.where(Position.kind == filters.kind)
        if filters.vacant is not None:
            held = position_is_held(Position.id, today_in_indonesia())
            stmt = stmt.where(not_(held) if filters.vacant else held)
        return await paginate(
            self.session,
            stmt,
            [SortKey(Position.code), SortKey(Position.id)],
            page,
            lambda position: (position.code, position.id),
        )

    async def held_among(self, position_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these positions somebody holds (an open primary assignment)."""
        ids = list(position_ids)
        if not ids:
            return set()
        stmt = select(Position.id).where(
            Position.id.in_(ids),
            position_is_held(Position.id, today_in_indonesia()),
        )
        return set((await self.session.scalars(stmt)).all())

    async def requirements_of(
        self, position_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[Competency, int]]]:
        ids = list(position_ids)
        found: dict[uuid.UUID, list[tuple[Competency, int]]] = {i: [] for i in ids}
        if not ids:
            return found
        stmt = (
            select(PositionCompetency.position_id, Competency, PositionCompetency.level)
            .join(Competency, Competency.id == PositionCompetency.competency_id)
            .where(PositionCompetency.position_id.in_(ids))
            .order_by(PositionCompetency.position_id, Competency.id)
        )
        for position_id, competency, level in (await self.session.execute(stmt)).all():
            found[position_id].append((competency, level))
        return found

    async def replace_requirements(
        self, position_id: uuid.UUID, requirements: Sequence[tuple[int, int]]
    ) -> None:
        await self.session.execute(
            delete(PositionCompetency).where(PositionCompetency.position_id == position_id)
        )
        if requirements:
            await self.session.execute(
                insert(PositionCompetency),
                [
                    {"position_id": position_id, "competency_id": cid, "level": level}
                    for cid, level in requirements
                ],
            )

    async def superior_chain(self, position_id: uuid.UUID) -> list[uuid.UUID]:
        """``position_id`` and every position above it in the reporting line, nearest
        first. ``UNION`` (not ``ALL``) stops on an existing cycle instead of looping."""
        line = (
            select(Position.id, Position.reports_to_position_id, literal(0).label("depth"))
            .where(Position.id == position_id)
            .cte("superiors", recursive=True)
        )
        line = line.union(
            select(Position.id, Position.reports_to_position_id, line.c.depth + 1)
            .join(line, Position.id == line.c.reports_to_position_id)
            .where(line.c.depth < 10_000)
        )
        rows = await self.session.execute(select(line.c.id).order_by(line.c.depth))
        return [row[0] for row in rows.all()]

    async def lock_reporting_line(self, agency_code: str) -> None:
        await _advisory_lock(self.session, f"positions:{agency_code}")


@dataclass(frozen=True)
class CompetencyFilters:
    kind: str | None = None
    agency: str | None = None
    national_only: bool = False


class CompetencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, competency: Competency) -> None:
        self.session.add(competency)

    def _visible(self, principal: Principal) -> ColumnElement[bool]:
        return or_(
            Competency.agency_code.is_(None), principal.agency_clause(Competency.agency_code)
        )

    async def list_page(
        self, principal: Principal, filters: CompetencyFilters, page: PageRequest
    ) -> tuple[list[Competency], str | None]:
        stmt = select(Competency).where(self._visible(principal))
        if filters.kind is not None:
            stmt = stmt.where(Competency.kind == filters.kind)
        if filters.national_only:
            stmt = stmt.where(Competency.agency_code.is_(None))
        elif filters.agency is not None:
            # The national dictionary applies to every agency, so it stays in the list.
            stmt = stmt.where(
                or_(Competency.agency_code.is_(None), Competency.agency_code == filters.agency)
            )
        return await paginate(
            self.session,
            stmt,
            [SortKey(Competency.id)],
            page,
            lambda competency: (competency.id,),
        )

    async def usable_by(self, agency_code: str, codes: Iterable[str]) -> dict[str, Competency]:
        """The national competencies and this agency's technical ones among ``codes``."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        stmt = select(Competency).where(
            Competency.code.in_(wanted),
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return {c.code: c for c in (await self.session.scalars(stmt)).all()}

    async def codes_of_agency(self, agency_code: str) -> list[str]:
        stmt = select(Competency.code).where(Competency.agency_code == agency_code)
        return list((await self.session.scalars(stmt)).all())

    async def code_taken(self, agency_code: str, code: str) -> bool:
        condition = exists().where(
            Competency.code == code,
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return bool(await self.session.scalar(select(condition)))

    async def lock_dictionary(self, agency_code: str) -> None:
        await _advisory_lock(self.session, f"competencies:{agency_code}")


class ReferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ranks(self, scale: str | None) -> list[Rank]:
        stmt = select(Rank).order_by(Rank.scale, Rank.ordinal)
        if scale is not None:
            stmt = stmt.where(Rank.scale == scale)
        return list((await self.session.scalars(stmt)).all())

    async def education_levels(self) -> list[EducationLevel]:
        stmt = select(EducationLevel).order_by(EducationLevel.ordinal)
        return list((await self.session.scalars(stmt)).all())
