"""The shared feedback test data loads as the schema expects."""

from fastapi import FastAPI
from sqlalchemy import func, select

from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Answer, Request
from tests.feedback.factory import feedback_world


async def test_world_holds_a_cycle_with_answers(app: FastAPI) -> None:
    world = await feedback_world(app, staff=4)
    cycle = await world.cycle(state="open")
    await world.subject(cycle, "staff0")
    await world.request(
        cycle,
        "staff0",
        "staff0",
        "self",
        status="submitted",
        answers={"M1-a": 4, "M1-b": None, "M2-a": 3, "BA1-a": 5},
    )
    await world.request(cycle, "staff0", "head", "supervisor")
    await world.request(cycle, "staff0", None, "public", token="t0k3n")
    async with unit_of_work(app.state.sessionmaker) as session:
        assert await session.scalar(select(func.count()).select_from(Request)) == 3
        assert await session.scalar(select(func.count()).select_from(Answer)) == 4
    assert len(world.nip("staff3")) == 18
