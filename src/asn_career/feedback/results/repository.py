"""The queries behind the results export: the cycle, and its frozen reports one keyset
batch at a time, scoped to the caller's agencies in the SQL.

Only ``feedback_cycles`` and ``feedback_reports`` are read: the answers are not reachable
from here, so raw anonymous answers cannot end up in a results file.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.feedback.models import Cycle, Report

PUBLISHED = "published"


@dataclass(frozen=True)
class Batch:
    rows: list[tuple[Any, Any]]
    """``(subject, dimensions)`` of each report, as stored (JSON)."""
    last_key: tuple[str, uuid.UUID] | None
    """The sort keys of the batch's last report; None when no report follows."""


def _nip() -> Any:
    return Report.body["subject"]["nip"].astext


def reports_statement(
    principal: Principal, cycle_id: uuid.UUID, after: tuple[str, uuid.UUID] | None, limit: int
) -> Select[tuple[Any, Any, str, uuid.UUID]]:
    """A published cycle's reports in the caller's agencies, by NIP, after ``after``."""
    nip = _nip()
    stmt = (
        select(
            Report.body["subject"],
            Report.body["dimensions"],
            nip,
            Report.subject_employee_id,
        )
        .join(Cycle, Cycle.id == Report.cycle_id)
        .where(
            Report.cycle_id == cycle_id,
            Cycle.state == PUBLISHED,
            principal.agency_clause(Cycle.agency_code),
        )
        .order_by(nip, Report.subject_employee_id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(
            tuple_(nip, Report.subject_employee_id) > tuple_(literal(after[0]), literal(after[1]))
        )
    return stmt


class ResultsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cycle(self, principal: Principal, cycle_id: uuid.UUID) -> Cycle | None:
        stmt = select(Cycle).where(Cycle.id == cycle_id, principal.agency_clause(Cycle.agency_code))
        return (await self.session.scalars(stmt)).one_or_none()

    async def batch(
        self,
        principal: Principal,
        cycle_id: uuid.UUID,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> Batch:
        result = await self.session.execute(reports_statement(principal, cycle_id, after, limit))
        found = result.all()
        rows = [(subject, dimensions) for subject, dimensions, _, _ in found]
        last = (found[-1][2], found[-1][3]) if len(found) == limit else None
        return Batch(rows, last)
