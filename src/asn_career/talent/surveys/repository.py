"""Every query of surveys, scoped to the caller's agencies in its WHERE."""

import uuid
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Unit
from asn_career.profiles.models import Employee
from asn_career.talent.surveys.models import Survey, SurveyRespondent, SurveyResponse

_RESHUFFLE = text(
    """
    WITH moved AS (DELETE FROM survey_responses WHERE survey_id = :survey_id RETURNING *)
    INSERT INTO survey_responses (id, survey_id, unit_id, gender, rank_group, scores, comment)
    SELECT gen_random_uuid(), survey_id, unit_id, gender, rank_group, scores, comment
    FROM moved ORDER BY random()
    """
)


class SurveyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Survey) -> None:
        self.session.add(row)

    async def get(
        self, principal: Principal, survey_id: uuid.UUID, *, lock: bool = False
    ) -> Survey | None:
        stmt = select(Survey).where(
            Survey.id == survey_id, principal.agency_clause(Survey.agency_code)
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, agency: str | None, year: int | None, page: PageRequest
    ) -> tuple[list[Survey], str | None]:
        stmt = select(Survey).where(principal.agency_clause(Survey.agency_code))
        if agency is not None:
            stmt = stmt.where(Survey.agency_code == agency)
        if year is not None:
            stmt = stmt.where(Survey.year == year)
        keys = [SortKey(Survey.created_at, descending=True), SortKey(Survey.id)]
        return await paginate(self.session, stmt, keys, page, lambda s: (s.created_at, s.id))

    async def respondents(self, survey_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not survey_ids:
            return {}
        rows = await self.session.execute(
            select(SurveyRespondent.survey_id, func.count())
            .where(SurveyRespondent.survey_id.in_(survey_ids))
            .group_by(SurveyRespondent.survey_id)
        )
        return {sid: int(n) for sid, n in rows.all()}

    async def respondent_facts(self, nip: str, agency: str) -> Any:
        """The active employee of ``agency`` with this NIP: id, top-level unit (the
        perangkat daerah: the first of the unit's path), gender, rank, employment type."""
        stmt = (
            select(
                Employee.id,
                Unit.path[1].label("top_unit_id"),
                Employee.gender,
                Employee.rank_code,
                Employee.employment_type,
            )
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .where(
                Employee.nip == nip,
                Employee.agency_code == agency,
                Employee.status == "active",
            )
        )
        return (await self.session.execute(stmt)).one_or_none()

    async def claim(self, survey_id: uuid.UUID, digest: bytes) -> bool:
        """Record that this respondent answered; False when they already had."""
        stmt = (
            insert(SurveyRespondent)
            .values(survey_id=survey_id, respondent_hash=digest)
            .on_conflict_do_nothing()
            .returning(SurveyRespondent.survey_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    def add_response(self, row: SurveyResponse) -> None:
        self.session.add(row)

    async def responses(self, survey_id: uuid.UUID) -> list[Any]:
        stmt = (
            select(
                SurveyResponse.scores,
                SurveyResponse.comment,
                SurveyResponse.gender,
                SurveyResponse.rank_group,
                SurveyResponse.unit_id,
                Unit.name.label("unit_name"),
            )
            .outerjoin(Unit, Unit.id == SurveyResponse.unit_id)
            .where(SurveyResponse.survey_id == survey_id)
            .order_by(SurveyResponse.id)
        )
        return list((await self.session.execute(stmt)).all())

    async def reshuffle(self, survey_id: uuid.UUID) -> None:
        """Rewrite the survey's responses in random order with new ids."""
        await self.session.flush()
        await self.session.execute(_RESHUFFLE, {"survey_id": survey_id})
