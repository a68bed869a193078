"""Answering 360° requests: a rater's own list, drafts, the one submission, declining, and
the reminders HR sends.

**What the audit trail keeps.** A submission or a decline is audited as a change of the
request's *status* only (``audited_state``: status, submitted_at, and for a decline its reason).
Never a score or a comment, not even in the ``after`` snapshot: the trail is read by
admins, and nobody, admins included, may read the raw answers of an anonymous group.
Draft saves are not audited at all: a draft is the rater's private working copy, and its
saves change nothing anyone else relies on.

**No event per response.** ``feedback.response.submitted`` is deliberately not emitted.
Its payload and its timing would leave the system's anonymity controls for webhook
receivers: an event sent the moment a peer submits, next to the rater list HR already
has, says which peer has answered, and a receiver that also sees a report's ``n`` change
can isolate them. Integrators follow progress through the cycle's summary and get
``feedback.reminders.due`` (counts per rater, no answers) to mail reminders.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder
from asn_career.core.auth import Principal
from asn_career.core.errors import (
    Conflict,
    NotFound,
    ValidationProblem,
    field_problem,
    field_problems,
)
from asn_career.core.pagination import PageRequest
from asn_career.feedback.models import Cycle, QuestionnaireItem, Request
from asn_career.feedback.responses.repository import ReminderRepository, ResponseRepository
from asn_career.feedback.responses.rules import (
    ANSWERABLE_CYCLE_STATE,
    GivenAnswer,
    ItemRule,
    Problem,
    ReminderRule,
    response_problems,
    status_after_save,
)
from asn_career.feedback.responses.schemas import (
    AnswerIn,
    AnswerOut,
    DeclineIn,
    MyRequestOut,
    Progress,
    QuestionnaireRef,
    QuestionOut,
    RaterReminder,
    ReminderOut,
    RemindersSent,
    RequestDetailOut,
)

REQUEST_ENTITY = "feedback_request"


def audited_state(request: Request) -> dict[str, Any]:
    """The only values of a request the audit trail sees: its state, never its answers."""
    values: dict[str, Any] = {"status": request.status, "submitted_at": request.submitted_at}
    if request.status == "declined":
        values["decline_reason"] = request.decline_reason
    return values


@dataclass(frozen=True)
class OwnRequest:
    """A request the caller is the rater of, with its cycle."""

    request: Request
    cycle: Cycle


# --- shared with the public answering path -------------------------------------------------


def item_rules(items: Sequence[QuestionnaireItem]) -> list[ItemRule]:
    return [ItemRule(i.code, i.required, i.comment_allowed, i.not_observed_allowed) for i in items]


def given(answers: Sequence[AnswerIn]) -> list[GivenAnswer]:
    return [GivenAnswer(a.item_code, a.score, a.not_observed, a.comment or None) for a in answers]


def as_problem(problems: Sequence[Problem]) -> ValidationProblem:
    """The rules' problems as one 422, each at ``["body", "answers", i, field]``."""
    return field_problems(
        [field_problem(["body", *p.loc], p.message_en, p.message_id, p.kind) for p in problems]
    )


def check_answerable(cycle: Cycle, now: datetime) -> None:
    """409 unless the cycle takes answers now."""
    if cycle.state != ANSWERABLE_CYCLE_STATE:
        raise Conflict(
            f"The cycle is {cycle.state}; answers are taken only while it is open.",
            detail_id="Siklus tidak sedang dibuka; jawaban hanya diterima selama siklus dibuka.",
            code="cycle_not_open",
        )
    if now >= cycle.deadline:
        raise Conflict(
            "The cycle's deadline has passed.",
            detail_id="Batas waktu siklus sudah lewat.",
            code="deadline_passed",
        )


def answer_rows(
    items: Sequence[QuestionnaireItem], answers: Sequence[GivenAnswer]
) -> list[tuple[int, int | None, str | None]]:
    """Validated answers as (item id, score or None for not observed, comment)."""
    ids = {item.code: item.id for item in items}
    return [(ids[a.item_code], a.score, a.comment) for a in answers]


async def store_response(
    repository: ResponseRepository,
    changes: ChangeRecorder,
    own: OwnRequest,
    items: Sequence[QuestionnaireItem],
    answered: Sequence[GivenAnswer],
    rules: Sequence[ItemRule],
    *,
    submit: bool,
) -> None:
    """Check ``answered`` against ``rules`` and store it in place of the draft; with
    ``submit``, as the final response, audited as submitted without its content."""
    problems = response_problems(rules, answered, submit=submit)
    if problems:
        raise as_problem(problems)
    request = own.request
    before = audited_state(request)
    await repository.replace_answers(request.id, answer_rows(items, answered))
    request.status = status_after_save(len(answered), submit=submit)
    if not submit:
        await repository.session.flush()
        return
    request.submitted_at = datetime.now(UTC)
    await changes.changed(
        "submitted",
        request,
        before=before,
        after=audited_state,
        entity_type=REQUEST_ENTITY,
        agency_code=own.cycle.agency_code,
    )


# --- the rater -------------------------------------------------------------------------------


class ResponseService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ResponseRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def of_rater(
        self, nip: str, status: str | None, cycle_id: uuid.UUID | None, page: PageRequest
    ) -> tuple[list[MyRequestOut], str | None]:
        """The requests the employee is asked to answer as a rater: ``/feedback/my-requests``
        asks for the caller's NIP, the career summary for the employee it shows."""
        rows, cursor = await self.repository.rater_page(self.principal, nip, status, cycle_id, page)
        facts = await self.repository.facts([r.id for r in rows])
        return [self._out(r, facts[r.id]) for r in rows], cursor

    @staticmethod
    def _out(request: Request, facts: Any) -> MyRequestOut:
        return MyRequestOut(
            id=request.id,
            cycle_id=request.cycle_id,
            cycle_name=facts.cycle_name,
            cycle_state=facts.cycle_state,
            deadline=facts.deadline,
            subject_nip=facts.subject_nip,
            subject_name=facts.subject_name,
            subject_position=facts.subject_position,
            relationship=request.relationship,
            status=request.status,
            progress=Progress(answered=facts.answered, total=facts.total),
            submitted_at=request.submitted_at,
            version=request.version,
        )

    async def get_own(self, request_id: uuid.UUID) -> OwnRequest:
        """The caller's own request; anyone else's, like an unknown one, is a 404."""
        found = await self.repository.get_own(self.principal, request_id)
        if found is None:
            raise NotFound()
        return OwnRequest(*found)

    async def detail(self, own: OwnRequest) -> RequestDetailOut:
        request, cycle = own.request, own.cycle
        facts = (await self.repository.facts([request.id]))[request.id]
        questionnaire = await self.repository.questionnaire(cycle.questionnaire_id)
        items = await self.repository.items(cycle.questionnaire_id)
        answers = await self.repository.answers(request.id)
        return RequestDetailOut(
            **self._out(request, facts).model_dump(),
            decline_reason=request.decline_reason,
            questionnaire=QuestionnaireRef(
                id=questionnaire.id,
                title_id=questionnaire.title_id,
                title_en=questionnaire.title_en,
            ),
            items=[item_out(i) for i in items],
            answers=[
                AnswerOut(item_code=code, score=score, not_observed=score is None, comment=comment)
                for code, score, comment in answers
            ],
        )

    def _check_open_request(self, request: Request) -> None:
        if request.status == "submitted":
            raise Conflict(
                "This response was submitted and is final.",
                detail_id="Jawaban ini sudah dikirim dan bersifat final.",
                code="response_final",
            )
        if request.status == "declined":
            raise Conflict(
                "You declined this request.",
                detail_id="Anda sudah menolak permintaan ini.",
                code="request_declined",
            )
        if request.status == "nominated":
            raise Conflict(
                "This nomination awaits HR's approval; it can be answered once approved.",
                detail_id="Nominasi ini menunggu persetujuan BKPSDM; jawaban dapat diisi "
                "setelah disetujui.",
                code="request_not_approved",
            )

    async def save(self, own: OwnRequest, answers: Sequence[AnswerIn], *, submit: bool) -> None:
        """Replace the draft with ``answers``; with ``submit``, make it final."""
        request, cycle = own.request, own.cycle
        self._check_open_request(request)
        check_answerable(cycle, datetime.now(UTC))
        items = await self.repository.items(cycle.questionnaire_id)
        await store_response(
            self.repository,
            self.changes,
            own,
            items,
            given(answers),
            item_rules(items),
            submit=submit,
        )

    async def decline(self, own: OwnRequest, body: DeclineIn) -> None:
        request, cycle = own.request, own.cycle
        await self.repository.lock(request)
        self._check_open_request(request)
        check_answerable(cycle, datetime.now(UTC))
        before = audited_state(request)
        # A declined request holds no answers: a draft the rater gave up is not kept.
        await self.repository.replace_answers(request.id, [])
        request.status = "declined"
        request.decline_reason = body.reason
        await self.changes.changed(
            "declined",
            request,
            before=before,
            after=audited_state,
            entity_type=REQUEST_ENTITY,
            agency_code=cycle.agency_code,
        )


def item_out(item: QuestionnaireItem, *, public: bool = False) -> QuestionOut:
    return QuestionOut(
        code=item.code,
        ordinal=item.ordinal,
        dimension_kind=item.dimension_kind,
        dimension_code=item.dimension_code,
        text_id=item.text_id,
        text_en=item.text_en,
        anchors=item.anchors,
        required=item.required,
        comment_allowed=item.comment_allowed,
        not_observed_allowed=True if public else item.not_observed_allowed,
    )


# --- reminders -------------------------------------------------------------------------------


class ReminderService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ReminderRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def cycle(self, cycle_id: uuid.UUID) -> Cycle:
        """A cycle of the caller's agencies; another agency's is a 404."""
        cycle = await self.repository.visible_cycle(self.principal, cycle_id)
        if cycle is None:
            raise NotFound()
        return cycle

    async def due_page(
        self, cycle: Cycle, rule: ReminderRule, page: PageRequest
    ) -> tuple[list[ReminderOut], str | None]:
        rows, cursor = await self.repository.due_page(cycle, rule, datetime.now(UTC), page)
        people = await self.repository.people(rows)
        return [
            ReminderOut(
                request_id=r.id,
                rater_nip=people[r.id].rater_nip,
                rater_name=people[r.id].rater_name,
                subject_nip=people[r.id].subject_nip,
                subject_name=people[r.id].subject_name,
                relationship=r.relationship,
                status=r.status,
                reminded_at=r.reminded_at,
            )
            for r in rows
        ], cursor

    async def send(self, cycle: Cycle, rule: ReminderRule) -> RemindersSent:
        """Mark every due request reminded and announce, per rater, how many requests
        they were reminded of (``feedback.reminders.due``) for a mail integration to act
        on. The event names raters and counts only: no subject, no answer."""
        now = datetime.now(UTC)
        check_answerable(cycle, now)
        per_rater = await self.repository.mark_reminded(cycle, rule, now)
        sent = RemindersSent(
            cycle_id=cycle.id,
            reminded_at=now,
            requests=sum(count for _, count in per_rater),
            raters=[RaterReminder(nip=nip, open_requests=count) for nip, count in per_rater],
        )
        if not per_rater:
            return sent
        summary = {"requests": sent.requests, "raters": len(sent.raters)}
        payload = {
            "cycle_id": str(cycle.id),
            "cycle_name": cycle.name,
            "deadline": cycle.deadline.isoformat(),
            "reminded_at": now.isoformat(),
            "requests": sent.requests,
            "raters": [r.model_dump() for r in sent.raters],
        }
        await self.changes.changed(
            "reminded",
            cycle,
            before=None,
            after=lambda _: summary,
            event="feedback.reminders.due",
            entity_type="feedback_cycle",
            agency_code=cycle.agency_code,
            payload=lambda _before, _after: payload,
        )
        return sent
