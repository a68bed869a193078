"""Questionnaires: revisions by code, items checked against the dictionary, and no change
once a cycle uses one.

A questionnaire is edited (``PATCH``) only while no cycle uses it; after that it is
immutable, and posting its code again makes the next revision. A cycle takes a share lock
on the questionnaire it names and an edit an update lock, so the two cannot cross.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    field_problem,
    field_problems,
)
from asn_career.core.pagination import PageRequest
from asn_career.feedback.models import Questionnaire, QuestionnaireItem
from asn_career.feedback.questionnaires.repository import (
    QuestionnaireFilters,
    QuestionnaireRepository,
)
from asn_career.feedback.questionnaires.schemas import (
    ItemCreate,
    ItemOut,
    QuestionnaireCreate,
    QuestionnaireOut,
    QuestionnaireSummaryOut,
    QuestionnaireUpdate,
)
from asn_career.feedback.rules import is_value_code

__all__ = ["QuestionnaireFilters", "QuestionnaireService"]


def questionnaire_in_use() -> Conflict:
    return Conflict(
        "A cycle uses this questionnaire, so it can no longer change; post its code again "
        "to make a new revision",
        detail_id="Kuesioner ini sudah dipakai dalam siklus sehingga tidak dapat diubah lagi; "
        "kirim kodenya sekali lagi untuk membuat revisi baru",
        code="questionnaire_in_use",
    )


def _snapshot(items: Sequence[QuestionnaireItem]) -> Any:
    def take(row: Questionnaire) -> dict[str, Any]:
        return snapshot(row, extra={"items": [i.code for i in items]})

    return take


class QuestionnaireService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = QuestionnaireRepository(session)
        self.changes = ChangeRecorder(session, principal)

    # --- reads ---------------------------------------------------------------------------

    async def get_visible(self, questionnaire_id: uuid.UUID) -> Questionnaire:
        row = await self.repository.get_visible(self.principal, questionnaire_id)
        if row is None:
            raise NotFound()
        return row

    async def summaries(self, rows: Sequence[Questionnaire]) -> list[QuestionnaireSummaryOut]:
        ids = [r.id for r in rows]
        counts = await self.repository.item_counts(ids)
        used = await self.repository.in_use(ids)
        return [_summary(r, counts.get(r.id, 0), r.id in used) for r in rows]

    async def out(self, row: Questionnaire) -> QuestionnaireOut:
        items = (await self.repository.items_of([row.id]))[row.id]
        used = await self.repository.used(row.id)
        return QuestionnaireOut(
            **_summary(row, len(items), used).model_dump(),
            items=[ItemOut.model_validate(i) for i in items],
        )

    async def list_page(
        self, filters: QuestionnaireFilters, page: PageRequest
    ) -> tuple[list[QuestionnaireSummaryOut], str | None]:
        rows, next_cursor = await self.repository.list_page(self.principal, filters, page)
        return await self.summaries(rows), next_cursor

    # --- for cycles ----------------------------------------------------------------------

    async def usable_by(self, questionnaire_id: uuid.UUID, agency_code: str) -> Questionnaire:
        """The questionnaire a cycle of ``agency_code`` is about to use: shared or the
        agency's own, share-locked so no edit crosses the cycle's write."""
        row = await self.repository.get_visible(self.principal, questionnaire_id, lock="share")
        if row is None or row.agency_code not in (None, agency_code):
            raise field_problem(
                "questionnaire_id",
                "no such questionnaire is shared or belongs to the cycle's agency",
                "kuesioner ini tidak ada, bukan kuesioner bersama, dan bukan milik instansi siklus",
                "questionnaire_not_found",
            )
        return row

    # --- writes --------------------------------------------------------------------------

    def _may_own(self, agency_code: str | None) -> None:
        if agency_code is None:
            if not self.principal.is_admin:
                raise Forbidden(
                    "Only administrators manage questionnaires shared by every agency",
                    detail_id="Hanya administrator yang mengelola kuesioner bersama semua instansi",
                    code="agency_forbidden",
                )
            return
        self.principal.require_agency(agency_code)

    async def _check_items(self, agency_code: str | None, items: Sequence[ItemCreate]) -> None:
        problems = []
        repeated = sorted(code for code, n in Counter(i.code for i in items).items() if n > 1)
        for code in repeated:
            problems.append(
                field_problem(
                    "items",
                    f"item code {code!r} is used more than once",
                    f"kode butir {code!r} dipakai lebih dari sekali",
                    "duplicate_item_code",
                )
            )
        competencies = [i.dimension_code for i in items if i.dimension_kind == "competency"]
        known = await self.repository.known_competencies(agency_code, competencies)
        for n, item in enumerate(items):
            loc: list[str | int] = ["body", "items", n, "dimension_code"]
            if item.dimension_kind == "value" and not is_value_code(item.dimension_code):
                problems.append(
                    field_problem(
                        loc,
                        f"{item.dimension_code} is not a BerAKHLAK value (BA.1–BA.7)",
                        f"{item.dimension_code} bukan nilai BerAKHLAK (BA.1–BA.7)",
                        "unknown_value",
                    )
                )
            if item.dimension_kind == "competency" and item.dimension_code not in known:
                problems.append(
                    field_problem(
                        loc,
                        f"competency {item.dimension_code} is not in the dictionary for this "
                        "agency",
                        f"kompetensi {item.dimension_code} tidak ada dalam kamus kompetensi "
                        "instansi ini",
                        "unknown_competency",
                    )
                )
        if problems:
            raise problems[0] if len(problems) == 1 else field_problems(problems)

    def _add_items(
        self, questionnaire_id: uuid.UUID, items: Sequence[ItemCreate]
    ) -> list[QuestionnaireItem]:
        rows = [
            QuestionnaireItem(
                questionnaire_id=questionnaire_id,
                ordinal=ordinal,
                code=item.code,
                dimension_kind=item.dimension_kind,
                dimension_code=item.dimension_code,
                text_id=item.text_id,
                text_en=item.text_en,
                anchors=item.anchors.model_dump(by_alias=True),
                required=item.required,
                comment_allowed=item.comment_allowed,
                not_observed_allowed=item.not_observed_allowed,
            )
            for ordinal, item in enumerate(items, start=1)
        ]
        for row in rows:
            self.repository.add(row)
        return rows

    async def check_agency(self, agency_code: str) -> None:
        """422 for an agency code nobody registered (a token may name any)."""
        if not await self.repository.agency_exists(agency_code):
            raise field_problem(
                "agency_code",
                f"agency {agency_code} is not registered",
                f"instansi {agency_code} belum terdaftar",
                "agency_not_found",
            )

    async def create(self, body: QuestionnaireCreate) -> QuestionnaireOut:
        self._may_own(body.agency_code)
        if body.agency_code is not None:
            await self.check_agency(body.agency_code)
        await self._check_items(body.agency_code, body.items)
        await self.repository.lock_code(body.agency_code, body.code)
        revision = await self.repository.latest_revision(body.agency_code, body.code) + 1
        row = Questionnaire(
            id=uuid.uuid4(),
            agency_code=body.agency_code,
            code=body.code,
            revision=revision,
            title_id=body.title_id,
            title_en=body.title_en,
            description=body.description,
        )
        self.repository.add(row)
        await self.session.flush()
        items = self._add_items(row.id, body.items)
        await self.changes.created(
            row,
            entity_type="feedback_questionnaire",
            agency_code=row.agency_code,
            after=_snapshot(items),
        )
        return QuestionnaireOut(
            **_summary(row, len(items), False).model_dump(),
            items=[ItemOut.model_validate(i) for i in items],
        )

    async def update(self, row: Questionnaire, body: QuestionnaireUpdate) -> QuestionnaireOut:
        self._may_own(row.agency_code)
        if not body.model_fields_set:
            return await self.out(row)
        seen = row.version
        locked = await self.repository.get_visible(self.principal, row.id, lock="update")
        if locked is None:
            raise NotFound()
        if locked.version != seen:  # changed since the If-Match was checked
            raise PreconditionFailed()
        if await self.repository.used(row.id):
            raise questionnaire_in_use()
        if body.items is not None:
            await self._check_items(row.agency_code, body.items)
        old_items = (await self.repository.items_of([row.id]))[row.id]
        before = _snapshot(old_items)(row)
        items = old_items
        if body.items is not None:
            # Executed at once, before the new items are flushed with the row's one UPDATE.
            await self.repository.delete_items(row.id)
            items = self._add_items(row.id, body.items)
        if body.title_id is not None:
            row.title_id = body.title_id
        if body.title_en is not None:
            row.title_en = body.title_en
        if "description" in body.model_fields_set:
            row.description = body.description
        flag_modified(row, "title_id")  # the version (ETag) moves with the items too
        await self.changes.updated(
            row,
            entity_type="feedback_questionnaire",
            agency_code=row.agency_code,
            before=before,
            after=_snapshot(items),
        )
        return QuestionnaireOut(
            **_summary(row, len(items), False).model_dump(),
            items=[ItemOut.model_validate(i) for i in items],
        )


def _summary(row: Questionnaire, item_count: int, in_use: bool) -> QuestionnaireSummaryOut:
    return QuestionnaireSummaryOut(
        id=row.id,
        agency_code=row.agency_code,
        code=row.code,
        revision=row.revision,
        title_id=row.title_id,
        title_en=row.title_en,
        description=row.description,
        item_count=item_count,
        in_use=in_use,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
