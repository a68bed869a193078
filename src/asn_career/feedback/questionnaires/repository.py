"""Every query of questionnaires. A questionnaire is visible when it is shared (no agency)
or belongs to one of the caller's agencies; the condition is in each query's WHERE."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.feedback.models import Cycle, Questionnaire, QuestionnaireItem
from asn_career.org.models import Agency, Competency


def visible(principal: Principal) -> ColumnElement[bool]:
    """Shared questionnaires and those of the caller's agencies."""
    return or_(
        Questionnaire.agency_code.is_(None), principal.agency_clause(Questionnaire.agency_code)
    )


@dataclass(frozen=True)
class QuestionnaireFilters:
    agency: str | None = None
    """Only the shared ones and this agency's."""
    code: str | None = None


class QuestionnaireRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Questionnaire | QuestionnaireItem) -> None:
        self.session.add(row)

    async def get_visible(
        self, principal: Principal, questionnaire_id: uuid.UUID, *, lock: str | None = None
    ) -> Questionnaire | None:
        """``lock``: ``"share"`` (a cycle is about to use it) or ``"update"`` (it is about to
        change); the row is read again under the lock."""
        stmt = select(Questionnaire).where(Questionnaire.id == questionnaire_id, visible(principal))
        if lock is not None:
            stmt = stmt.with_for_update(read=lock == "share").execution_options(
                populate_existing=True
            )
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, filters: QuestionnaireFilters, page: PageRequest
    ) -> tuple[list[Questionnaire], str | None]:
        stmt = select(Questionnaire).where(visible(principal))
        if filters.agency is not None:
            stmt = stmt.where(
                or_(
                    Questionnaire.agency_code.is_(None),
                    Questionnaire.agency_code == filters.agency,
                )
            )
        if filters.code is not None:
            stmt = stmt.where(Questionnaire.code == filters.code)
        keys = [
            SortKey(Questionnaire.code),
            SortKey(Questionnaire.revision, descending=True),
            SortKey(Questionnaire.id),
        ]
        return await paginate(self.session, stmt, keys, page, lambda q: (q.code, q.revision, q.id))

    async def items_of(
        self, questionnaire_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[QuestionnaireItem]]:
        found: dict[uuid.UUID, list[QuestionnaireItem]] = defaultdict(list)
        if not questionnaire_ids:
            return found
        stmt = (
            select(QuestionnaireItem)
            .where(QuestionnaireItem.questionnaire_id.in_(questionnaire_ids))
            .order_by(QuestionnaireItem.questionnaire_id, QuestionnaireItem.ordinal)
        )
        for item in await self.session.scalars(stmt):
            found[item.questionnaire_id].append(item)
        return found

    async def item_counts(self, questionnaire_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not questionnaire_ids:
            return {}
        stmt = (
            select(QuestionnaireItem.questionnaire_id, func.count())
            .where(QuestionnaireItem.questionnaire_id.in_(questionnaire_ids))
            .group_by(QuestionnaireItem.questionnaire_id)
        )
        return {qid: int(n) for qid, n in (await self.session.execute(stmt)).all()}

    async def in_use(self, questionnaire_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        """The questionnaires some cycle uses (in any state, in any agency)."""
        if not questionnaire_ids:
            return set()
        stmt = (
            select(Cycle.questionnaire_id)
            .where(Cycle.questionnaire_id.in_(questionnaire_ids))
            .distinct()
        )
        return set((await self.session.scalars(stmt)).all())

    async def used(self, questionnaire_id: uuid.UUID) -> bool:
        stmt = select(exists().where(Cycle.questionnaire_id == questionnaire_id))
        return bool(await self.session.scalar(stmt))

    async def agency_exists(self, code: str) -> bool:
        return (
            await self.session.scalar(select(Agency.code).where(Agency.code == code))
        ) is not None

    async def lock_code(self, agency_code: str | None, code: str) -> None:
        """Serialise the revisions of one code (a transaction-scoped advisory lock)."""
        key = f"feedback_questionnaire:{agency_code or ''}:{code}"
        await self.session.execute(
            select(func.pg_advisory_xact_lock(func.hashtextextended(literal(key), 0)))
        )

    async def latest_revision(self, agency_code: str | None, code: str) -> int:
        owner = (
            Questionnaire.agency_code.is_(None)
            if agency_code is None
            else Questionnaire.agency_code == agency_code
        )
        stmt = select(func.max(Questionnaire.revision)).where(owner, Questionnaire.code == code)
        return int(await self.session.scalar(stmt) or 0)

    async def known_competencies(self, agency_code: str | None, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` the dictionary holds for the agency: the national ones, and the
        agency's technical ones (none for a shared questionnaire)."""
        wanted = sorted(set(codes))
        if not wanted:
            return set()
        owner: ColumnElement[bool] = Competency.agency_code.is_(None)
        if agency_code is not None:
            owner = or_(owner, Competency.agency_code == agency_code)
        stmt = select(Competency.code).where(Competency.code.in_(wanted), owner)
        return set((await self.session.scalars(stmt)).all())

    async def delete_items(self, questionnaire_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(QuestionnaireItem).where(QuestionnaireItem.questionnaire_id == questionnaire_id)
        )
