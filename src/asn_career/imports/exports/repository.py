"""The queries behind exports: one keyset batch at a time, scoped in the SQL.

Each kind is a ``select`` whose columns are labelled with the ``native`` column names
(``exports_columns.NATIVE_COLUMNS``), then ``agency``, then its sort keys (the last one
unique), so a batch resumes after the previous batch's last keys and never holds more than
``limit`` rows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, any_, func, select, true, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.imports.exports.columns import AGENCY_COLUMN, NATIVE_COLUMNS, ExportKind
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
from asn_career.profiles.scope import employee_visibility
from asn_career.training.models import Course, CourseCompetency


@dataclass(frozen=True)
class KindQuery:
    """The labelled output columns, the sort keys, and the scope filter of one kind."""

    statement: Select[*tuple[Any, ...]]
    keys: Sequence[Any]
    """Column expressions; the last one is unique."""


def _employee_scope(principal: Principal, agency: str | None) -> ColumnElement[bool]:
    by_agency = Employee.agency_code == agency if agency is not None else true()
    return and_(employee_visibility(principal), by_agency)


def _employees(principal: Principal, agency: str | None) -> KindQuery:
    keys = [Employee.nip]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Employee.name.label("name"),
            Employee.front_title.label("front_title"),
            Employee.back_title.label("back_title"),
            Employee.gender.label("gender"),
            Employee.birth_date.label("birth_date"),
            Employee.birth_place.label("birth_place"),
            Employee.employment_type.label("employment_type"),
            Employee.appointment_date.label("appointment_date"),
            Employee.rank_code.label("rank"),
            Employee.status.label("status"),
            Unit.code.label("unit_code"),
            Employee.nik.label("nik"),
            Employee.email.label("email"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _units(principal: Principal, agency: str | None) -> KindQuery:
    parent = aliased(Unit)
    # Parents before children, so a row-by-row reader always knows the parent already.
    keys = [func.cardinality(Unit.path), Unit.agency_code, Unit.code]
    stmt = (
        select(
            Unit.code.label("code"),
            Unit.name.label("name"),
            Unit.kind.label("kind"),
            parent.code.label("parent_code"),
            Unit.agency_code.label(AGENCY_COLUMN),
        )
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(principal.agency_clause(Unit.agency_code))
    )
    if agency is not None:
        stmt = stmt.where(Unit.agency_code == agency)
    return KindQuery(stmt, keys)


def _positions(principal: Principal, agency: str | None) -> KindQuery:
    superior = aliased(Position)
    required = (
        select(
            func.array_agg(
                aggregate_order_by(
                    func.concat(Competency.code, ":", PositionCompetency.level), Competency.code
                )
            )
        )
        .select_from(PositionCompetency)
        .join(Competency, Competency.id == PositionCompetency.competency_id)
        .where(PositionCompetency.position_id == Position.id)
        .scalar_subquery()
    )
    keys = [Position.agency_code, Position.code]
    stmt = (
        select(
            Position.code.label("code"),
            Position.title.label("title"),
            Unit.code.label("unit_code"),
            Position.kind.label("kind"),
            Position.functional_level.label("functional_level"),
            Position.min_rank.label("min_rank"),
            Position.max_rank.label("max_rank"),
            superior.code.label("reports_to_code"),
            required.label("required_competencies"),
            Position.preferred_education_fields.label("preferred_education_fields"),
            Position.is_shared.label("is_shared"),
            Position.agency_code.label(AGENCY_COLUMN),
        )
        .join(Unit, Unit.id == Position.unit_id)
        .outerjoin(superior, superior.id == Position.reports_to_position_id)
        .where(principal.agency_clause(Position.agency_code))
    )
    if agency is not None:
        stmt = stmt.where(Position.agency_code == agency)
    return KindQuery(stmt, keys)


def _education(principal: Principal, agency: str | None) -> KindQuery:
    # Ordered by content, not by id alone: a re-imported row gets a new id, and the
    # export of the same data must come out the same.
    keys = [
        Employee.nip,
        Education.level_code,
        func.coalesce(Education.field, ""),
        func.coalesce(Education.institution, ""),
        func.coalesce(Education.graduation_year, 0),
        Education.id,
    ]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Education.level_code.label("level"),
            Education.field.label("field"),
            Education.institution.label("institution"),
            Education.graduation_year.label("graduation_year"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .join(Employee, Employee.id == Education.employee_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _assignments(principal: Principal, agency: str | None) -> KindQuery:
    keys = [Employee.nip, Assignment.start_date, Assignment.id]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Position.code.label("position_code"),
            Assignment.start_date.label("start_date"),
            Assignment.end_date.label("end_date"),
            Assignment.decree_number.label("decree_number"),
            Assignment.decree_date.label("decree_date"),
            Assignment.is_primary.label("is_primary"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .join(Employee, Employee.id == Assignment.employee_id)
        .join(Position, Position.id == Assignment.position_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _trainings(principal: Principal, agency: str | None) -> KindQuery:
    codes = (
        select(func.array_agg(aggregate_order_by(Competency.code, Competency.code)))
        .where(Competency.id == any_(Training.competency_ids))
        .scalar_subquery()
    )
    keys = [Employee.nip, Training.start_date, Training.title, Training.id]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Training.title.label("title"),
            Training.hours_jp.label("hours_jp"),
            Training.start_date.label("start_date"),
            Training.end_date.label("end_date"),
            Training.provider.label("provider"),
            Training.form.label("form"),
            codes.label("competencies"),
            Training.certificate_number.label("certificate_number"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .join(Employee, Employee.id == Training.employee_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _performance(principal: Principal, agency: str | None) -> KindQuery:
    keys = [Employee.nip, Performance.year, Performance.period, Performance.id]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Performance.year.label("year"),
            Performance.period.label("period"),
            Performance.results.label("results"),
            Performance.behaviour.label("behaviour"),
            Performance.score.label("score"),
            Performance.predicate.label("predicate"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .join(Employee, Employee.id == Performance.employee_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _competencies(principal: Principal, agency: str | None) -> KindQuery:
    keys = [
        Employee.nip,
        CompetencyAssessment.assessed_on,
        CompetencyAssessment.competency_id,
        CompetencyAssessment.source,
        CompetencyAssessment.id,
    ]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Competency.code.label("competency"),
            CompetencyAssessment.level.label("level"),
            CompetencyAssessment.source.label("source"),
            CompetencyAssessment.assessed_on.label("assessed_on"),
            CompetencyAssessment.notes.label("notes"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .join(Employee, Employee.id == CompetencyAssessment.employee_id)
        .join(Competency, Competency.id == CompetencyAssessment.competency_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _sanctions(principal: Principal, agency: str | None) -> KindQuery:
    keys = [Employee.nip, Sanction.start_date, Sanction.kind, Sanction.id]
    stmt = (
        select(
            Employee.nip.label("nip"),
            Sanction.severity.label("severity"),
            Sanction.kind.label("kind"),
            Sanction.decree_number.label("decree_number"),
            Sanction.start_date.label("start_date"),
            Sanction.end_date.label("end_date"),
            Sanction.reason.label("reason"),
            Employee.agency_code.label(AGENCY_COLUMN),
        )
        .join(Employee, Employee.id == Sanction.employee_id)
        .where(_employee_scope(principal, agency))
    )
    return KindQuery(stmt, keys)


def _training_courses(principal: Principal, agency: str | None) -> KindQuery:
    lifted = (
        select(
            func.array_agg(
                aggregate_order_by(
                    func.concat(Competency.code, ":", CourseCompetency.target_level),
                    Competency.code,
                )
            )
        )
        .select_from(CourseCompetency)
        .join(Competency, Competency.id == CourseCompetency.competency_id)
        .where(CourseCompetency.course_id == Course.id)
        .scalar_subquery()
    )
    keys = [Course.agency_code, Course.code]
    stmt = select(
        Course.code.label("code"),
        Course.title.label("title"),
        Course.description.label("description"),
        Course.form.label("form"),
        Course.provider.label("provider"),
        Course.hours_jp.label("hours_jp"),
        Course.cost_per_participant.label("cost_per_participant"),
        Course.fixed_cost_per_batch.label("fixed_cost_per_batch"),
        Course.min_participants.label("min_participants"),
        Course.max_participants.label("max_participants"),
        Course.starts_on.label("starts_on"),
        Course.ends_on.label("ends_on"),
        Course.eligible_position_kinds.label("eligible_position_kinds"),
        Course.min_rank.label("min_rank"),
        Course.max_rank.label("max_rank"),
        lifted.label("competencies"),
        Course.reassess_on_completion.label("reassess_on_completion"),
        Course.active.label("active"),
        Course.agency_code.label(AGENCY_COLUMN),
    ).where(principal.agency_clause(Course.agency_code))
    if agency is not None:
        stmt = stmt.where(Course.agency_code == agency)
    return KindQuery(stmt, keys)


QUERIES: dict[ExportKind, Callable[[Principal, str | None], KindQuery]] = {
    ExportKind.EMPLOYEES: _employees,
    ExportKind.UNITS: _units,
    ExportKind.POSITIONS: _positions,
    ExportKind.EDUCATION: _education,
    ExportKind.ASSIGNMENTS: _assignments,
    ExportKind.TRAININGS: _trainings,
    ExportKind.PERFORMANCE: _performance,
    ExportKind.COMPETENCIES: _competencies,
    ExportKind.SANCTIONS: _sanctions,
    ExportKind.TRAINING_COURSES: _training_courses,
}


def column_names(kind: ExportKind) -> tuple[str, ...]:
    """The labels of a kind's query: ``NATIVE_COLUMNS[kind]`` and ``agency`` (tested)."""
    from asn_career.core.auth import Role

    query = QUERIES[kind](Principal(subject="-", role=Role.ADMIN), None)
    return tuple(str(c.key) for c in query.statement.selected_columns)


@dataclass(frozen=True)
class Batch:
    rows: list[tuple[Any, ...]]
    """Values in the order of ``NATIVE_COLUMNS[kind]``, then the row's agency."""
    last_key: tuple[Any, ...] | None
    """Where the next batch starts; None when this one was the last."""


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def agency_exists(self, code: str) -> bool:
        found = await self.session.scalar(select(Agency.code).where(Agency.code == code))
        return found is not None

    async def batch(
        self,
        principal: Principal,
        kind: ExportKind,
        agency: str | None,
        after: tuple[Any, ...] | None,
        limit: int,
    ) -> Batch:
        query = QUERIES[kind](principal, agency)
        width = len(NATIVE_COLUMNS[kind]) + 1
        stmt = query.statement.add_columns(
            *(key.label(f"_key{i}") for i, key in enumerate(query.keys))
        )
        if after is not None:
            stmt = stmt.where(tuple_(*query.keys) > tuple_(*after))
        stmt = stmt.order_by(*query.keys).limit(limit)
        result: Sequence[Row[Any]] = (await self.session.execute(stmt)).all()
        rows = [tuple(row[:width]) for row in result]
        last_key = tuple(result[-1][width:]) if len(result) == limit else None
        return Batch(rows, last_key)
