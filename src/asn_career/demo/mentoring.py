"""Demo data of mentoring, made through the mentoring services so it passes every rule the
API applies: per agency a running programme ("Program Mentoring ASN Muda"), senior staff
as mentors (their strengths from their current levels), junior staff as mentees (their
focus from their training needs and 360° reports), a matching run published by HR, most
proposals accepted by both sides (a few declined), and sessions logged by the pairs."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, ClassVar

from sqlalchemy import select

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.pagination import PageRequest
from asn_career.demo.base import Agency, DomainGenerator
from asn_career.mentoring.matches.schemas import MatchAction, SessionCreate
from asn_career.mentoring.matches.service import MatchService
from asn_career.mentoring.matchings.schemas import MatchingCreate
from asn_career.mentoring.matchings.service import MatchingService
from asn_career.mentoring.pools.schemas import MenteeCreate, MentorCreate
from asn_career.mentoring.pools.service import PoolService
from asn_career.mentoring.programs.schemas import ProgramCreate
from asn_career.mentoring.programs.service import ProgramService
from asn_career.org.models import Position, Rank
from asn_career.profiles.models import Employee

MENTORS, MENTEES = 20, 40
GOALS = (
    "Menyusun dokumen perencanaan dan penganggaran secara mandiri",
    "Memimpin rapat koordinasi lintas bidang dengan percaya diri",
    "Memahami pengelolaan kinerja dan pelaporan SAKIP",
    "Menyiapkan diri untuk jabatan fungsional jenjang berikutnya",
)
TOPICS = (
    "Perkenalan dan kesepakatan tujuan mentoring",
    "Membedah dokumen RKPD dan kerangka logis program",
    "Latihan memimpin rapat dan menyusun notulen",
    "Umpan balik atas rancangan laporan kinerja",
)


class MentoringGenerator(DomainGenerator):
    reference_tables: ClassVar[tuple[str, ...]] = (
        "mentoring_programs",
        "mentoring_mentors",
        "mentoring_mentees",
        "mentoring_matchings",
        "mentoring_matches",
        "mentoring_sessions",
    )

    async def after_load_agency(self, sessionmaker: Any, agency: Agency) -> dict[str, int]:
        code = agency.region.code
        rng = random.Random(f"{self.demo.seed}:mentoring:{code}")  # noqa: S311 - demo data
        hr = Principal(subject="demo-hr", role=Role.HR_OFFICER, agencies=frozenset({code}))
        today = self.demo.as_of
        async with unit_of_work(sessionmaker) as session:
            seniors, juniors = await _people(session, code)
            if not seniors or not juniors:
                return {}
            program = await ProgramService(session, hr).create(
                ProgramCreate(
                    agency_code=code,
                    name=f"Program Mentoring ASN Muda {today.year}",
                    description="Pegawai senior membimbing pegawai muda dalam perencanaan, "
                    "pengelolaan kinerja dan kepemimpinan.",
                    starts_on=today - timedelta(days=45),
                    ends_on=today + timedelta(days=135),
                    default_capacity=2,
                )
            )
            pools = PoolService(session, hr)
            for nip in seniors[:MENTORS]:
                await pools.add_mentor(
                    program,
                    MentorCreate(
                        nip=nip,
                        capacity=rng.choice((1, 2, 2, 3)),
                        availability=rng.choice(("Selasa sore", "Kamis pagi", None)),
                    ),
                )
            for nip in juniors[:MENTEES]:
                await pools.enrol_mentee(program, MenteeCreate(nip=nip, goals=rng.choice(GOALS)))
            matchings = MatchingService(session, hr)
            run, _ = await matchings.propose(None, program, MatchingCreate())
            await matchings.publish(run)
            found, _ = await matchings.matches_page(run, PageRequest(limit=MENTORS * 3))
            answers = MatchService(session, hr)
            sessions = 0
            for proposal in found:
                match = await answers.get(proposal.id)
                roll = rng.random()
                if roll < 0.1:
                    await answers.answer(match, MatchAction(side="mentee"), accept=False)
                    continue
                if roll < 0.2:  # still waiting for the mentor
                    await answers.answer(match, MatchAction(side="mentee"), accept=True)
                    continue
                for side in ("mentee", "mentor"):
                    await answers.answer(
                        await answers.get(proposal.id), MatchAction(side=side), accept=True
                    )
                pair = MatchService(
                    session,
                    Principal(
                        subject=proposal.mentee_nip, role=Role.EMPLOYEE, agencies=frozenset({code})
                    ),
                )
                active = await pair.get(proposal.id)
                for n in range(rng.randint(0, 3)):
                    await pair.log_session(
                        active,
                        SessionCreate(
                            held_on=active.Match.started_on,
                            duration_minutes=rng.choice((45, 60, 90)),
                            topic=TOPICS[n],
                            private_notes=None,
                        ),
                    )
                    sessions += 1
        return {
            "mentoring_programs": 1,
            "mentoring_mentors": min(MENTORS, len(seniors)),
            "mentoring_mentees": min(MENTEES, len(juniors)),
            "mentoring_matches": len(found),
            "mentoring_sessions": sessions,
        }


async def _people(session: Any, agency_code: str) -> tuple[list[str], list[str]]:
    """Senior staff (rank IV, or a managerial or senior functional position) and junior
    staff (rank III/b or below), active, with a position, in NIP order."""
    rows = (
        await session.execute(
            select(Employee.nip, Rank.scale, Rank.ordinal, Position.kind)
            .join(Rank, Rank.code == Employee.rank_code)
            .join(Position, Position.id == Employee.position_id)
            .where(Employee.agency_code == agency_code, Employee.status == "active")
            .order_by(Employee.nip)
        )
    ).all()
    pns = [r for r in rows if r.scale.lower() == "pns"]
    seniors = [
        r.nip
        for r in pns
        if r.ordinal >= 13
        or (r.ordinal >= 11 and r.kind in ("administrator", "pengawas", "jpt_pratama"))
    ]
    juniors = [r.nip for r in pns if r.ordinal <= 10 and r.nip not in seniors]
    return seniors, juniors
