"""A programme's summary (HR): coverage, mentor load, sessions per pair, satisfaction and
the competency growth of mentees against comparable staff who were not mentored, each
computed in SQL; and the summary and the matches as CSV or XLSX through ``core.sheets``."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.sheets import (
    Download,
    rows_download,
)
from asn_career.mentoring.models import Program
from asn_career.mentoring.summary.repository import SummaryRepository
from asn_career.mentoring.summary.schemas import (
    Coverage,
    Growth,
    MentorLoad,
    Satisfaction,
    Sessions,
    SummaryOut,
)
from asn_career.training.needs.rules import MISSING_LEVEL

SUMMARY_COLUMNS: Final = ("section", "measure", "group", "value")
MATCH_COLUMNS: Final = (
    "mentee_nip",
    "mentee_name",
    "mentor_nip",
    "mentor_name",
    "state",
    "score",
    "pinned",
    "started_on",
    "ended_on",
    "sessions",
    "mentee_rating",
    "mentor_rating",
    "matching_id",
)


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


class SummaryService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = SummaryRepository(session)

    async def summary(self, program: Program) -> SummaryOut:
        self.principal.require_agency(program.agency_code)
        c = await self.repository.coverage(program.id)
        load = await self.repository.load(program.id, program.default_capacity)
        s = await self.repository.sessions(program.id)
        ends = min(program.ends_on, datetime.now(UTC).date())
        growth = await self.repository.growth(
            program.id, program.agency_code, program.starts_on, ends, MISSING_LEVEL
        )
        groups = [
            Growth(
                group=g.grp,
                people=g.people,
                pairs=g.pairs,
                mean_growth=_f(g.mean_growth),
                share_grown=_f(g.share_grown),
            )
            for g in growth
        ]
        by = {g.group: g.mean_growth for g in groups}
        difference = (
            None
            if by.get("mentees") is None or by.get("comparison") is None
            else round(by["mentees"] - by["comparison"], 4)  # type: ignore[operator]
        )
        return SummaryOut(
            program_id=program.id,
            coverage=Coverage(
                mentees=c.mentees,
                matched=c.matched,
                proposed=c.proposed,
                unmatched=c.mentees - c.matched - c.proposed,
                share_matched=_f(c.matched / c.mentees) if c.mentees else None,
            ),
            mentor_load=MentorLoad(
                mentors=load.mentors,
                capacity=load.capacity,
                carried=load.carried,
                mean_load=_f(load.mean_load),
                max_load=load.max_load,
                at_capacity=load.at_capacity,
                without_mentee=load.without_mentee,
            ),
            sessions=Sessions(
                pairs=s.pairs,
                sessions=s.sessions,
                mean_per_pair=_f(s.mean_per_pair),
                mean_minutes_per_pair=_f(s.mean_minutes_per_pair),
                pairs_without_session=s.pairs_without_session,
            ),
            satisfaction=[
                Satisfaction(side=r.side, responses=r.responses, mean_rating=_f(r.mean_rating))
                for r in await self.repository.satisfaction(program.id)
            ],
            growth=groups,
            growth_difference=difference,
        )

    async def summary_file(self, program: Program, fmt: str) -> Download:
        out = await self.summary(program)
        rows: list[Sequence[Any]] = []
        for section in ("coverage", "mentor_load", "sessions"):
            for measure, value in getattr(out, section).model_dump().items():
                rows.append((section, measure, "", value))
        for sat in out.satisfaction:
            rows += [
                ("satisfaction", "responses", sat.side, sat.responses),
                ("satisfaction", "mean_rating", sat.side, sat.mean_rating),
            ]
        for g in out.growth:
            for measure in ("people", "pairs", "mean_growth", "share_grown"):
                rows.append(("growth", measure, g.group, getattr(g, measure)))
        rows.append(("growth", "difference", "mentees - comparison", out.growth_difference))
        return await rows_download(
            f"mentoring-summary-{program.id}.{fmt}", "summary", SUMMARY_COLUMNS, rows, fmt
        )

    async def matches_file(self, program: Program, fmt: str) -> Download:
        self.principal.require_agency(program.agency_code)
        rows = [
            tuple(getattr(r, c) for c in MATCH_COLUMNS)
            for r in await self.repository.matches(program.id)
        ]
        return await rows_download(
            f"mentoring-matches-{program.id}.{fmt}", "matches", MATCH_COLUMNS, rows, fmt
        )
