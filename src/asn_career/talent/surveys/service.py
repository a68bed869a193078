"""Surveys: HR sets one up and opens it, each employee answers once, anonymously; closing
freezes the results (``results.build_results``), which are then all anyone sees."""

import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, EventPayload, Snapshot, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import Conflict, Forbidden, NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.org.service import AgencyService
from asn_career.talent.surveys import rules
from asn_career.talent.surveys.models import Survey, SurveyResponse
from asn_career.talent.surveys.repository import SurveyRepository
from asn_career.talent.surveys.results import build_results
from asn_career.talent.surveys.schemas import (
    SurveyCreate,
    SurveyOut,
    SurveyQuestionOut,
    SurveyResponseCreate,
    SurveyResultsOut,
)

ENTITY = "survey"
GENDER_NAMES = {"M": "Laki-laki", "F": "Perempuan"}


def _snapshot(row: Survey) -> dict[str, Any]:
    return snapshot(row, exclude=("results",))


def _payload(row: Survey, verb: str) -> EventPayload:
    ids = {"action": verb, "survey_id": str(row.id), "year": row.year, "state": row.state}

    def build(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        return ids

    return build


def question_set_of(row: Survey) -> rules.QuestionSet:
    qs = rules.question_set(row.question_set, row.question_set_version)
    assert qs is not None, "a survey pins a question set that exists"
    return qs


def survey_out(row: Survey, respondents: int) -> SurveyOut:
    qs = question_set_of(row)
    return SurveyOut(
        id=row.id,
        agency_code=row.agency_code,
        title=row.title,
        year=row.year,
        question_set=row.question_set,
        question_set_version=row.question_set_version,
        questions=[
            SurveyQuestionOut(
                code=q.code, kind=q.kind, aspect=q.aspect, text_id=q.text_id, text_en=q.text_en
            )
            for q in qs.questions
        ],
        min_group_size=row.min_group_size,
        state=row.state,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        respondents=respondents,
        version=row.version,
        created_at=row.created_at,
    )


class SurveyService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = SurveyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get(self, survey_id: uuid.UUID, *, lock: bool = False) -> Survey:
        row = await self.repository.get(self.principal, survey_id, lock=lock)
        if row is None:
            raise NotFound()
        return row

    async def out(self, row: Survey) -> SurveyOut:
        counts = await self.repository.respondents([row.id])
        return survey_out(row, counts.get(row.id, 0))

    async def list_page(
        self, agency: str | None, year: int | None, page: PageRequest
    ) -> tuple[list[SurveyOut], str | None]:
        rows, cursor = await self.repository.list_page(self.principal, agency, year, page)
        counts = await self.repository.respondents([r.id for r in rows])
        return [survey_out(r, counts.get(r.id, 0)) for r in rows], cursor

    async def create(self, body: SurveyCreate) -> Survey:
        """A draft survey; an agency the caller may not see, like an unknown one, is a 404."""
        agency = await AgencyService(self.session, self.principal).resolve(body.agency_code)
        version = body.question_set_version or rules.latest_version(body.question_set)
        if version is None or rules.question_set(body.question_set, version) is None:
            raise field_problem(
                "question_set",
                f"no question set {body.question_set} version {version}",
                f"tidak ada set pertanyaan {body.question_set} versi {version}",
                "question_set_not_found",
            )
        row = Survey(
            id=uuid.uuid4(),
            agency_code=agency,
            title=body.title,
            year=body.year,
            question_set=body.question_set,
            question_set_version=version,
            min_group_size=body.min_group_size,
            state="draft",
        )
        self.repository.add(row)
        await self.changes.created(
            row,
            after=_snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="survey.created",
            payload=_payload(row, "created"),
        )
        return row

    async def transition(self, row: Survey, action: str) -> Survey:
        """``open`` a draft, ``close`` an open survey (freezing its results)."""
        self.principal.require_agency(row.agency_code)
        row = await self.get(row.id, lock=True)
        needed = rules.transition_problem(action, row.state)
        if needed is not None:
            raise Conflict(
                f"Only a {needed} survey can be {action}ed; this one is {row.state}",
                detail_id=f"Hanya survei berstatus {needed} yang dapat "
                f"{'dibuka' if action == 'open' else 'ditutup'}; status survei ini {row.state}",
                code="survey_state",
            )
        before = _snapshot(row)
        row.state = rules.TRANSITIONS[action][1]
        now = datetime.now(UTC)
        if action == "open":
            row.opened_at = now
        else:
            row.closed_at = now
            await self.repository.reshuffle(row.id)
            row.results = await self._results(row)
        await self.changes.updated(
            row,
            before=before,
            after=_snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event=f"survey.{'opened' if action == 'open' else 'closed'}",
            payload=_payload(row, action),
        )
        return row

    async def _results(self, row: Survey) -> dict[str, Any]:
        qs = question_set_of(row)
        found = await self.repository.responses(row.id)
        codes = qs.likert_codes
        scores = np.asarray(
            [[int(r.scores[c]) for c in codes] for r in found], dtype=np.int64
        ).reshape(len(found), len(codes))
        unit_key = [str(r.unit_id) if r.unit_id else rules.UNKNOWN for r in found]
        labels = {
            "unit": unit_key,
            "gender": [r.gender for r in found],
            "rank_group": [r.rank_group for r in found],
        }
        names = {
            "unit": {k: r.unit_name or "-" for k, r in zip(unit_key, found, strict=True)}
            | {rules.OTHER: "Lainnya", rules.UNKNOWN: "Tidak diketahui"},
            "gender": GENDER_NAMES | {rules.OTHER: "Lainnya"},
            "rank_group": {rules.OTHER: "Lainnya", rules.UNKNOWN: "Tidak diketahui"},
        }
        return build_results(
            qs,
            scores,
            labels,
            names,
            [r.comment for r in found if r.comment],
            row.min_group_size,
        )

    async def respond(self, row: Survey, body: SurveyResponseCreate, key: bytes) -> None:
        """One response of the calling employee. Not audited: an audit entry would name the
        person beside the moment they answered, which the survey must not keep."""
        if row.state != "open":
            raise Conflict(
                "The survey is not open for responses",
                detail_id="Survei tidak sedang dibuka untuk diisi",
                code="survey_not_open",
            )
        facts = await self.repository.respondent_facts(self.principal.subject, row.agency_code)
        if facts is None:
            raise Forbidden(
                "Only an active employee of the survey's agency responds, for themselves",
                detail_id="Hanya pegawai aktif instansi penyelenggara yang mengisi, "
                "untuk dirinya sendiri",
                code="survey_not_respondent",
            )
        problem = rules.answer_problem(question_set_of(row), dict(body.scores))
        if problem is not None:
            raise field_problem("scores", problem[0], problem[1], problem[2])
        if not await self.repository.claim(row.id, rules.respondent_hash(key, row.id, facts.id)):
            raise Conflict(
                "You have already responded to this survey",
                detail_id="Anda sudah mengisi survei ini",
                code="survey_already_answered",
            )
        self.repository.add_response(
            SurveyResponse(
                id=uuid.uuid4(),
                survey_id=row.id,
                unit_id=facts.top_unit_id,
                gender=facts.gender,
                rank_group=rules.rank_group(facts.rank_code, facts.employment_type),
                scores=dict(body.scores),
                comment=body.comment or None,
            )
        )
        await self.session.flush()

    def results(self, row: Survey) -> SurveyResultsOut:
        if row.state != "closed" or row.results is None:
            raise Conflict(
                "Results are shown once the survey is closed",
                detail_id="Hasil ditampilkan setelah survei ditutup",
                code="survey_not_closed",
            )
        return SurveyResultsOut.model_validate(row.results | {"survey_id": row.id})
