"""Public raters: HR makes one-time links for public-facing subjects; a member of the public
opens one and answers once, without logging in.

**What is stored of a citizen: nothing.** A public request has no rater; its answers hang
off the request, which is reached only through the SHA-256 of its token. No address, name
or user agent is written: not in the request, not in the answers, not in the audit trail,
whose actor for a public response is ``public``. (The rate limit counts callers under a
keyed hash of their address for one minute, ``public.dependencies``.)

**No event per public request.** ``feedback.request.created`` announces a rater being
asked; a public link asks nobody in particular until someone picks up a card, and a
stack of card events would tell an integrator nothing it can act on. Making links is
audited on the cycle (how many per subject, never the tokens or their hashes).
"""

import hmac
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.config import Settings
from asn_career.core.audit.service import ChangeRecorder
from asn_career.core.auth import Principal, Role
from asn_career.core.errors import AppError, Conflict, NotFound, field_problem, field_problems
from asn_career.feedback.models import Cycle, Request
from asn_career.feedback.public.cards import Card
from asn_career.feedback.public.repository import PublicRepository
from asn_career.feedback.public.schemas import (
    MAX_LINKS_PER_CALL,
    PublicFormOut,
    PublicLinkOut,
    PublicLinksCreate,
    PublicLinksOut,
)
from asn_career.feedback.public.tokens import (
    base_url_problem,
    new_token,
    public_link,
    token_digest,
    well_formed,
)
from asn_career.feedback.responses.repository import ResponseRepository
from asn_career.feedback.responses.rules import item_rules_for_public
from asn_career.feedback.responses.schemas import AnswerIn
from asn_career.feedback.responses.service import (
    OwnRequest,
    check_answerable,
    given,
    item_out,
    item_rules,
    store_response,
)

PUBLIC_ACTOR = Principal(subject="public", role=Role.EMPLOYEE)
"""Who the audit trail names for a public response: nobody. The role is the least one
there is and decides nothing here (the public routes check no role)."""

PUBLIC_REASON_CODE = "public_link"
PUBLIC_REASON = "Tautan sekali pakai untuk penilaian pelayanan oleh masyarakat"
LINKABLE_CYCLE_STATES = frozenset({"draft", "open"})


class TokenUsed(AppError):
    status = 410
    code = "token_used"


@dataclass(frozen=True)
class MadeLinks:
    out: PublicLinksOut
    cards: list[Card]


class PublicLinkService:
    def __init__(self, session: AsyncSession, principal: Principal, settings: Settings) -> None:
        self.session = session
        self.principal = principal
        self.settings = settings
        self.repository = PublicRepository(session)
        self.changes = ChangeRecorder(session, principal)

    def _check_cycle(self, cycle: Cycle) -> None:
        if cycle.state not in LINKABLE_CYCLE_STATES:
            raise Conflict(
                f"The cycle is {cycle.state}; public links are made only before it closes.",
                detail_id="Siklus sudah ditutup; tautan publik hanya dapat dibuat sebelum "
                "siklus ditutup.",
                code="cycle_closed",
            )
        if datetime.now(UTC) >= cycle.deadline:
            raise Conflict(
                "The cycle's deadline has passed.",
                detail_id="Batas waktu siklus sudah lewat.",
                code="deadline_passed",
            )

    def _base_url(self, given_url: str | None) -> str:
        base_url = given_url or self.settings.feedback_public_base_url
        if base_url is None:
            raise field_problem(
                "base_url",
                "base_url is required: no ASN_CAREER_FEEDBACK_PUBLIC_BASE_URL is set",
                "base_url wajib diisi: ASN_CAREER_FEEDBACK_PUBLIC_BASE_URL belum diatur",
                "missing",
            )
        problem = base_url_problem(base_url, production=self.settings.env == "production")
        if problem is not None:
            raise field_problem("base_url", problem[0], problem[1], "url")
        return base_url

    async def create(self, cycle: Cycle, body: PublicLinksCreate) -> MadeLinks:
        """``body.count`` public requests per subject, each with a fresh token; the tokens
        are returned here and nowhere else."""
        self._check_cycle(cycle)
        base_url = self._base_url(body.base_url)
        nips = list(dict.fromkeys(body.subjects))
        if len(nips) * body.count > MAX_LINKS_PER_CALL:
            raise field_problem(
                "count",
                f"at most {MAX_LINKS_PER_CALL} links per call ({len(nips)} subjects × "
                f"{body.count}); make them in several calls",
                f"paling banyak {MAX_LINKS_PER_CALL} tautan per permintaan ({len(nips)} "
                f"pegawai × {body.count}); buat dalam beberapa permintaan",
                "too_many_links",
            )
        found = await self.repository.subjects(cycle.id, nips)
        problems = []
        for index, nip in enumerate(body.subjects):
            subject = found.get(nip)
            if subject is None:
                problems.append(
                    field_problem(
                        ["body", "subjects", index],
                        f"{nip} is not a subject of this cycle",
                        f"{nip} bukan pegawai yang dinilai dalam siklus ini",
                        "not_a_subject",
                    )
                )
            elif not subject.public_facing:
                problems.append(
                    field_problem(
                        ["body", "subjects", index],
                        f"{nip} is not marked public-facing in this cycle",
                        f"{nip} tidak ditandai melayani masyarakat dalam siklus ini",
                        "not_public_facing",
                    )
                )
        if problems:
            raise field_problems(problems)
        agency = await self.repository.agency_name(cycle.agency_code)
        made: list[tuple[Request, str]] = []
        for nip in nips:
            for _ in range(body.count):
                token = new_token()
                request = Request(
                    id=uuid.uuid4(),
                    cycle_id=cycle.id,
                    subject_employee_id=found[nip].employee_id,
                    rater_employee_id=None,
                    relationship="public",
                    status="pending",
                    origin="public",
                    reason_code=PUBLIC_REASON_CODE,
                    reason=PUBLIC_REASON,
                    token_hash=token_digest(token),
                )
                made.append((request, token))
        await self.repository.add_requests([request for request, _ in made])
        per_subject = Counter(nip for nip in nips for _ in range(body.count))
        await self.changes.changed(
            "public_links_created",
            cycle,
            before=None,
            after=lambda _: {"public_requests": len(made), "per_subject": dict(per_subject)},
            entity_type="feedback_cycle",
            agency_code=cycle.agency_code,
        )
        by_id = {f.employee_id: f for f in found.values()}
        links, cards = [], []
        for request, token in made:
            subject = by_id[request.subject_employee_id]
            url = public_link(base_url, token)
            links.append(
                PublicLinkOut(
                    request_id=request.id,
                    subject_nip=subject.nip,
                    subject_name=subject.name,
                    token=token,
                    url=url,
                )
            )
            cards.append(Card(agency, subject.name, subject.position, url))
        return MadeLinks(PublicLinksOut(cycle_id=cycle.id, count=len(links), links=links), cards)


class PublicAnswerService:
    """The form and the one response behind a token. No principal: the token is the only
    credential, and it grants one response to one request."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repository = PublicRepository(session)
        self.answers = ResponseRepository(session)
        self.changes = ChangeRecorder(session, PUBLIC_ACTOR)

    async def _request(self, token: str, *, lock: bool) -> tuple[Request, Cycle]:
        """The open public request of ``token``: 404 unknown, 410 used, 409 closed."""
        digest = token_digest(token)
        found = await self.repository.by_token(digest, lock=lock) if well_formed(token) else None
        if found is None or not hmac.compare_digest(found[0].token_hash or b"", digest):
            raise NotFound()
        request, cycle = found
        if request.status == "submitted":
            raise TokenUsed(
                "This link has been used; each link takes one response.",
                detail_id="Tautan ini sudah dipakai; setiap tautan hanya untuk satu penilaian.",
            )
        if request.status != "pending":
            raise NotFound()
        if cycle.state == "draft":
            raise Conflict(
                "This survey has not opened yet.",
                detail_id="Penilaian ini belum dibuka.",
                code="cycle_not_open",
            )
        check_answerable(cycle, datetime.now(UTC))
        return request, cycle

    async def form(self, token: str) -> PublicFormOut:
        request, cycle = await self._request(token, lock=False)
        subject = await self.repository.subject_of(request)
        questionnaire = await self.answers.questionnaire(cycle.questionnaire_id)
        items = await self.answers.items(cycle.questionnaire_id)
        return PublicFormOut(
            agency_name=await self.repository.agency_name(cycle.agency_code),
            cycle_name=cycle.name,
            deadline=cycle.deadline,
            subject_name=subject.name,
            subject_position=subject.position,
            questionnaire_title_id=questionnaire.title_id,
            questionnaire_title_en=questionnaire.title_en,
            items=[item_out(item, public=True) for item in items],
        )

    async def submit(self, token: str, answers: Sequence[AnswerIn]) -> None:
        request, cycle = await self._request(token, lock=True)
        items = await self.answers.items(cycle.questionnaire_id)
        await store_response(
            self.answers,
            self.changes,
            OwnRequest(request, cycle),
            items,
            given(answers),
            item_rules_for_public(item_rules(items)),
            submit=True,
        )
