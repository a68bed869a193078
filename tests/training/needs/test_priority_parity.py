"""One priority: the pure formula (``training.needs.rules.priority``) and the needs SQL
compute the same gap and priority for the same facts, sent both ways with hypothesis."""

from datetime import date
from decimal import Decimal

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, update

from asn_career.core.auth import Principal, Role
from asn_career.org.models import Position, PositionCompetency
from asn_career.profiles.histories.rules import PREDICATE_MATRIX
from asn_career.profiles.models import (
    CareerInterest,
    CurrentCompetency,
    Employee,
    Performance,
    Training,
)
from asn_career.training.models import TrainingRequest
from asn_career.training.needs import rules
from asn_career.training.needs.repository import NeedFilters, NeedRepository
from tests.training.needs.world import YEAR, NeedsWorld

levels = st.none() | st.integers(min_value=1, max_value=5)
ratings = st.none() | st.tuples(
    st.sampled_from(list(PREDICATE_MATRIX)), st.sampled_from(list(PREDICATE_MATRIX))
)
kinds = st.sampled_from([*rules.KIND_WEIGHTS, "unknown"])
half_hours = st.integers(min_value=0, max_value=60).map(lambda n: Decimal(n) / 2)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    position_level=levels,
    target_level=levels,
    current_level=levels,
    rating=ratings,
    kind=kinds,
    years_since=st.none() | st.integers(min_value=0, max_value=8),
    other_hours=half_hours,
    endorsed=st.booleans(),
)
async def test_sql_and_rule_agree_on_gap_and_priority(
    app: FastAPI,
    world: NeedsWorld,
    position_level: int | None,
    target_level: int | None,
    current_level: int | None,
    rating: tuple[str, str] | None,
    kind: str,
    years_since: int | None,
    other_hours: Decimal,
    endorsed: bool,
) -> None:
    employee_id, m3 = world.id("staff0"), world.competencies["M.3"]
    position_id = world.base.positions["staff"]
    trained_hours = Decimal(3)
    async with app.state.sessionmaker() as session:
        await session.execute(update(Position).where(Position.id == position_id).values(kind=kind))
        await session.execute(
            delete(PositionCompetency).where(PositionCompetency.position_id == position_id)
        )
        if position_level is not None:
            await session.execute(
                insert(PositionCompetency).values(
                    position_id=position_id, competency_id=m3, level=position_level
                )
            )
        await session.execute(
            delete(PositionCompetency).where(
                PositionCompetency.position_id == world.target_position
            )
        )
        if target_level is not None:
            await session.execute(
                insert(PositionCompetency).values(
                    position_id=world.target_position, competency_id=m3, level=target_level
                )
            )
            await session.execute(
                insert(CareerInterest).values(
                    employee_id=employee_id, kind="position", description="Tujuan",
                    target_position_id=world.target_position,
                )
            )  # fmt: skip
        if current_level is not None:
            await session.execute(
                insert(CurrentCompetency).values(
                    employee_id=employee_id, competency_id=m3, level=current_level,
                    source="self", assessed_on=date(2025, 1, 1),
                )
            )  # fmt: skip
        predicate = None
        if rating is not None:
            predicate = rules_predicate(*rating)
            await session.execute(
                insert(Performance).values(
                    employee_id=employee_id, year=YEAR - 1, period="annual", results=rating[0],
                    behaviour=rating[1], predicate=predicate,
                )
            )  # fmt: skip
        hours = other_hours
        if other_hours:
            await session.execute(
                insert(Training).values(
                    employee_id=employee_id, title="Lain", hours_jp=other_hours,
                    start_date=date(YEAR, 5, 1), form="seminar",
                )
            )  # fmt: skip
        if years_since is not None:
            await session.execute(
                insert(Training).values(
                    employee_id=employee_id, title="M.3", hours_jp=trained_hours,
                    start_date=date(YEAR - years_since, 7, 1), form="training",
                    competency_ids=[m3],
                )
            )  # fmt: skip
            if years_since == 0:
                hours += trained_hours
        if endorsed:
            await session.execute(
                insert(TrainingRequest).values(
                    agency_code="36.74", employee_id=employee_id, year=YEAR, topic="Topik",
                    competency_id=m3, reason="Perlu", status="endorsed",
                )
            )  # fmt: skip
        admin = Principal(subject="admin", role=Role.ADMIN, agencies=frozenset())
        nip = await session.scalar(Employee.__table__.select().with_only_columns(Employee.nip)
                                   .where(Employee.id == employee_id))  # fmt: skip
        rows = await NeedRepository(session).all(
            admin, NeedFilters(year=YEAR, nip=nip, competency="M.3")
        )
        await session.rollback()

    facts = rules.NeedFacts(
        position_level=position_level,
        target_level=target_level,
        current_level=current_level,
        predicate=predicate,
        position_kind=kind,
        years_since_training=years_since,
        hours_this_year=hours,
        endorsed_request=endorsed,
    )
    expected = (rules.gap(facts), rules.priority(facts)) if rules.gap(facts) > 0 else None
    found = (rows[0].gap, rows[0].priority) if rows else None
    assert len(rows) <= 1
    assert found == expected


def rules_predicate(results: str, behaviour: str) -> str:
    return PREDICATE_MATRIX[results][behaviour]
