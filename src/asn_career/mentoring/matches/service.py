"""Matches as relationships. Each side answers a published proposal (HR may record an
answer for a side); both yes makes it ``active`` with the mentee's focus levels noted,
a no makes it ``declined`` (never proposed again in the programme), a no to an active one
``ended``; ``complete`` closes an active one, noting the levels again. Sessions are logged
by the pair, whose private notes only the pair reads; feedback comes from each side once
the relationship is over."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import HR_ROLES, Principal
from asn_career.core.errors import Conflict, Forbidden, NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.mentoring import rules
from asn_career.mentoring.matches.repository import MatchRepository
from asn_career.mentoring.matches.schemas import (
    FeedbackCreate,
    FeedbackOut,
    MatchAction,
    SessionCreate,
    SessionOut,
)
from asn_career.mentoring.matchings.schemas import MatchOut
from asn_career.mentoring.matchings.service import match_out
from asn_career.mentoring.models import Feedback, Match, Session
from asn_career.training.needs.rules import level_of

ENTITY = "mentoring_match"


def _today() -> date:
    return datetime.now(UTC).date()


def _conflict(en: str, id_: str, code: str) -> Conflict:
    return Conflict(en, detail_id=id_, code=code)


class MatchService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = MatchRepository(session)
        self.changes = ChangeRecorder(session, principal)

    @property
    def is_hr(self) -> bool:
        return self.principal.role in HR_ROLES

    def party(self, found: Row[Any]) -> rules.Side | None:
        if self.principal.subject == found.mentor_nip:
            return "mentor"
        if self.principal.subject == found.mentee_nip:
            return "mentee"
        return None

    async def get(self, match_id: uuid.UUID, *, lock: bool = False) -> Row[Any]:
        """HR sees the agency's matches; the mentor and the mentee theirs once published."""
        found = await self.repository.get(self.principal, match_id, lock=lock)
        if found is None:
            raise NotFound()
        if not self.is_hr and (self.party(found) is None or found.published_at is None):
            raise NotFound()
        return found

    async def of_employee(
        self, nip: str, state: str | None, page: PageRequest
    ) -> tuple[list[MatchOut], str | None]:
        """The employee's own matches: ``/mentoring/my-matches`` asks for the caller's NIP,
        the career summary for the employee it shows."""
        rows, cursor = await self.repository.of_employee(self.principal, nip, state, page)
        return [match_out(r) for r in rows], cursor

    def _side(self, found: Row[Any], body: MatchAction) -> rules.Side:
        own = self.party(found)
        if own is not None and not self.is_hr:
            if body.side is not None and body.side != own:
                raise field_problem(
                    "side",
                    f"you are the {own} of this match",
                    f"Anda adalah {own} dalam pasangan ini",
                    "wrong_side",
                )
            return own
        if body.side is None:
            raise field_problem(
                "side",
                "HR names the side it answers for",
                "HR wajib menyebutkan pihak yang diwakili",
                "missing",
            )
        return body.side

    async def _levels(self, found: Row[Any]) -> dict[str, int]:
        current = await self.repository.levels(found.mentee_employee_id, list(found.focus))
        return {code: level_of(level) for code, level in sorted(current.items())}

    async def _match_changed(
        self,
        found: Row[Any],
        before: dict[str, Any],
        verb: str,
        event: str,
        extra: dict[str, Any] | None = None,
    ) -> None:
        row: Match = found.Match
        await self.changes.changed(
            verb,
            row,
            before=before,
            after=snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            nip=found.mentee_nip,
            event=event,
            payload=lambda b, a: (
                {
                    "match_id": str(row.id),
                    "program_id": str(row.program_id),
                    "mentor_nip": found.mentor_nip,
                    "mentee_nip": found.mentee_nip,
                    "state": row.state,
                }
                | (extra or {})
            ),
        )

    async def answer(self, found: Row[Any], body: MatchAction, accept: bool) -> Match:
        # Locked and read again: the mentor and the mentee may answer at the same moment,
        # and the second yes must see the first.
        found = await self.get(found.Match.id, lock=True)
        row: Match = found.Match
        if found.published_at is None:
            raise _conflict(
                "The run of this match is not published yet",
                "Hasil pencocokan untuk pasangan ini belum dipublikasikan",
                "match_not_published",
            )
        side = self._side(found, body)
        step = rules.respond(row.state, row.mentor_response, row.mentee_response, side, accept)
        if step == "already_answered":
            raise _conflict(
                f"The {side} has answered already",
                f"Pihak {side} sudah memberikan jawaban",
                "match_answered",
            )
        if step == "not_live":
            raise _conflict(
                f"The match is {row.state}; it takes no answer",
                f"Status pasangan ini {row.state}; tidak dapat dijawab",
                "match_not_live",
            )
        before = snapshot(row)
        if row.state == "proposed":
            setattr(row, f"{side}_response", "accepted" if accept else "declined")
        row.state = step.state
        if step.starts:
            row.started_on = _today()
            row.levels_before = await self._levels(found)
        if step.ends:
            row.ended_on = _today()
        said = {"side": side}
        if step.state == "declined":
            await self._match_changed(found, before, "declined", "mentoring.match.declined", said)
        elif step.state == "ended":
            await self._match_changed(found, before, "ended", "mentoring.match.ended", said)
        else:  # a yes; the second one also starts the relationship
            await self._match_changed(found, before, "accepted", "mentoring.match.accepted", said)
            if step.starts:
                before = snapshot(row)
                await self._match_changed(
                    found, before, "activated", "mentoring.match.activated", said
                )
        return row

    async def complete(self, found: Row[Any]) -> Match:
        found = await self.get(found.Match.id, lock=True)
        row: Match = found.Match
        if not self.is_hr and self.party(found) is None:
            raise NotFound()
        if not rules.may_complete(row.state):
            raise _conflict(
                f"Only an active match can be completed; this one is {row.state}",
                f"Hanya pasangan aktif yang dapat diselesaikan; status: {row.state}",
                "match_not_active",
            )
        before = snapshot(row)
        row.state = "completed"
        row.ended_on = _today()
        row.levels_after = await self._levels(found)
        await self._match_changed(found, before, "completed", "mentoring.match.completed")
        return row

    # --- sessions -------------------------------------------------------------------------

    def _out(self, found: Row[Any], s: Session) -> SessionOut:
        mine = self.party(found) is not None
        return SessionOut(
            id=s.id,
            match_id=s.match_id,
            held_on=s.held_on,
            duration_minutes=s.duration_minutes,
            topic=s.topic,
            private_notes=s.private_notes if mine else None,
            notes_hidden=not mine and s.private_notes is not None,
            recorded_by=s.recorded_by,
            created_at=s.created_at,
        )

    async def sessions_page(
        self, found: Row[Any], page: PageRequest
    ) -> tuple[list[SessionOut], str | None]:
        rows, cursor = await self.repository.sessions_page(found.Match.id, page)
        return [self._out(found, s) for s in rows], cursor

    def _pair_only(self, found: Row[Any]) -> rules.Side:
        side = self.party(found)
        if side is None:
            raise Forbidden(
                "Only the mentor and the mentee of this match may do this",
                detail_id="Hanya mentor dan mentee pasangan ini yang dapat melakukannya",
                code="mentoring_pair_only",
            )
        return side

    async def log_session(self, found: Row[Any], body: SessionCreate) -> SessionOut:
        side = self._pair_only(found)
        row: Match = found.Match
        if not rules.may_log_session(row.state):
            raise _conflict(
                f"Sessions are logged for active or completed matches; this one is {row.state}",
                f"Sesi hanya dicatat untuk pasangan yang aktif atau selesai; status: {row.state}",
                "match_not_active",
            )
        if body.held_on > _today() or (row.started_on and body.held_on < row.started_on):
            raise field_problem(
                "held_on",
                "held_on is in the future or before the match began",
                "tanggal sesi di masa depan atau sebelum pasangan dimulai",
                "date_range",
            )
        s = Session(
            id=uuid.uuid4(),
            match_id=row.id,
            held_on=body.held_on,
            duration_minutes=body.duration_minutes,
            topic=body.topic,
            private_notes=body.private_notes,
            recorded_by=side,
        )
        self.repository.add(s)
        await self.changes.created(
            s,
            after=lambda r: snapshot(r, exclude={"private_notes"}),
            entity_type="mentoring_session",
            agency_code=row.agency_code,
            nip=found.mentee_nip,
        )
        return self._out(found, s)

    async def give_feedback(self, found: Row[Any], body: FeedbackCreate) -> FeedbackOut:
        side = self._pair_only(found)
        row: Match = found.Match
        if not rules.may_give_feedback(row.state):
            raise _conflict(
                "Feedback is given once the relationship is completed or ended",
                "Umpan balik diberikan setelah pasangan selesai atau berakhir",
                "match_not_finished",
            )
        if await self.repository.feedback_exists(row.id, side):
            raise _conflict(
                f"The {side} has given feedback already",
                f"Pihak {side} sudah memberikan umpan balik",
                "feedback_given",
            )
        f = Feedback(match_id=row.id, side=side, rating=body.rating, comment=body.comment)
        self.repository.add(f)
        await self.session.flush()
        await self.changes.created(
            f,
            after=lambda r: snapshot(r, exclude={"comment"}),
            entity_type="mentoring_feedback",
            agency_code=row.agency_code,
            nip=found.mentee_nip,
        )
        return FeedbackOut(
            match_id=row.id, side=side, rating=f.rating, comment=f.comment, created_at=f.created_at
        )
