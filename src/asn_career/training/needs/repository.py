"""The needs of many employees at once: one set-based statement (no query per employee),
scoped to the caller by ``profiles.scope.employee_visibility`` in its WHERE.

The statement's parts, as CTEs: the visible active employees (``staff``); the
competencies their current position and their target positions require (``required``: a
position their career interests aim for, or one an approved rotation round places them in);
their latest SKP up to the year (``skp``); their JP in the year (``hours``); the last
year they trained in each competency (``trained``); and the endorsed requests of the year
(``endorsed``). The gap and the priority are computed from ``needs.rules``' constants.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Numeric,
    Row,
    Select,
    SmallInteger,
    and_,
    case,
    cast,
    column,
    extract,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
    values,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.db import plan_for_whole_agency
from asn_career.core.pagination import PageRequest, invalid_cursor
from asn_career.org.models import Competency, Position, PositionCompetency, Unit
from asn_career.profiles.models import (
    CareerInterest,
    CurrentCompetency,
    Employee,
    Performance,
    Training,
)
from asn_career.profiles.scope import employee_visibility
from asn_career.rotations.models import Round, RoundPlacement
from asn_career.rotations.rules import PLANNED_ROUND_STATUS
from asn_career.training.models import TrainingRequest
from asn_career.training.needs import rules
from asn_career.training.rules import MIN_JP_PER_YEAR

PERIOD_ORDER = {"q1": 1, "q2": 2, "q3": 3, "q4": 4, "annual": 5}
"""Within a year the annual SKP is the latest, after the fourth quarter."""


@dataclass(frozen=True)
class NeedFilters:
    year: int
    agency: str | None = None
    unit_ids: Sequence[uuid.UUID] = ()
    """Each with its sub-units (``units.path``)."""
    nip: str | None = None
    competency: str | None = None


def _num(value: Decimal | int) -> Any:
    return literal(Decimal(value), Numeric(12, 4))


_LATEST_SKP = (
    Performance.year.desc(),
    case(PERIOD_ORDER, value=Performance.period, else_=0).desc(),
)
"""The order of an employee's SKP rows, latest first (the first is the one a need reads)."""


def _requirements(principal: Principal, filters: NeedFilters) -> tuple[Any, Any, Any, Any]:
    """The visible active staff (``staff`` and ``staff_ids``), the competencies their
    position and targets require (``required``) and their current levels (``current``):
    the year-independent part of every need."""
    staff_q = (
        select(
            Employee.id.label("employee_id"),
            Employee.nip,
            Employee.name,
            Employee.agency_code,
            Employee.unit_id,
            Employee.position_id,
            Employee.gender,
            Employee.rank_code,
            Position.kind.label("position_kind"),
        )
        .select_from(Employee)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(employee_visibility(principal), Employee.status == "active")
    )
    if filters.agency is not None:
        staff_q = staff_q.where(Employee.agency_code == filters.agency)
    if filters.unit_ids:
        staff_q = staff_q.where(
            Employee.unit_id.in_(select(Unit.id).where(Unit.path.overlap(list(filters.unit_ids))))
        )
    if filters.nip is not None:
        staff_q = staff_q.where(Employee.nip == filters.nip)
    staff = staff_q.cte("staff")
    staff_ids = select(staff.c.employee_id)

    competency_clause: ColumnElement[bool] = true()
    if filters.competency is not None:
        competency_clause = PositionCompetency.competency_id.in_(
            select(Competency.id).where(Competency.code == filters.competency)
        )
    # The current position's requirements are one row per competency already (its key);
    # only the target positions' are grouped, and the two meet in a full join.
    own = (
        select(
            staff.c.employee_id,
            PositionCompetency.competency_id,
            PositionCompetency.level,
        )
        .join(PositionCompetency, PositionCompetency.position_id == staff.c.position_id)
        .where(competency_clause)
        .subquery("own")
    )
    # Target positions: those the career interests aim for, and those an approved rotation
    # round places the employee in (planned, not yet enacted).
    target_positions = union_all(
        select(
            CareerInterest.employee_id, CareerInterest.target_position_id.label("position_id")
        ).where(CareerInterest.kind == "position", CareerInterest.employee_id.in_(staff_ids)),
        select(RoundPlacement.employee_id, RoundPlacement.position_id)
        .join(Round, Round.id == RoundPlacement.round_id)
        .where(
            Round.status == PLANNED_ROUND_STATUS,
            RoundPlacement.employee_id.in_(staff_ids),
            RoundPlacement.position_id.is_distinct_from(RoundPlacement.from_position_id),
        ),
    ).subquery("target_positions")
    targets = (
        select(
            target_positions.c.employee_id,
            PositionCompetency.competency_id,
            func.max(PositionCompetency.level).label("level"),
        )
        .join(PositionCompetency, PositionCompetency.position_id == target_positions.c.position_id)
        .where(competency_clause)
        .group_by(target_positions.c.employee_id, PositionCompetency.competency_id)
        .subquery("targets")
    )
    required = (
        select(
            func.coalesce(own.c.employee_id, targets.c.employee_id).label("employee_id"),
            func.coalesce(own.c.competency_id, targets.c.competency_id).label("competency_id"),
            own.c.level.label("position_level"),
            targets.c.level.label("target_level"),
        )
        .select_from(own)
        .join(
            targets,
            and_(
                targets.c.employee_id == own.c.employee_id,
                targets.c.competency_id == own.c.competency_id,
            ),
            full=True,
        )
        .cte("required")
    )
    # The current levels of the visible staff, read once and hash-joined: probing the
    # primary key once per requirement row costs more for a whole agency.
    current = (
        select(
            CurrentCompetency.employee_id,
            CurrentCompetency.competency_id,
            CurrentCompetency.level,
        )
        .where(CurrentCompetency.employee_id.in_(staff_ids))
        .cte("current")
    )
    return staff, staff_ids, required, current


def _gap_parts(required: Any, current: Any, skp: Any) -> tuple[Any, Any, Any]:
    """The position gap, the target gap and the performance flag (an SKP below *baik*
    on a position requirement) of a requirement row, from ``needs.rules``' constants."""
    level = func.coalesce(current.c.level, rules.MISSING_LEVEL)
    own_gap = func.greatest(func.coalesce(required.c.position_level, 0) - level, 0)
    target_gap = func.greatest(func.coalesce(required.c.target_level, 0) - level, 0)
    performance = case(
        (
            and_(
                skp.c.predicate.in_(rules.BELOW_BAIK),
                required.c.position_level.is_not(None),
            ),
            1,
        ),
        else_=0,
    )
    return own_gap, target_gap, performance


def gap_of(position_gap: Any, target_gap: Any, performance: Any) -> Any:
    """A need's gap (positive: a need)."""
    return func.greatest(position_gap, target_gap, performance * rules.PERFORMANCE_GAP)


def needs_statement(
    principal: Principal,
    filters: NeedFilters,
    *,
    after: tuple[Decimal, uuid.UUID, int] | None = None,
    limit: int | None = None,
    details: bool = True,
) -> Select[Any]:
    """Every positive need the caller may see, with its facts, gap and priority, highest
    priority first; ``after`` a keyset (priority, employee id, competency id) and
    ``limit`` for one page; without ``details`` only what the planner takes."""
    first_day, last_day = rules.year_bounds(filters.year)
    staff, staff_ids, required, current = _requirements(principal, filters)
    skp = (
        select(Performance.employee_id, Performance.predicate)
        .ext(distinct_on(Performance.employee_id))
        .where(Performance.employee_id.in_(staff_ids), Performance.year <= filters.year)
        .order_by(Performance.employee_id, *_LATEST_SKP)
        .cte("skp")
    )
    hours = (
        select(Training.employee_id, func.sum(Training.hours_jp).label("hours"))
        .where(
            Training.employee_id.in_(staff_ids),
            Training.start_date.between(first_day, last_day),
        )
        .group_by(Training.employee_id)
        .cte("hours")
    )
    trained_rows = (
        select(
            Training.employee_id,
            func.unnest(Training.competency_ids).label("competency_id"),
            Training.start_date,
        )
        .where(Training.employee_id.in_(staff_ids), Training.start_date <= last_day)
        .subquery("trained_rows")
    )
    trained = (
        select(
            trained_rows.c.employee_id,
            trained_rows.c.competency_id,
            func.max(extract("year", trained_rows.c.start_date)).label("last_year"),
        )
        .group_by(trained_rows.c.employee_id, trained_rows.c.competency_id)
        .cte("trained")
    )
    endorsed = (
        select(TrainingRequest.employee_id, TrainingRequest.competency_id)
        .where(
            TrainingRequest.status == "endorsed",
            TrainingRequest.year == filters.year,
            TrainingRequest.employee_id.in_(staff_ids),
        )
        .distinct()
        .cte("endorsed")
    )

    own_gap, target_gap, performance = _gap_parts(required, current, skp)
    years = (filters.year - trained.c.last_year).label("years_since_training")
    hours_this_year = func.coalesce(hours.c.hours, 0)
    endorsed_flag = endorsed.c.employee_id.is_not(None)
    facts = (
        select(
            required.c.employee_id,
            required.c.competency_id,
            staff.c.position_kind,
            required.c.position_level,
            required.c.target_level,
            current.c.level.label("current_level"),
            skp.c.predicate,
            cast(years, SmallInteger).label("years_since_training"),
            hours_this_year.label("hours_this_year"),
            endorsed_flag.label("endorsed_request"),
            own_gap.label("position_gap"),
            target_gap.label("target_gap"),
            performance.label("performance"),
        )
        .select_from(required)
        .join(staff, staff.c.employee_id == required.c.employee_id)
        .outerjoin(
            current,
            and_(
                current.c.employee_id == required.c.employee_id,
                current.c.competency_id == required.c.competency_id,
            ),
        )
        .outerjoin(skp, skp.c.employee_id == required.c.employee_id)
        .outerjoin(hours, hours.c.employee_id == required.c.employee_id)
        .outerjoin(
            trained,
            and_(
                trained.c.employee_id == required.c.employee_id,
                trained.c.competency_id == required.c.competency_id,
            ),
        )
        .outerjoin(
            endorsed,
            and_(
                endorsed.c.employee_id == required.c.employee_id,
                endorsed.c.competency_id == required.c.competency_id,
            ),
        )
    )
    f = facts.subquery("facts")

    cap = rules.TRAINING_AGE_CAP
    training_age = func.least(func.greatest(func.coalesce(f.c.years_since_training, cap), 0), cap)
    kind_weight = case(
        {kind: _num(weight) for kind, weight in rules.KIND_WEIGHTS.items()},
        value=f.c.position_kind,
        else_=_num(0),
    )
    jp = _num(MIN_JP_PER_YEAR)
    priority = func.round(
        _num(rules.W_GAP) * f.c.position_gap
        + _num(rules.W_TARGET) * func.greatest(f.c.target_gap - f.c.position_gap, 0)
        + _num(rules.W_PERFORMANCE) * f.c.performance
        + _num(rules.W_CRITICALITY) * kind_weight
        + _num(rules.W_TRAINING_AGE) * training_age / _num(cap)
        + _num(rules.W_HOURS) * func.greatest(jp - f.c.hours_this_year, 0) / jp
        + case((f.c.endorsed_request, _num(rules.W_REQUEST)), else_=_num(0)),
        3,
    )
    gap = gap_of(f.c.position_gap, f.c.target_gap, f.c.performance)
    needs = select(f, gap.label("gap"), priority.label("priority")).subquery("needs")

    # Rank the narrow rows first; names and codes are joined to the kept rows only.
    positive = select(needs).where(needs.c.gap > 0)
    if after is not None:
        top, employee_id, competency_id = after
        positive = positive.where(
            or_(
                needs.c.priority < top,
                and_(needs.c.priority == top, needs.c.employee_id > employee_id),
                and_(
                    needs.c.priority == top,
                    needs.c.employee_id == employee_id,
                    needs.c.competency_id > competency_id,
                ),
            )
        )
    if limit is not None:
        positive = positive.order_by(*_order(needs)).limit(limit)
    ranked = positive.subquery("ranked")
    if not details:
        # What the planner takes (``training.rules.Need``), as floats: decoding 80,000
        # numerics and names costs more than computing them.
        return (
            select(
                ranked.c.employee_id,
                ranked.c.competency_id,
                ranked.c.gap,
                cast(ranked.c.priority, Float).label("priority"),
                staff.c.unit_id,
                staff.c.gender,
                staff.c.rank_code,
                ranked.c.position_kind,
                cast(ranked.c.hours_this_year, Float).label("hours_this_year"),
            )
            .join(staff, staff.c.employee_id == ranked.c.employee_id)
            .order_by(*_order(ranked))
        )
    return (
        select(
            ranked,
            staff.c.nip,
            staff.c.name,
            staff.c.agency_code,
            staff.c.unit_id,
            staff.c.position_id,
            staff.c.gender,
            staff.c.rank_code,
            Competency.code.label("competency_code"),
            Competency.name_id.label("competency_name"),
        )
        .join(staff, staff.c.employee_id == ranked.c.employee_id)
        .join(Competency, Competency.id == ranked.c.competency_id)
        .order_by(*_order(ranked))
    )


def gap_summary_statement(principal: Principal, agency: str, years: Sequence[int]) -> Any:
    """Per year of ``years`` (year, mean_gap, needs, employees): the mean gap of the
    positive needs of the agency's visible staff, how many and how many employees have one
    — what ``needs_statement`` gives year by year, in one statement. The requirements and
    current levels are the same for every year; only the SKP (the latest up to the year)
    differs, and the gap is the same expression. The year's training and endorsed requests
    weigh on the priority only, so they are not read."""
    staff, _, required, current = _requirements(
        principal, NeedFilters(year=max(years), agency=agency)
    )
    yrs = values(column("year", Integer), name="yrs").data([(y,) for y in years])
    staff_ids = select(staff.c.employee_id)
    # each year's latest SKP, as needs_statement reads it for one year
    skp = union_all(
        *(
            select(literal(y, Integer).label("year"), Performance.employee_id,
                   Performance.predicate)
            .ext(distinct_on(Performance.employee_id))
            .where(Performance.employee_id.in_(staff_ids), Performance.year <= y)
            .order_by(Performance.employee_id, *_LATEST_SKP)
            for y in years
        )
    ).cte("skp")  # fmt: skip
    own_gap, target_gap, performance = _gap_parts(required, current, skp)
    gap = gap_of(own_gap, target_gap, performance)
    # (required's employees are all staff: no join to it is needed for the counts)
    per_employee = (
        select(
            yrs.c.year,
            required.c.employee_id,
            func.sum(gap).label("total"),
            func.count().label("needs"),
        )
        .select_from(required)
        .join(yrs, true())
        .outerjoin(
            current,
            and_(
                current.c.employee_id == required.c.employee_id,
                current.c.competency_id == required.c.competency_id,
            ),
        )
        .outerjoin(skp, and_(skp.c.employee_id == required.c.employee_id, skp.c.year == yrs.c.year))
        .where(gap > 0)
        .group_by(yrs.c.year, required.c.employee_id)
        .subquery("per_employee")
    )
    # avg(gap) is numeric sum / count: the same division here
    total = func.sum(per_employee.c.total)
    needs = func.sum(per_employee.c.needs)
    return select(
        per_employee.c.year,
        (cast(total, Numeric) / cast(needs, Numeric)).label("mean_gap"),
        needs.label("needs"),
        func.count().label("employees"),
    ).group_by(per_employee.c.year)


def _order(needs: Any) -> list[Any]:
    """Priority first, then employee and competency ids (the keyset)."""
    return [needs.c.priority.desc(), needs.c.employee_id, needs.c.competency_id]


class NeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, principal: Principal, filters: NeedFilters, page: PageRequest
    ) -> tuple[list[Row[Any]], str | None]:
        """Priority first, then employee and competency ids (the keyset)."""
        after = page.after_values(str, uuid.UUID, int)
        keyset = None
        if after is not None:
            try:
                keyset = (Decimal(after[0]), after[1], after[2])
            except ArithmeticError as exc:
                raise invalid_cursor() from exc
        stmt = needs_statement(principal, filters, after=keyset, limit=page.fetch_size)
        await plan_for_whole_agency(self.session)
        rows = (await self.session.execute(stmt)).all()
        return page.cut(rows, lambda r: (str(r.priority), r.employee_id, r.competency_id))

    async def all(
        self, principal: Principal, filters: NeedFilters, *, details: bool = True
    ) -> list[Row[Any]]:
        """Every positive need, highest priority first."""
        await plan_for_whole_agency(self.session)
        stmt = needs_statement(principal, filters, details=details)
        return list((await self.session.execute(stmt)).all())
