"""The course catalogue: codes unique per agency, competencies from the dictionary for the
agency, a sound rank range and schedule; a course something names (an enrolment, a plan
item, a request) is deactivated, never deleted."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from asn_career.core.audit.service import (
    ChangeRecorder,
    EventPayload,
    Snapshot,
    snapshot,
)
from asn_career.core.auth import Principal
from asn_career.core.errors import (
    Conflict,
    NotFound,
    ValidationProblem,
    field_problem,
    field_problems,
)
from asn_career.core.outbox import changes as changed_fields
from asn_career.core.pagination import PageRequest
from asn_career.training.courses.repository import CourseFilters, CourseRepository
from asn_career.training.courses.schemas import (
    CourseCompetencyIn,
    CourseCompetencyOut,
    CourseCreate,
    CourseOut,
    CourseUpdate,
)
from asn_career.training.models import Course
from asn_career.training.rules import course_shape_problems, rank_range_problem, repeated

__all__ = ["CourseFilters", "CourseService"]

ENTITY = "training_course"


def course_in_use() -> Conflict:
    return Conflict(
        "Enrolments, plans or requests name this course, so it cannot be deleted; set "
        "`active` to false instead",
        detail_id="Kursus ini sudah dipakai dalam pendaftaran, rencana, atau usulan pelatihan "
        "sehingga tidak dapat dihapus; nonaktifkan saja (`active` = false)",
        code="course_in_use",
    )


def _payload(row: Course, verb: str) -> EventPayload:
    ids = {"action": verb, "course_id": str(row.id), "code": row.code}

    def build(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        return ids | {"changes": changed_fields(before, after)}

    return build


class CourseService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = CourseRepository(session)
        self.changes = ChangeRecorder(session, principal)

    # --- reads ---------------------------------------------------------------------------

    async def get(self, course_id: uuid.UUID) -> Course:
        row = await self.repository.get(self.principal, course_id)
        if row is None:
            raise NotFound()
        return row

    async def outs(self, rows: Sequence[Course]) -> list[CourseOut]:
        competencies = await self.repository.competencies_of([r.id for r in rows])
        return [_out(r, competencies.get(r.id, [])) for r in rows]

    async def out(self, row: Course) -> CourseOut:
        return (await self.outs([row]))[0]

    async def list_page(
        self, filters: CourseFilters, page: PageRequest
    ) -> tuple[list[CourseOut], str | None]:
        rows, cursor = await self.repository.list_page(self.principal, filters, page)
        return await self.outs(rows), cursor

    # --- checks --------------------------------------------------------------------------

    async def _competency_levels(
        self, agency_code: str, items: Sequence[CourseCompetencyIn]
    ) -> dict[int, int]:
        problems: list[ValidationProblem] = []
        codes = [i.code for i in items]
        for code in repeated(codes):
            problems.append(
                field_problem(
                    "competencies",
                    f"competency {code} is listed more than once",
                    f"kompetensi {code} tercantum lebih dari sekali",
                    "duplicate_competency",
                )
            )
        known = await self.repository.competency_ids(agency_code, codes)
        for n, item in enumerate(items):
            if item.code not in known:
                problems.append(
                    field_problem(
                        ["body", "competencies", n, "code"],
                        f"competency {item.code} is not in the dictionary for agency {agency_code}",
                        f"kompetensi {item.code} tidak ada dalam kamus kompetensi instansi "
                        f"{agency_code}",
                        "unknown_competency",
                    )
                )
        if problems:
            raise problems[0] if len(problems) == 1 else field_problems(problems)
        return {known[i.code]: i.target_level for i in items}

    async def _check_shape(self, values: dict[str, Any]) -> None:
        problems: list[ValidationProblem] = [
            field_problem(p.field, p.msg, p.msg_id, p.kind)
            for p in course_shape_problems(
                values["min_participants"],
                values["max_participants"],
                values["starts_on"],
                values["ends_on"],
            )
        ]
        low_code, high_code = values["min_rank"], values["max_rank"]
        rungs = await self.repository.rungs(c for c in (low_code, high_code) if c is not None)
        for name, code in (("min_rank", low_code), ("max_rank", high_code)):
            if code is not None and code not in rungs:
                problems.append(
                    field_problem(
                        name,
                        f"rank {code} is unknown",
                        f"pangkat/golongan {code} tidak dikenal",
                        "unknown_rank",
                    )
                )
        wrong = rank_range_problem(
            rungs.get(low_code) if low_code else None, rungs.get(high_code) if high_code else None
        )
        if wrong == "scale":
            problems.append(
                field_problem(
                    "max_rank",
                    "min_rank and max_rank are of different scales (PNS and PPPK)",
                    "pangkat minimum dan maksimum berasal dari skala yang berbeda (PNS dan PPPK)",
                    "rank_scale",
                )
            )
        elif wrong == "order":
            problems.append(
                field_problem(
                    "max_rank",
                    "max_rank is below min_rank",
                    "pangkat maksimum lebih rendah dari pangkat minimum",
                    "rank_order",
                )
            )
        if problems:
            raise problems[0] if len(problems) == 1 else field_problems(problems)

    async def _check_code(self, agency_code: str, code: str, other_than: uuid.UUID | None) -> None:
        if await self.repository.code_taken(agency_code, code, other_than):
            raise Conflict(
                f"Agency {agency_code} already has a course with code {code}",
                detail_id=f"Instansi {agency_code} sudah memiliki kursus dengan kode {code}",
                code="course_code_taken",
            )

    def _snapshot(self, levels: dict[int, int]) -> Any:
        def take(row: Course) -> dict[str, Any]:
            return snapshot(
                row, extra={"competencies": {str(k): v for k, v in sorted(levels.items())}}
            )

        return take

    # --- writes --------------------------------------------------------------------------

    async def create(self, body: CourseCreate) -> CourseOut:
        self.principal.require_agency(body.agency_code)
        if not await self.repository.agency_exists(body.agency_code):
            raise field_problem(
                "agency_code",
                f"agency {body.agency_code} is not registered",
                f"instansi {body.agency_code} belum terdaftar",
                "agency_not_found",
            )
        values = body.model_dump(exclude={"competencies"})
        await self._check_shape(values)
        levels = await self._competency_levels(body.agency_code, body.competencies)
        await self._check_code(body.agency_code, body.code, None)
        values["eligible_position_kinds"] = [str(k) for k in body.eligible_position_kinds]
        row = Course(id=uuid.uuid4(), **values)
        self.repository.add(row)
        await self.session.flush()
        await self.repository.replace_competencies(row.id, levels)
        await self.changes.created(
            row,
            after=self._snapshot(levels),
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="training.course.created",
            payload=_payload(row, "created"),
        )
        return await self.out(row)

    async def update(self, row: Course, body: CourseUpdate) -> CourseOut:
        self.principal.require_agency(row.agency_code)
        changes = body.model_dump(exclude_unset=True, exclude={"competencies"})
        if "eligible_position_kinds" in changes:
            changes["eligible_position_kinds"] = [
                str(k) for k in changes["eligible_position_kinds"]
            ]
        current = {
            name: getattr(row, name)
            for name in ("min_participants", "max_participants", "starts_on", "ends_on",
                         "min_rank", "max_rank")
        }  # fmt: skip
        await self._check_shape(current | changes)
        old = await self.repository.levels(row.id)
        levels = old
        if body.competencies is not None:
            levels = await self._competency_levels(row.agency_code, body.competencies)
        if "code" in changes:
            await self._check_code(row.agency_code, changes["code"], row.id)
        before = self._snapshot(old)(row)
        for name, value in changes.items():
            setattr(row, name, value)
        if levels != old:
            await self.repository.replace_competencies(row.id, levels)
            flag_modified(row, "title")  # the version (ETag) moves with the competencies
        await self.changes.updated(
            row,
            before=before,
            after=self._snapshot(levels),
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="training.course.updated",
            payload=_payload(row, "updated"),
            unless_unchanged=True,
        )
        return await self.out(row)

    async def delete(self, row: Course) -> None:
        self.principal.require_agency(row.agency_code)
        if await self.repository.in_use(row.id):
            raise course_in_use()
        before = self._snapshot(await self.repository.levels(row.id))(row)
        await self.repository.delete(row)
        await self.changes.deleted(
            row,
            before=before,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="training.course.deleted",
            payload=_payload(row, "deleted"),
        )


def _out(row: Course, competencies: list[tuple[str, int]]) -> CourseOut:
    return CourseOut(
        id=row.id,
        agency_code=row.agency_code,
        code=row.code,
        title=row.title,
        description=row.description,
        form=row.form,
        provider=row.provider,
        hours_jp=float(row.hours_jp),
        cost_per_participant=float(row.cost_per_participant),
        fixed_cost_per_batch=float(row.fixed_cost_per_batch),
        min_participants=row.min_participants,
        max_participants=row.max_participants,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        eligible_position_kinds=list(row.eligible_position_kinds),
        min_rank=row.min_rank,
        max_rank=row.max_rank,
        competencies=[CourseCompetencyOut(code=c, target_level=lv) for c, lv in competencies],
        reassess_on_completion=row.reassess_on_completion,
        active=row.active,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
