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
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    Numeric,
    Row,
    Select,
    SmallInteger,
    String,
    and_,
    case,
    cast,
    column,
    exists,
    extract,
    func,
    literal,
    null,
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
from asn_career.profiles.histories.repository import held_on, levels_as_of
from asn_career.profiles.models import (
    Assignment,
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


def _gap_parts(
    position_level: Any, target_level: Any, level: Any, predicate: Any
) -> tuple[Any, Any, Any]:
    """The position gap, the target gap and the performance flag (an SKP below *baik*
    on a position requirement) of a requirement row, from ``needs.rules``' constants."""
    level = func.coalesce(level, rules.MISSING_LEVEL)
    own_gap = func.greatest(func.coalesce(position_level, 0) - level, 0)
    target_gap = func.greatest(func.coalesce(target_level, 0) - level, 0)
    performance = case(
        (and_(predicate.in_(rules.BELOW_BAIK), position_level.is_not(None)), 1),
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

    own_gap, target_gap, performance = _gap_parts(
        required.c.position_level, required.c.target_level, current.c.level, skp.c.predicate
    )
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


def _union(selects: list[Any]) -> Any:
    """The rows of every select (one alone as it is)."""
    return selects[0] if len(selects) == 1 else union_all(selects[0], *selects[1:])


def gap_summary_statement(
    principal: Principal, agency: str, years: Sequence[int], today: date
) -> Any:
    """Per year of ``years`` (year, mean_gap, needs, employees): the mean gap of the
    positive needs of the agency's visible active staff, how many, and how many employees
    have one, each year as of its last day or today, whichever is earlier.

    As of today (the running year) the needs are ``needs_statement``'s: the current
    position (``employees.position_id``), the current levels, the career interests and the
    approved rotation placements, and the latest SKP up to the year. As of an earlier day,
    each is what the history says of that day: the position of the primary assignment
    covering it (``profiles.histories.repository.held_on``; no position then, no needs),
    the levels assessed by then (``levels_as_of``) and the career interests recorded by
    then; approved rotation placements are today's plans, so they count for the running
    year only. The population is today's active staff either way: no history of status is
    kept. The year's training and endorsed requests weigh on the priority only, so they
    are not read.

    Shaped for a whole agency: the SKP ratings are read once for every year and joined per
    (year, employee) before the requirement rows are; the agency's employees, not the CTEs,
    filter the big tables, so that the planner sees their sizes and hashes them."""
    day = {y: min(date(y, 12, 31), today) for y in years}
    now_years = [y for y in years if day[y] >= today]
    past_years = [y for y in years if day[y] < today]
    today_ = cast(literal(today, Date), Date)
    agency_ids = select(Employee.id).where(Employee.agency_code == agency)
    staff = (
        Employee.agency_code == agency,
        Employee.status == "active",
        employee_visibility(principal),
    )
    branches: list[Any] = []
    if now_years:
        yrs_now = values(column("year", Integer), name="yrs_now").data([(y,) for y in now_years])
        branches.append(
            select(yrs_now.c.year, today_.label("as_of"), Employee.id.label("employee_id"),
                   Employee.position_id)
            .select_from(Employee).join(yrs_now, true()).where(*staff)
        )  # fmt: skip
    if past_years:
        yrs_past = values(column("year", Integer), column("as_of", Date), name="yrs_past").data(
            [(y, day[y]) for y in past_years]
        )
        past_day = cast(yrs_past.c.as_of, Date)
        branches.append(
            select(yrs_past.c.year, past_day.label("as_of"), Employee.id.label("employee_id"),
                   Assignment.position_id)
            .select_from(Employee)
            .join(Assignment, Assignment.employee_id == Employee.id)
            .join(yrs_past, held_on(past_day))
            .where(*staff)
        )  # fmt: skip
    people = _union(branches).cte("people")

    # Each employee's latest SKP of each rated year, read once for every year: it holds from
    # its year up to the next rated one, so each year finds the latest up to it.
    rated = (
        select(Performance.employee_id, Performance.year, Performance.predicate)
        .ext(distinct_on(Performance.employee_id, Performance.year))
        .where(Performance.employee_id.in_(agency_ids), Performance.year <= max(years))
        .order_by(Performance.employee_id, Performance.year, _LATEST_SKP[1])
        .subquery("rated")
    )
    next_year = func.lead(rated.c.year).over(
        partition_by=rated.c.employee_id, order_by=rated.c.year
    )
    spans = select(rated, next_year.label("next_year")).subquery("spans")
    yrs = values(column("year", Integer), name="yrs").data([(y,) for y in years])
    skp = (
        select(yrs.c.year, spans.c.employee_id, spans.c.predicate)
        .join(
            spans,
            and_(
                spans.c.year <= yrs.c.year,
                or_(spans.c.next_year.is_(None), spans.c.next_year > yrs.c.year),
            ),
        )
        .subquery("skp")
    )

    # Target positions: career interests recorded by the day (all of them today), and the
    # approved rotation placements for the running year.
    recorded = cast(CareerInterest.created_at, Date) <= people.c.as_of
    target_positions = union_all(
        select(people.c.year, people.c.employee_id, people.c.position_id,
               CareerInterest.target_position_id.label("target_id"))
        .join(CareerInterest, CareerInterest.employee_id == people.c.employee_id)
        .where(CareerInterest.kind == "position", or_(people.c.as_of >= today_, recorded)),
        select(people.c.year, people.c.employee_id, people.c.position_id,
               RoundPlacement.position_id.label("target_id"))
        .join(RoundPlacement, RoundPlacement.employee_id == people.c.employee_id)
        .join(Round, Round.id == RoundPlacement.round_id)
        .where(
            people.c.as_of >= today_,
            Round.status == PLANNED_ROUND_STATUS,
            RoundPlacement.position_id.is_distinct_from(RoundPlacement.from_position_id),
        ),
    ).subquery("target_positions")  # fmt: skip
    tp = target_positions.c
    targets = (
        select(tp.year, tp.employee_id, tp.position_id, PositionCompetency.competency_id,
               func.max(PositionCompetency.level).label("level"))
        .join(PositionCompetency, PositionCompetency.position_id == tp.target_id)
        .group_by(tp.year, tp.employee_id, tp.position_id, PositionCompetency.competency_id)
        .cte("targets")
    )  # fmt: skip

    # Each person's levels and targets as two parallel arrays (competency ids, levels), so
    # that a requirement row finds its level by position in the array: the requirement
    # rows are never sorted nor joined, only counted per person. Today's levels are the
    # stored ones; an earlier day's, ``levels_as_of``.
    def arrays(levels: Any, *key: Any) -> Select[Any]:
        return select(
            *key, levels.c.employee_id,
            func.array_agg(levels.c.competency_id).label("ids"),
            func.array_agg(levels.c.level).label("levels"),
        ).group_by(*key, levels.c.employee_id)  # fmt: skip

    level_arrays: list[Any] = []
    if now_years:
        stored = (
            select(CurrentCompetency)
            .where(CurrentCompetency.employee_id.in_(agency_ids))
            .subquery("stored")
        )
        level_arrays.append(arrays(stored, today_.label("as_of")))
    if past_years:
        past_people = (
            select(people.c.employee_id, people.c.as_of)
            .where(people.c.as_of < today_)
            .subquery("past_people")
        )
        then = levels_as_of(past_people)
        level_arrays.append(arrays(then, then.c.as_of))
    held = _union(level_arrays).subquery("held")
    aimed = (
        select(targets.c.year, targets.c.employee_id,
               func.array_agg(targets.c.competency_id).label("ids"),
               func.array_agg(targets.c.level).label("levels"))
        .group_by(targets.c.year, targets.c.employee_id)
        .subquery("aimed")
    )  # fmt: skip
    facts = (
        select(people, skp.c.predicate, held.c.ids.label("level_ids"),
               held.c.levels.label("levels"), aimed.c.ids.label("target_ids"),
               aimed.c.levels.label("target_levels"))
        .outerjoin(skp, and_(skp.c.year == people.c.year,
                             skp.c.employee_id == people.c.employee_id))
        .outerjoin(held, and_(held.c.as_of == people.c.as_of,
                              held.c.employee_id == people.c.employee_id))
        .outerjoin(aimed, and_(aimed.c.year == people.c.year,
                               aimed.c.employee_id == people.c.employee_id))
        .cte("facts")
    )  # fmt: skip

    def at(ids: Any, values_: Any, competency_id: Any) -> Any:
        return values_[func.array_position(ids, competency_id, type_=Integer)]

    own = PositionCompetency.__table__.alias("own")
    required = union_all(
        # the position's requirements, each with the targets' level of its competency
        select(facts.c.year, facts.c.employee_id,
               own.c.level.label("position_level"),
               at(facts.c.target_ids, facts.c.target_levels, own.c.competency_id)
               .label("target_level"),
               at(facts.c.level_ids, facts.c.levels, own.c.competency_id).label("level"),
               facts.c.predicate)
        .join(own, own.c.position_id == facts.c.position_id),
        # the targets' competencies the position does not require
        select(targets.c.year, targets.c.employee_id,
               cast(null(), SmallInteger).label("position_level"),
               targets.c.level.label("target_level"),
               at(facts.c.level_ids, facts.c.levels, targets.c.competency_id).label("level"),
               cast(null(), String).label("predicate"))
        .join(facts, and_(facts.c.year == targets.c.year,
                          facts.c.employee_id == targets.c.employee_id))
        .where(
            ~exists().where(own.c.position_id == targets.c.position_id,
                            own.c.competency_id == targets.c.competency_id)
        ),
    ).subquery("required")  # fmt: skip
    r = required.c
    gap = gap_of(*_gap_parts(r.position_level, r.target_level, r.level, r.predicate))
    per_employee = (
        select(r.year, r.employee_id, func.sum(gap).label("total"), func.count().label("needs"))
        .where(gap > 0)
        .group_by(r.year, r.employee_id)
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
