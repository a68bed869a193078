"""Every query of the course catalogue, scoped to the caller's agencies in its WHERE."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, exists, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Agency, Competency, Rank
from asn_career.training.models import (
    Course,
    CourseCompetency,
    Enrolment,
    PlanItem,
    TrainingRequest,
)
from asn_career.training.rules import Rung


@dataclass(frozen=True)
class CourseFilters:
    agency: str | None = None
    active: bool | None = None
    form: str | None = None
    competency: str | None = None


class CourseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Course | CourseCompetency) -> None:
        self.session.add(row)

    async def get(
        self, principal: Principal, course_id: uuid.UUID, *, lock: bool = False
    ) -> Course | None:
        stmt = select(Course).where(
            Course.id == course_id, principal.agency_clause(Course.agency_code)
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, filters: CourseFilters, page: PageRequest
    ) -> tuple[list[Course], str | None]:
        stmt = select(Course).where(principal.agency_clause(Course.agency_code))
        if filters.agency is not None:
            stmt = stmt.where(Course.agency_code == filters.agency)
        if filters.active is not None:
            stmt = stmt.where(Course.active.is_(filters.active))
        if filters.form is not None:
            stmt = stmt.where(Course.form == filters.form)
        if filters.competency is not None:
            stmt = stmt.where(
                exists().where(
                    CourseCompetency.course_id == Course.id,
                    CourseCompetency.competency_id == Competency.id,
                    Competency.code == filters.competency,
                )
            )
        keys = [SortKey(Course.agency_code), SortKey(Course.code), SortKey(Course.id)]
        return await paginate(
            self.session, stmt, keys, page, lambda c: (c.agency_code, c.code, c.id)
        )

    async def competencies_of(
        self, course_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[str, int]]]:
        found: dict[uuid.UUID, list[tuple[str, int]]] = defaultdict(list)
        if not course_ids:
            return found
        stmt = (
            select(CourseCompetency.course_id, Competency.code, CourseCompetency.target_level)
            .join(Competency, Competency.id == CourseCompetency.competency_id)
            .where(CourseCompetency.course_id.in_(course_ids))
            .order_by(CourseCompetency.course_id, Competency.code)
        )
        for course_id, code, level in (await self.session.execute(stmt)).all():
            found[course_id].append((code, int(level)))
        return found

    async def levels(self, course_id: uuid.UUID) -> dict[int, int]:
        """Competency id → the level the course lifts it to."""
        stmt = select(CourseCompetency.competency_id, CourseCompetency.target_level).where(
            CourseCompetency.course_id == course_id
        )
        return {cid: int(level) for cid, level in (await self.session.execute(stmt)).all()}

    async def competency_ids(self, agency_code: str, codes: Iterable[str]) -> dict[str, int]:
        """The dictionary's ids of ``codes`` for the agency: national ones and its own."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        stmt = select(Competency.code, Competency.id).where(
            Competency.code.in_(wanted),
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return {code: cid for code, cid in (await self.session.execute(stmt)).all()}

    async def replace_competencies(self, course_id: uuid.UUID, levels: dict[int, int]) -> None:
        await self.session.execute(
            delete(CourseCompetency).where(CourseCompetency.course_id == course_id)
        )
        for competency_id, level in levels.items():
            self.session.add(
                CourseCompetency(
                    course_id=course_id, competency_id=competency_id, target_level=level
                )
            )

    async def rungs(self, codes: Iterable[str]) -> dict[str, Rung]:
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        stmt = select(Rank.code, Rank.scale, Rank.ordinal).where(Rank.code.in_(wanted))
        return {
            code: Rung(scale, int(o)) for code, scale, o in (await self.session.execute(stmt)).all()
        }

    async def agency_exists(self, code: str) -> bool:
        return (
            await self.session.scalar(select(Agency.code).where(Agency.code == code))
        ) is not None

    async def code_taken(self, agency_code: str, code: str, other_than: uuid.UUID | None) -> bool:
        stmt = select(
            exists().where(
                Course.agency_code == agency_code,
                Course.code == code,
                Course.id != other_than if other_than is not None else Course.id.is_not(None),
            )
        )
        return bool(await self.session.scalar(stmt))

    async def in_use(self, course_id: uuid.UUID) -> bool:
        """An enrolment, a plan item or a request names the course."""
        used = union_all(
            select(Enrolment.id.label("id")).where(Enrolment.course_id == course_id).limit(1),
            select(TrainingRequest.id.label("id"))
            .where(TrainingRequest.course_id == course_id)
            .limit(1),
            select(PlanItem.plan_id.label("id")).where(PlanItem.course_id == course_id).limit(1),
        ).subquery()
        return bool(await self.session.scalar(select(exists().select_from(used))))

    async def delete(self, row: Course) -> None:
        await self.session.delete(row)
