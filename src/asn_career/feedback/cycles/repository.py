"""Every query of cycles, their subjects and rater requests.

A cycle is reached only through ``get_visible`` (the caller's agencies in the WHERE); every
other query here is then bound to that cycle's id or agency. Lists load a page with its
names in one statement, and the page's counts in one more.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    String,
    Uuid,
    and_,
    any_,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.feedback.models import Cycle, Request, Subject
from asn_career.feedback.raters import Existing, Person
from asn_career.org.models import Position, Unit
from asn_career.profiles.models import Employee

ACTIVE = "active"

SubjectEmployee = aliased(Employee, name="subject_employee")
RaterEmployee = aliased(Employee, name="rater_employee")
SubjectPosition = aliased(Position, name="subject_position")
SuperiorPosition = aliased(Position, name="superior_position")


async def _page_rows(
    session: AsyncSession,
    stmt: Select[*tuple[Any, ...]],
    keys: Sequence[SortKey],
    page: PageRequest,
    key_of: Callable[[Any], Sequence[Any]],
) -> tuple[list[Any], str | None]:
    """``core.pagination.paginate`` for statements of several columns (a row and the
    names joined to it): the same cursor, order and cut."""
    after = page.after_values(*(object for _ in keys))
    if after is not None:
        alternatives = []
        for i, key in enumerate(keys):
            prefix = [keys[j].column == after[j] for j in range(i)]
            step = key.column < after[i] if key.descending else key.column > after[i]
            alternatives.append(and_(*prefix, step))
        stmt = stmt.where(or_(*alternatives))
    order = [k.column.desc() if k.descending else k.column.asc() for k in keys]
    rows = (await session.execute(stmt.order_by(*order).limit(page.fetch_size))).all()
    return page.cut(rows, key_of)


@dataclass(frozen=True)
class CycleFilters:
    agency: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class CycleCountsRow:
    subjects: int
    by_status: dict[str, int]
    by_relationship: dict[str, int]


@dataclass(frozen=True)
class RequestFilters:
    subject_nip: str | None = None
    rater_nip: str | None = None
    relationship: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class RequestView:
    request: Request
    subject_nip: str
    subject_name: str
    rater_nip: str | None
    rater_name: str | None


@dataclass(frozen=True)
class SubjectView:
    subject: Subject
    nip: str
    name: str
    unit_name: str | None
    position_title: str | None


@dataclass(frozen=True)
class StaffMember:
    """An active employee of the cycle's agency, named in a request."""

    id: uuid.UUID
    nip: str
    name: str


class CycleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- cycles --------------------------------------------------------------------------

    def add(self, row: Cycle | Request) -> None:
        self.session.add(row)

    async def delete(self, row: Cycle) -> None:
        await self.session.delete(row)

    async def get_visible(self, principal: Principal, cycle_id: uuid.UUID) -> Cycle | None:
        stmt = select(Cycle).where(Cycle.id == cycle_id, principal.agency_clause(Cycle.agency_code))
        return (await self.session.scalars(stmt)).one_or_none()

    async def lock(self, cycle: Cycle, *, share: bool) -> Cycle:
        """Read the cycle again under a row lock: ``share`` for changes beneath it (subjects,
        requests), which then see its current state; an update lock for its own changes."""
        stmt = (
            select(Cycle)
            .where(Cycle.id == cycle.id)
            .with_for_update(read=share)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one()

    async def list_page(
        self, principal: Principal, filters: CycleFilters, page: PageRequest
    ) -> tuple[list[Cycle], str | None]:
        stmt = select(Cycle).where(principal.agency_clause(Cycle.agency_code))
        if filters.agency is not None:
            stmt = stmt.where(Cycle.agency_code == filters.agency)
        if filters.state is not None:
            stmt = stmt.where(Cycle.state == filters.state)
        keys = [SortKey(Cycle.created_at, descending=True), SortKey(Cycle.id, descending=True)]
        return await paginate(self.session, stmt, keys, page, lambda c: (c.created_at, c.id))

    async def counts(self, cycle_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, CycleCountsRow]:
        """Subjects, and requests by status and by relationship, of each cycle."""
        if not cycle_ids:
            return {}
        ids = list(cycle_ids)
        subject_rows = await self.session.execute(
            select(Subject.cycle_id, func.count())
            .where(Subject.cycle_id.in_(ids))
            .group_by(Subject.cycle_id)
        )
        subjects = {cycle_id: int(n) for cycle_id, n in subject_rows.all()}
        by_status: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
        by_relationship: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        stmt = (
            select(Request.cycle_id, Request.status, Request.relationship, func.count())
            .where(Request.cycle_id.in_(ids))
            .group_by(Request.cycle_id, Request.status, Request.relationship)
        )
        for cycle_id, status, relationship, n in (await self.session.execute(stmt)).all():
            by_status[cycle_id][status] = by_status[cycle_id].get(status, 0) + int(n)
            by_relationship[cycle_id][relationship] += int(n)
        return {
            cid: CycleCountsRow(
                int(subjects.get(cid, 0)), dict(by_status[cid]), dict(by_relationship[cid])
            )
            for cid in ids
        }

    async def opening_counts(self, cycle_id: uuid.UUID) -> tuple[int, int]:
        """Subjects, and requests that can be answered (not awaiting approval)."""
        subjects = await self.session.scalar(
            select(func.count()).select_from(Subject).where(Subject.cycle_id == cycle_id)
        )
        requests = await self.session.scalar(
            select(func.count())
            .select_from(Request)
            .where(Request.cycle_id == cycle_id, Request.status != "nominated")
        )
        return int(subjects or 0), int(requests or 0)

    # --- employees of the agency ---------------------------------------------------------

    async def active_staff(self, agency_code: str, nips: Collection[str]) -> dict[str, StaffMember]:
        """The active employees of the agency among ``nips``, by NIP."""
        if not nips:
            return {}
        stmt = select(Employee.id, Employee.nip, Employee.name).where(
            Employee.nip == any_(literal(sorted(set(nips)), ARRAY(String))),
            Employee.agency_code == agency_code,
            Employee.status == ACTIVE,
        )
        rows = (await self.session.execute(stmt)).all()
        return {nip: StaffMember(eid, nip, name) for eid, nip, name in rows}

    async def unit_in_agency(self, unit_id: uuid.UUID, agency_code: str) -> bool:
        stmt = select(Unit.id).where(Unit.id == unit_id, Unit.agency_code == agency_code)
        return (await self.session.scalar(stmt)) is not None

    # --- subjects ------------------------------------------------------------------------

    def _subject_source(self, agency_code: str) -> Select[*tuple[Any, ...]]:
        return select(Employee.id, Employee.unit_id, Employee.position_id).where(
            Employee.agency_code == agency_code, Employee.status == ACTIVE
        )

    async def add_subjects(
        self,
        cycle: Cycle,
        *,
        employee_ids: Collection[uuid.UUID] | None = None,
        unit_id: uuid.UUID | None = None,
        include_subunits: bool = True,
        position_kind: str | None = None,
        public_facing: bool = False,
    ) -> tuple[int, int]:
        """Add the active employees of the cycle's agency named by ids or by a filter, with
        their unit and position now; those already subjects stay as they are. Returns how
        many matched and how many were added: one ``INSERT … SELECT``."""
        source = self._subject_source(cycle.agency_code)
        if employee_ids is not None:
            source = source.where(Employee.id == any_(literal(sorted(employee_ids), ARRAY(Uuid))))
        if unit_id is not None:
            if include_subunits:
                source = source.join(Unit, Unit.id == Employee.unit_id).where(
                    Unit.path.contains(literal([unit_id], ARRAY(Uuid)))
                )
            else:
                source = source.where(Employee.unit_id == unit_id)
        if position_kind is not None:
            source = source.join(Position, Position.id == Employee.position_id).where(
                Position.kind == position_kind
            )
        matched = select(func.count()).select_from(source.subquery())
        found = int(await self.session.scalar(matched) or 0)
        rows = source.subquery("chosen")
        stmt = (
            pg_insert(Subject)
            .from_select(
                ["cycle_id", "employee_id", "unit_id", "position_id", "public_facing"],
                select(
                    literal(cycle.id, Uuid),
                    rows.c.id,
                    rows.c.unit_id,
                    rows.c.position_id,
                    literal(public_facing),
                ),
            )
            .on_conflict_do_nothing(index_elements=["cycle_id", "employee_id"])
            .returning(Subject.employee_id)
        )
        added = len((await self.session.execute(stmt)).all())
        return found, added

    async def subject_count(self, cycle_id: uuid.UUID) -> int:
        stmt = select(func.count()).select_from(Subject).where(Subject.cycle_id == cycle_id)
        return int(await self.session.scalar(stmt) or 0)

    def _subject_views(self) -> Select[*tuple[Any, ...]]:
        return (
            select(Subject, Employee.nip, Employee.name, Unit.name, Position.title)
            .join(Employee, Employee.id == Subject.employee_id)
            .outerjoin(Unit, Unit.id == Subject.unit_id)
            .outerjoin(Position, Position.id == Subject.position_id)
        )

    async def subjects_page(
        self, cycle_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[SubjectView], str | None]:
        stmt = self._subject_views().where(Subject.cycle_id == cycle_id)
        keys = [SortKey(Employee.name), SortKey(Employee.nip)]
        rows, next_cursor = await _page_rows(self.session, stmt, keys, page, lambda r: (r[2], r[1]))
        return [SubjectView(*r) for r in rows], next_cursor

    async def subject_by_nip(self, cycle_id: uuid.UUID, nip: str) -> SubjectView | None:
        stmt = self._subject_views().where(Subject.cycle_id == cycle_id, Employee.nip == nip)
        row = (await self.session.execute(stmt)).first()
        return SubjectView(*row) if row is not None else None

    async def is_subject(self, cycle_id: uuid.UUID, employee_id: uuid.UUID) -> bool:
        stmt = select(Subject.employee_id).where(
            Subject.cycle_id == cycle_id, Subject.employee_id == employee_id
        )
        return (await self.session.scalar(stmt)) is not None

    async def rater_counts(
        self, cycle_id: uuid.UUID, subject_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, dict[str, int]]:
        """Requests per relationship of each subject, declined ones excepted."""
        found: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
        if not subject_ids:
            return found
        stmt = (
            select(Request.subject_employee_id, Request.relationship, func.count())
            .where(
                Request.cycle_id == cycle_id,
                Request.subject_employee_id.in_(list(subject_ids)),
                Request.status != "declined",
            )
            .group_by(Request.subject_employee_id, Request.relationship)
        )
        for subject_id, relationship, n in (await self.session.execute(stmt)).all():
            found[subject_id][relationship] = int(n)
        return found

    async def remove_subject(self, cycle_id: uuid.UUID, employee_id: uuid.UUID) -> int:
        """Remove the subject and the requests about them; returns how many requests went."""
        result = await self.session.execute(
            delete(Request)
            .where(Request.cycle_id == cycle_id, Request.subject_employee_id == employee_id)
            .returning(Request.id)
        )
        removed = len(result.all())
        await self.session.execute(
            delete(Subject).where(Subject.cycle_id == cycle_id, Subject.employee_id == employee_id)
        )
        return removed

    # --- requests ------------------------------------------------------------------------

    def _request_views(self) -> Select[*tuple[Any, ...]]:
        return (
            select(
                Request,
                SubjectEmployee.nip,
                SubjectEmployee.name,
                RaterEmployee.nip,
                RaterEmployee.name,
            )
            .join(SubjectEmployee, SubjectEmployee.id == Request.subject_employee_id)
            .outerjoin(RaterEmployee, RaterEmployee.id == Request.rater_employee_id)
        )

    async def requests_page(
        self, cycle_id: uuid.UUID, filters: RequestFilters, page: PageRequest
    ) -> tuple[list[RequestView], str | None]:
        stmt = self._request_views().where(Request.cycle_id == cycle_id)
        if filters.subject_nip is not None:
            stmt = stmt.where(SubjectEmployee.nip == filters.subject_nip)
        if filters.rater_nip is not None:
            stmt = stmt.where(RaterEmployee.nip == filters.rater_nip)
        if filters.relationship is not None:
            stmt = stmt.where(Request.relationship == filters.relationship)
        if filters.status is not None:
            stmt = stmt.where(Request.status == filters.status)
        keys = [SortKey(SubjectEmployee.nip), SortKey(Request.relationship), SortKey(Request.id)]
        rows, next_cursor = await _page_rows(
            self.session, stmt, keys, page, lambda r: (r[1], r[0].relationship, r[0].id)
        )
        return [RequestView(*r) for r in rows], next_cursor

    async def request_view(self, request_id: uuid.UUID) -> RequestView:
        row = (
            await self.session.execute(self._request_views().where(Request.id == request_id))
        ).one()
        return RequestView(*row)

    async def get_request(self, cycle_id: uuid.UUID, request_id: uuid.UUID) -> Request | None:
        stmt = select(Request).where(Request.id == request_id, Request.cycle_id == cycle_id)
        return (await self.session.scalars(stmt)).one_or_none()

    async def delete_request(self, row: Request) -> None:
        await self.session.delete(row)

    async def already_asked(
        self, cycle_id: uuid.UUID, subject_id: uuid.UUID, rater_ids: Collection[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Which of ``rater_ids`` already have a request about the subject (any status)."""
        if not rater_ids:
            return set()
        stmt = select(Request.rater_employee_id).where(
            Request.cycle_id == cycle_id,
            Request.subject_employee_id == subject_id,
            Request.rater_employee_id.in_(list(rater_ids)),
        )
        return {r for r in (await self.session.scalars(stmt)).all() if r is not None}

    async def lock_rater(self, cycle_id: uuid.UUID, rater_id: uuid.UUID) -> None:
        """Serialise the requests given to one rater in a cycle, so the cap holds."""
        key = f"feedback_rater:{cycle_id}:{rater_id}"
        await self.session.execute(
            select(func.pg_advisory_xact_lock(func.hashtextextended(literal(key), 0)))
        )

    async def rater_load(
        self, cycle_id: uuid.UUID, rater_id: uuid.UUID, statuses: Collection[str]
    ) -> int:
        stmt = (
            select(func.count())
            .select_from(Request)
            .where(
                Request.cycle_id == cycle_id,
                Request.rater_employee_id == rater_id,
                Request.status.in_(sorted(statuses)),
            )
        )
        return int(await self.session.scalar(stmt) or 0)

    # --- rater proposals: set-based loading and storing ----------------------------------

    async def generation_subjects(self, cycle_id: uuid.UUID) -> list[Person]:
        """The cycle's subjects, with the unit and position stored when they were added and
        the position their position reports to now."""
        stmt = (
            select(
                Employee.id,
                Employee.nip,
                Employee.name,
                Subject.unit_id,
                Unit.name,
                Subject.position_id,
                SubjectPosition.title,
                SubjectPosition.kind,
                SubjectPosition.reports_to_position_id,
                SuperiorPosition.title,
                Employee.rank_code,
            )
            .select_from(Subject)
            .join(Employee, Employee.id == Subject.employee_id)
            .outerjoin(Unit, Unit.id == Subject.unit_id)
            .outerjoin(SubjectPosition, SubjectPosition.id == Subject.position_id)
            .outerjoin(
                SuperiorPosition, SuperiorPosition.id == SubjectPosition.reports_to_position_id
            )
            .where(Subject.cycle_id == cycle_id)
        )
        return [Person(*row) for row in (await self.session.execute(stmt)).all()]

    async def generation_pool(self, cycle: Cycle) -> list[Person]:
        """The agency's active employees who could rate a subject: colleagues of a subject's
        unit, holders of the positions subjects report to, and holders of positions that
        report to a subject's position. One statement."""
        subjects = (
            select(Subject.unit_id, Subject.position_id)
            .where(Subject.cycle_id == cycle.id)
            .subquery("subjects")
        )
        superior_positions = (
            select(Position.reports_to_position_id)
            .join(subjects, subjects.c.position_id == Position.id)
            .where(Position.reports_to_position_id.is_not(None))
        )
        relevant: ColumnElement[bool] = or_(
            Employee.unit_id.in_(select(subjects.c.unit_id).where(subjects.c.unit_id.is_not(None))),
            Employee.position_id.in_(superior_positions),
            Position.reports_to_position_id.in_(
                select(subjects.c.position_id).where(subjects.c.position_id.is_not(None))
            ),
        )
        stmt = (
            select(
                Employee.id,
                Employee.nip,
                Employee.name,
                Employee.unit_id,
                literal(None, String),
                Employee.position_id,
                Position.title,
                Position.kind,
                Position.reports_to_position_id,
                literal(None, String),
                Employee.rank_code,
            )
            .outerjoin(Position, Position.id == Employee.position_id)
            .where(
                Employee.agency_code == cycle.agency_code,
                Employee.status == ACTIVE,
                relevant,
            )
        )
        return [Person(*row) for row in (await self.session.execute(stmt)).all()]

    async def existing_requests(self, cycle_id: uuid.UUID) -> list[Existing]:
        stmt = select(
            Request.subject_employee_id,
            Request.rater_employee_id,
            Request.relationship,
            Request.status,
        ).where(Request.cycle_id == cycle_id)
        return [Existing(*row) for row in (await self.session.execute(stmt)).all()]

    async def insert_requests(
        self,
        cycle_id: uuid.UUID,
        rows: Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID, str, str, str]],
        now: datetime,
    ) -> None:
        """Insert ``(id, subject, rater, relationship, reason_code, reason)`` rows as
        generated pending requests: one ``INSERT … SELECT FROM unnest(…)``."""
        if not rows:
            return
        ids, subjects, raters, relationships, codes, reasons = (
            list(c) for c in zip(*rows, strict=True)
        )
        source = select(
            func.unnest(literal(ids, ARRAY(Uuid))).label("id"),
            func.unnest(literal(subjects, ARRAY(Uuid))).label("subject"),
            func.unnest(literal(raters, ARRAY(Uuid))).label("rater"),
            func.unnest(literal(relationships, ARRAY(String))).label("relationship"),
            func.unnest(literal(codes, ARRAY(String))).label("reason_code"),
            func.unnest(literal(reasons, ARRAY(String))).label("reason"),
        ).subquery("proposed")
        stmt = pg_insert(Request).from_select(
            [
                "id",
                "cycle_id",
                "subject_employee_id",
                "rater_employee_id",
                "relationship",
                "status",
                "origin",
                "reason_code",
                "reason",
                "version",
                "created_at",
                "updated_at",
            ],
            select(
                source.c.id,
                literal(cycle_id, Uuid),
                source.c.subject,
                source.c.rater,
                source.c.relationship,
                literal("pending"),
                literal("generated"),
                source.c.reason_code,
                source.c.reason,
                literal(1),
                literal(now),
                literal(now),
            ),
        )
        await self.session.execute(stmt)

    def created_events(
        self, cycle: Cycle, request_ids: Sequence[uuid.UUID]
    ) -> Select[*tuple[Any, ...]]:
        """``(agency_code, payload)`` of each request named, for the outbox."""
        return (
            select(literal(cycle.agency_code, String), request_payload_sql())
            .select_from(Request)
            .join(SubjectEmployee, SubjectEmployee.id == Request.subject_employee_id)
            .outerjoin(RaterEmployee, RaterEmployee.id == Request.rater_employee_id)
            .where(
                Request.cycle_id == cycle.id,
                Request.id == any_(literal(list(request_ids), ARRAY(Uuid))),
            )
        )


def request_payload_sql() -> ColumnElement[Any]:
    """The ``feedback.request.created`` payload in SQL, as ``request_payload`` builds it."""
    return func.jsonb_build_object(
        "request_id",
        cast(Request.id, String),
        "cycle_id",
        cast(Request.cycle_id, String),
        "subject_nip",
        SubjectEmployee.nip,
        "rater_nip",
        RaterEmployee.nip,
        "relationship",
        Request.relationship,
        "origin",
        Request.origin,
        "status",
        Request.status,
    )


def request_payload(view: RequestView) -> dict[str, Any]:
    r = view.request
    return {
        "request_id": str(r.id),
        "cycle_id": str(r.cycle_id),
        "subject_nip": view.subject_nip,
        "rater_nip": view.rater_nip,
        "relationship": r.relationship,
        "origin": r.origin,
        "status": r.status,
    }
