"""Small helpers the answering tests share: callers, and changes to a cycle or an item
that the cycles part's API would make."""

import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text, update

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Cycle, QuestionnaireItem
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.factory import FeedbackWorld

FULL: dict[str, int | None] = {"M1-a": 4, "M1-b": 3, "M2-a": 5, "BA1-a": 2}


def rater(auth: TokenFactory, world: FeedbackWorld, key: str, *agencies: str) -> dict[str, str]:
    """The bearer headers of employee ``key`` (its NIP as ``sub``)."""
    return auth(Role.EMPLOYEE, *(agencies or (AGENCY_A,)), sub=world.nip(key))


def answers(scores: Mapping[str, int | None], **comments: str) -> list[dict[str, Any]]:
    """The body's answers: a score, or None for not observed; comments by item code with
    ``_`` for ``-`` (``M1_a="…"``)."""
    body = []
    for code, score in scores.items():
        answer: dict[str, Any] = {"item_code": code, "score": score, "not_observed": score is None}
        comment = comments.get(code.replace("-", "_"))
        if comment is not None:
            answer["comment"] = comment
        body.append(answer)
    return body


async def set_cycle(app: FastAPI, cycle_id: uuid.UUID, **values: Any) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(update(Cycle).where(Cycle.id == cycle_id).values(**values))


async def set_item(app: FastAPI, world: FeedbackWorld, code: str, **values: Any) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            update(QuestionnaireItem)
            .where(QuestionnaireItem.id == world.item_ids[code])
            .values(**values)
        )


async def table_text(app: FastAPI, table: str) -> str:
    """Every row of ``table`` as one text, to search for what must not be stored."""
    async with unit_of_work(app.state.sessionmaker) as session:
        rows = await session.execute(text(f"SELECT t::text FROM {table} AS t"))  # noqa: S608
        return "\n".join(row[0] for row in rows)
