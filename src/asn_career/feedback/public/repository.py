"""Queries of public raters: the subjects HR makes links for, and a public request found
by the SHA-256 of its token (the only way to reach one)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.feedback.models import Cycle, Request, Subject
from asn_career.org.models import Agency, Position
from asn_career.profiles.models import Employee


@dataclass(frozen=True)
class SubjectFacts:
    nip: str
    employee_id: uuid.UUID
    name: str
    position: str | None
    public_facing: bool


class PublicRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def subjects(self, cycle_id: uuid.UUID, nips: Sequence[str]) -> dict[str, SubjectFacts]:
        """The cycle's subjects among ``nips``, by NIP, with the position they held when
        added to the cycle."""
        stmt = (
            select(Employee.nip, Employee.id, Employee.name, Position.title, Subject.public_facing)
            .select_from(Subject)
            .join(Employee, Employee.id == Subject.employee_id)
            .outerjoin(
                Position, Position.id == func.coalesce(Subject.position_id, Employee.position_id)
            )
            .where(Subject.cycle_id == cycle_id, Employee.nip.in_(list(nips)))
        )
        return {row[0]: SubjectFacts(*row) for row in (await self.session.execute(stmt)).all()}

    async def agency_name(self, code: str) -> str:
        name = await self.session.scalar(select(Agency.name).where(Agency.code == code))
        return name or code

    async def add_requests(self, requests: Sequence[Request]) -> None:
        self.session.add_all(requests)
        await self.session.flush()

    async def by_token(self, digest: bytes, *, lock: bool) -> tuple[Request, Cycle] | None:
        """The public request whose token hashes to ``digest``, with its cycle; with
        ``lock``, its row is held for the transaction (one response per token)."""
        stmt = (
            select(Request, Cycle)
            .join(Cycle, Cycle.id == Request.cycle_id)
            .where(Request.token_hash == digest, Request.relationship == "public")
        )
        if lock:
            stmt = stmt.with_for_update(of=Request)
        row = (await self.session.execute(stmt)).one_or_none()
        return (row[0], row[1]) if row is not None else None

    async def subject_of(self, request: Request) -> SubjectFacts:
        stmt = (
            select(Employee.nip, Employee.id, Employee.name, Position.title, Subject.public_facing)
            .select_from(Employee)
            .outerjoin(
                Subject,
                and_(
                    Subject.cycle_id == request.cycle_id,
                    Subject.employee_id == Employee.id,
                ),
            )
            .outerjoin(
                Position, Position.id == func.coalesce(Subject.position_id, Employee.position_id)
            )
            .where(Employee.id == request.subject_employee_id)
        )
        row = (await self.session.execute(stmt)).one()
        return SubjectFacts(row[0], row[1], row[2], row[3], bool(row[4]))
