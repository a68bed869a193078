"""Matching runs. ``propose`` reads the pool (one statement per side), turns it into the
solver's arrays and solves it with ``matching.match``: at once for a small pool, as the
``mentoring.match`` job with progress for a large one. Hard rules come from the programme
(seniority, the reporting line, the unit), pairs declined earlier in the programme are
never proposed again, matches already accepted are kept (pinned), and HR's pinned and
forbidden pairs are honoured. Each match is stored with its parts and reasons, each
unmatched mentee with why. A run stays ``proposed`` until HR publishes it; publishing
supersedes the run before it."""

import asyncio
import time
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

import numpy as np
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import HR_ROLES, Principal
from asn_career.core.db import unit_of_work
from asn_career.core.errors import Conflict, NotFound, field_problem
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.runner import JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.core.pagination import PageRequest
from asn_career.mentoring import matching, rules
from asn_career.mentoring.matchings.repository import MatchingRepository
from asn_career.mentoring.matchings.schemas import (
    MatchingCreate,
    MatchingOut,
    MatchOut,
    MatchReason,
    MentoringPair,
    ShortlistEntry,
    ShortlistOut,
    UnmatchedOut,
)
from asn_career.mentoring.models import Match, Matching, Program
from asn_career.mentoring.programs.service import program_rules

JOB_KIND: Final = "mentoring.match"
SYNC_PAIRS: Final = 250_000
"""Pools of up to this many mentee × mentor pairs are solved in the request."""
FULL_GRAPH_PAIRS: Final = 4_000_000
"""Above this, each mentee keeps its best ``TOP_K`` candidates (with the repair pass)."""
TOP_K: Final = 64
ENTITY = "mentoring_matching"

Progress = Callable[[int, int | None], Coroutine[Any, Any, None]]


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Pool:
    """A programme's pool as rows and as the solver's instance, with the ids behind each
    row of the arrays."""

    program: Program
    mentees: list[Row[Any]]
    mentors: list[Row[Any]]
    instance: matching.Instance
    kept: set[int]
    """Mentee rows whose pin is a match kept from an earlier run."""
    codes: list[str]
    """Competency column → code."""
    families: list[str]

    def mentee_index(self) -> dict[str, int]:
        return {r.nip: n for n, r in enumerate(self.mentees)}

    def mentor_index(self) -> dict[str, int]:
        return {r.nip: n for n, r in enumerate(self.mentors)}


def _side(
    rows: Sequence[Row[Any]],
    attr: str,
    columns: dict[int, int],
    families: list[set[int]],
    n_families: int,
    capacity: Callable[[Row[Any]], int],
    today: date,
    ids: dict[Any, int],
    fields: dict[str, int],
) -> matching.Side:
    """One side of the pool as the solver's arrays. ``ids`` gives units and people small
    codes, shared by both sides (the same unit, the same person, the same code)."""
    n = len(rows)
    comps = np.zeros((n, max(len(columns), 1)), dtype=np.bool_)
    fams = np.zeros((n, max(n_families, 1)), dtype=np.bool_)
    for i, r in enumerate(rows):
        for cid in getattr(r[0], attr):
            if cid in columns:
                comps[i, columns[cid]] = True
        for f in families[i]:
            fams[i, f] = True

    def code(value: Any, table: dict[Any, int]) -> int:
        return -1 if value is None else table.setdefault(value, len(table))

    edu = [code(rules.education_key(r.education), fields) for r in rows]
    return matching.Side(
        person=np.asarray([code(r[0].employee_id, ids) for r in rows], dtype=np.int64),
        scale=np.asarray(
            [{"pns": 1, "pppk": 2}.get((r.scale or "").lower(), 0) for r in rows], dtype=np.int8
        ),
        ordinal=np.asarray([r.ordinal or 0 for r in rows], dtype=np.int16),
        years=np.asarray(
            [rules.years_between(r.appointment_date, today) for r in rows], dtype=np.float32
        ),
        unit=np.asarray([code(r.unit_id, ids) for r in rows], dtype=np.int32),
        parent=np.asarray([code(r.parent_id or r.unit_id, ids) for r in rows], dtype=np.int32),
        education=np.asarray(edu, dtype=np.int32),
        competencies=comps,
        families=fams,
        capacity=np.asarray([capacity(r) for r in rows], dtype=np.int32),
    )


def _reasons(
    explained: dict[str, Any],
    weights: dict[rules.Part, float],
    pool: Pool,
    mentee: int,
    mentor: int,
    *,
    pinned: bool,
    kept: bool,
) -> list[MatchReason]:
    """Each part that adds to the score, in words (English and Indonesian)."""
    out: list[MatchReason] = []
    if kept:
        out.append(
            MatchReason(
                code="kept",
                points=0.0,
                text_en="Accepted in an earlier run; kept",
                text_id="Sudah diterima pada putaran sebelumnya; dipertahankan",
            )
        )
    elif pinned:
        out.append(
            MatchReason(
                code="pinned", points=0.0, text_en="Pinned by HR", text_id="Ditetapkan oleh HR"
            )
        )
    parts = explained["parts"]
    rule = pool.program.unit_rule

    def add(part: rules.Part, en: str, id_: str) -> None:
        points = round(weights[part] * parts[part], 4)
        if points > 0:
            out.append(MatchReason(code=part, points=points, text_en=en, text_id=id_))

    shared = ", ".join(pool.codes[c] for c in explained["shared_competencies"])
    if shared:
        add(
            "strength",
            f"Strong in the mentee's focus competencies: {shared}",
            f"Kuat pada kompetensi fokus mentee: {shared}",
        )
    mentor_row = pool.mentors[mentor]
    family = rules.position_family(mentor_row.kind, mentor_row.title) or "-"
    add(
        "career",
        f"The mentor's career path ({family}) is where the mentee aims",
        f"Jalur karier mentor ({family}) sejalan dengan arah karier mentee",
    )
    gap = explained["gap"]
    if pool.program.seniority_basis == "years":
        add(
            "seniority",
            f"{gap:.0f} more years of service, within the useful band",
            f"Masa kerja {gap:.0f} tahun lebih lama, dalam rentang yang ideal",
        )
    else:
        add(
            "seniority",
            f"{gap:.0f} rank steps more senior, within the useful band",
            f"Pangkat {gap:.0f} tingkat lebih tinggi, dalam rentang yang ideal",
        )
    if rule == "avoided":
        add(
            "unit",
            "From another unit, as the programme prefers",
            "Dari unit kerja lain, sesuai ketentuan program",
        )
    elif explained["same_unit"]:
        add("unit", "Same unit", "Satu unit kerja")
    elif explained["same_parent"]:
        add(
            "unit",
            "A neighbouring unit (same parent unit)",
            "Unit kerja bertetangga (induk unit yang sama)",
        )
    field = pool.mentees[mentee].education
    add("education", f"Same field of study ({field})", f"Bidang pendidikan yang sama ({field})")
    return out


_UNMATCHED: Final = {
    "no_eligible_mentor": (
        "No mentor in the pool meets the programme's rules for this mentee (seniority, "
        "reporting line, unit, declined pairs)",
        "Tidak ada mentor dalam pool yang memenuhi ketentuan program untuk mentee ini "
        "(senioritas, garis atasan, unit kerja, pasangan yang pernah ditolak)",
    ),
    "capacity_exhausted": (
        "Every eligible mentor is at capacity",
        "Semua mentor yang memenuhi syarat sudah penuh kapasitasnya",
    ),
}


class MatchingService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = MatchingRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get(self, matching_id: uuid.UUID, *, lock: bool = False) -> Matching:
        row = await self.repository.get(self.principal, matching_id, lock=lock)
        if row is None:
            raise NotFound()
        return row

    async def list_page(
        self, program: Program, page: PageRequest
    ) -> tuple[list[MatchingOut], str | None]:
        rows, cursor = await self.repository.list_page(program, page)
        return [self.out(r) for r in rows], cursor

    @staticmethod
    def out(row: Matching) -> MatchingOut:
        return MatchingOut(
            id=row.id,
            program_id=row.program_id,
            agency_code=row.agency_code,
            status=row.status,
            objective=row.objective,
            job_id=row.job_id,
            total_score=row.total_score,
            greedy_score=row.greedy_score,
            figures=row.figures,
            unmatched=[UnmatchedOut(**u) for u in row.unmatched],
            published_at=row.published_at,
            version=row.version,
            created_at=row.created_at,
        )

    async def matches_page(
        self, matching: Matching, page: PageRequest
    ) -> tuple[list[MatchOut], str | None]:
        rows, cursor = await self.repository.matches_page(matching, page)
        return [match_out(r) for r in rows], cursor

    # --- the pool ---------------------------------------------------------------------------

    async def pool(
        self,
        program: Program,
        extra_pins: Sequence[tuple[uuid.UUID, uuid.UUID]] = (),
        extra_forbidden: Sequence[tuple[uuid.UUID, uuid.UUID]] = (),
    ) -> Pool:
        """The pool as the solver reads it, with kept matches pinned, declined pairs and
        the reporting line forbidden (when the programme says so), and HR's pairs (mentee
        id, mentor id)."""
        mentors = await self.repository.mentors(program.id)
        mentees = await self.repository.mentees(program.id)
        codes = await self.repository.codes()
        wanted = sorted({c for r in mentees for c in r[0].focus})
        columns = {cid: n for n, cid in enumerate(wanted)}
        family_of: dict[str, int] = {}

        def fam(kind: str | None, title: str | None) -> set[int]:
            f = rules.position_family(kind, title)
            return set() if f is None else {family_of.setdefault(f, len(family_of))}

        aims: dict[uuid.UUID, set[int]] = {}
        for emp, kind, title in await self.repository.interests(
            [r[0].employee_id for r in mentees]
        ):
            aims.setdefault(emp, set()).update(fam(kind, title))
        mentee_fams = [aims.get(r[0].employee_id) or fam(r.kind, r.title) for r in mentees]
        mentor_fams = [fam(r.kind, r.title) for r in mentors]
        today = _today()
        units: dict[Any, int] = {}
        fields: dict[str, int] = {}
        default = program.default_capacity
        mentee_side = _side(
            mentees,
            "focus",
            columns,
            mentee_fams,
            len(family_of),
            lambda r: 0,
            today,
            units,
            fields,
        )
        mentor_side = _side(
            mentors,
            "strengths",
            columns,
            mentor_fams,
            len(family_of),
            lambda r: r[0].capacity or default,
            today,
            units,
            fields,
        )
        mentee_at = {r[0].id: n for n, r in enumerate(mentees)}
        mentor_at = {r[0].id: n for n, r in enumerate(mentors)}

        def pairs(found: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> list[tuple[int, int]]:
            return [
                (mentee_at[a], mentor_at[b]) for a, b in found if a in mentee_at and b in mentor_at
            ]

        forbidden = pairs(await self.repository.declined_pairs(program.id)) + pairs(extra_forbidden)
        if program.exclude_reporting_line:
            forbidden += pairs(await self.repository.reporting_line_pairs(program.id))
        live = await self.repository.live_matches(program.id)
        kept_pairs = pairs(
            [
                (m.mentee_id, m.mentor_id)
                for m in live
                if rules.kept_on_rematch(m.state, m.mentor_response, m.mentee_response)
            ]
        )
        kept = {i for i, _ in kept_pairs}
        pinned = kept_pairs + [(i, j) for i, j in pairs(extra_pins) if i not in kept]

        def array(found: list[tuple[int, int]]) -> matching.IntArray:
            return np.asarray(sorted(set(found)), dtype=np.int64).reshape(-1, 2)

        instance = matching.Instance(
            mentee_side,
            mentor_side,
            program_rules(program),
            rules.full_weights(program.weights),
            array(forbidden),
            array(pinned),
        )
        names = [""] * len(family_of)
        for name, n in family_of.items():
            names[n] = name
        return Pool(program, mentees, mentors, instance, kept, [codes[c] for c in wanted], names)

    async def _check_pairs(
        self, program: Program, body: MatchingCreate
    ) -> tuple[list[tuple[uuid.UUID, uuid.UUID]], list[tuple[uuid.UUID, uuid.UUID]], int]:
        """HR's pinned and forbidden pairs, by ids: both people in the pools, one pin per
        mentee, a pin within the hard rules, never a declined pair, within capacity; and
        the pool's size in mentee × mentor pairs."""
        pool = await self.pool(program)
        mentee_at, mentor_at = pool.mentee_index(), pool.mentor_index()

        def ids(name: str, pairs: list[MentoringPair]) -> list[tuple[int, int]]:
            found = []
            for n, pair in enumerate(pairs):
                for side, nip, index in (
                    ("mentee_nip", pair.mentee_nip, mentee_at),
                    ("mentor_nip", pair.mentor_nip, mentor_at),
                ):
                    if nip not in index:
                        raise field_problem(
                            ["body", name, n, side],
                            f"{nip} is not an active {side[:6]} of this programme",
                            f"{nip} bukan {side[:6]} aktif dalam program ini",
                            "not_in_pool",
                        )
                found.append((mentee_at[pair.mentee_nip], mentor_at[pair.mentor_nip]))
            return found

        pins, forbids = ids("pinned", body.pinned), ids("forbidden", body.forbidden)
        seen: set[int] = set()
        inst = pool.instance
        load = (
            np.bincount(inst.pinned[:, 1], minlength=len(pool.mentors))
            if len(inst.pinned)
            else np.zeros(len(pool.mentors), dtype=np.int64)
        )
        for n, (i, j) in enumerate(pins):
            problem: tuple[str, str, str] | None = None
            if i in seen or i in pool.kept:
                problem = (
                    "the mentee is pinned twice or has an accepted match",
                    "mentee ditetapkan dua kali atau sudah memiliki pasangan yang diterima",
                    "pinned_twice",
                )
            elif (i, j) in forbids:
                problem = (
                    "the pair is also forbidden",
                    "pasangan ini juga dilarang",
                    "pinned_and_forbidden",
                )
            elif not matching.eligible_pairs(inst, np.asarray([i]), np.asarray([j]))[0]:
                problem = (
                    "the pair breaks the programme's rules (seniority, reporting line, "
                    "unit, or declined before)",
                    "pasangan ini melanggar ketentuan program (senioritas, garis atasan, "
                    "unit kerja, atau pernah ditolak)",
                    "pinned_pair_ineligible",
                )
            else:
                load[j] += 1
                if load[j] > inst.mentors.capacity[j]:
                    problem = (
                        "the mentor's capacity is exceeded",
                        "kapasitas mentor terlampaui",
                        "pinned_over_capacity",
                    )
            if problem is not None:
                raise field_problem(["body", "pinned", n], problem[0], problem[1], problem[2])
            seen.add(i)
        mentee_ids = [r[0].id for r in pool.mentees]
        mentor_ids = [r[0].id for r in pool.mentors]
        return (
            [(mentee_ids[i], mentor_ids[j]) for i, j in pins],
            [(mentee_ids[i], mentor_ids[j]) for i, j in forbids],
            len(mentee_ids) * len(mentor_ids),
        )

    # --- proposing --------------------------------------------------------------------------

    async def propose(
        self, queue: JobQueue | None, program: Program, body: MatchingCreate
    ) -> tuple[Matching, Job | None]:
        """Record the run; solve it now, or hand a large pool to the job. Without a queue
        (the demo generator) it is always solved now."""
        self.principal.require_agency(program.agency_code)
        pins, forbids, pairs = await self._check_pairs(program, body)
        options = {
            "pinned": [[str(a), str(b)] for a, b in pins],
            "forbidden": [[str(a), str(b)] for a, b in forbids],
        }
        row = Matching(
            id=uuid.uuid4(),
            program_id=program.id,
            agency_code=program.agency_code,
            status="solving",
            options=options,
            objective=program.objective,
        )
        self.repository.add(row)
        await self.changes.created(
            row, after=snapshot, entity_type=ENTITY, agency_code=program.agency_code
        )
        if queue is None or pairs <= SYNC_PAIRS:
            pool = await self.pool(program, pins, forbids)
            started = time.perf_counter()
            result = matching.match(pool.instance, top_k=_top_k(pool))
            await self.store(row, pool, result, time.perf_counter() - started)
            return row, None
        params = {"matching_id": str(row.id), "actor": self.principal.as_job_params()}
        job = await JobService(self.session, self.principal).submit(
            queue, JOB_KIND, params, program.agency_code
        )
        row.job_id = job.id
        return row, job

    async def pool_for(self, row: Matching) -> Pool:
        program = await self.repository.program(row.program_id)

        def pairs(name: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
            return [(uuid.UUID(a), uuid.UUID(b)) for a, b in row.options.get(name, [])]

        return await self.pool(program, pairs("pinned"), pairs("forbidden"))

    async def store(
        self, row: Matching, pool: Pool, result: matching.Result, seconds: float
    ) -> None:
        """The run's matches with parts and reasons, the unmatched with why, its figures."""
        inst = pool.instance
        weights = inst.weights
        explained = matching.explain(inst, result.mentees, result.mentors)
        pinned_rows = {int(i) for i in inst.pinned[:, 0]} if len(inst.pinned) else set()
        new_rows = []
        for k, (i, j) in enumerate(
            zip(result.mentees.tolist(), result.mentors.tolist(), strict=True)
        ):
            if i in pool.kept:
                continue  # the accepted match stays as it is
            why = explained[k]
            new_rows.append(
                {
                    "id": uuid.uuid4(),
                    "program_id": row.program_id,
                    "matching_id": row.id,
                    "agency_code": row.agency_code,
                    "mentor_id": pool.mentors[j][0].id,
                    "mentee_id": pool.mentees[i][0].id,
                    "state": "proposed",
                    "pinned": i in pinned_rows,
                    "score": round(float(result.scores[k]), 4),
                    "parts": {p: round(v, 4) for p, v in why["parts"].items()},
                    "reasons": [
                        r.model_dump()
                        for r in _reasons(
                            why, weights, pool, i, j, pinned=i in pinned_rows, kept=False
                        )
                    ],
                }
            )
        await self.repository.insert_matches(new_rows)
        row.unmatched = [
            {
                "mentee_id": str(pool.mentees[i][0].id),
                "nip": pool.mentees[i].nip,
                "name": pool.mentees[i].name,
                "reason": reason,
                "text_en": _UNMATCHED[reason][0],
                "text_id": _UNMATCHED[reason][1],
            }
            for i, reason in sorted(result.unmatched.items())
        ]
        row.total_score = round(result.total, 4)
        row.greedy_score = round(result.greedy_total, 4)
        row.figures = {
            "mentees": len(pool.mentees),
            "mentors": len(pool.mentors),
            "capacity": int(inst.mentors.capacity.sum()),
            "matched": result.matched,
            "greedy_matched": result.greedy_matched,
            "kept": len(pool.kept),
            "pinned": len(pinned_rows) - len(pool.kept),
            "unmatched": len(result.unmatched),
            "eligible_pairs": result.eligible_edges,
            "candidate_pairs": result.candidate_edges,
            "top_k": result.top_k,
            "repaired": result.repaired,
            "seconds": round(seconds, 3),
            "optimum_over_greedy": (
                round(result.total / result.greedy_total, 4) if result.greedy_total > 0 else None
            ),
        }
        before = {"status": row.status}
        row.status = "proposed"
        await self.changes.updated(
            row,
            before=before,
            after=lambda r: {"status": r.status, "figures": r.figures},
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="mentoring.matching.proposed",
            payload=lambda b, a: {
                "matching_id": str(row.id),
                "program_id": str(row.program_id),
                "matched": result.matched,
                "unmatched": len(result.unmatched),
                "total_score": row.total_score,
                "greedy_score": row.greedy_score,
            },
        )

    async def fail(self, matching_id: uuid.UUID) -> None:
        row = await self.get(matching_id, lock=True)
        if row.status == "solving":
            before = {"status": row.status}
            row.status = "failed"
            await self.changes.updated(
                row,
                before=before,
                after=lambda r: {"status": r.status},
                entity_type=ENTITY,
                agency_code=row.agency_code,
            )

    # --- publishing -------------------------------------------------------------------------

    async def publish(self, row: Matching) -> Matching:
        self.principal.require_agency(row.agency_code)
        row = await self.get(row.id, lock=True)
        if row.status != "proposed":
            raise Conflict(
                f"Only a proposed run can be published; this one is {row.status}",
                detail_id=f"Hanya hasil yang berstatus diusulkan yang dapat dipublikasikan; "
                f"status hasil ini {row.status}",
                code="matching_not_proposed",
            )
        if await self.repository.newer_published(row):
            raise Conflict(
                "A newer run of this programme was published; run the matching again",
                detail_id="Hasil yang lebih baru dari program ini sudah dipublikasikan; "
                "jalankan pencocokan lagi",
                code="matching_stale",
            )
        before = {"status": row.status}
        superseded = await self.repository.supersede(row)
        row.status = "published"
        row.published_at = datetime.now(UTC)
        row.published_by = self.principal.subject
        count = await self.repository.count_matches(row.id)
        await self.changes.updated(
            row,
            before=before,
            after=lambda r: {"status": r.status},
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="mentoring.matching.published",
            payload=lambda b, a: {
                "matching_id": str(row.id),
                "program_id": str(row.program_id),
                "matches": count,
                "superseded": [str(s) for s in superseded],
            },
        )
        return row

    # --- shortlist --------------------------------------------------------------------------

    async def shortlist(self, program: Program, nip: str, k: int) -> ShortlistOut:
        """The best ``k`` eligible mentors with room left for a mentee, with reasons. HR
        asks for anyone's; a mentee for their own (otherwise 404)."""
        if self.principal.role not in HR_ROLES and self.principal.subject != nip:
            raise NotFound()
        pool = await self.pool(program)
        at = pool.mentee_index()
        if nip not in at:
            raise NotFound()
        live = await self.repository.live_matches(program.id)
        mentor_at = {r[0].id: n for n, r in enumerate(pool.mentors)}
        room = pool.instance.mentors.capacity.copy()
        for m in live:
            if m.mentor_id in mentor_at:
                room[mentor_at[m.mentor_id]] -= 1
        i = at[nip]
        best = matching.shortlist(pool.instance, i, k, room)
        mentors = np.asarray([j for j, _ in best], dtype=np.int64)
        explained = matching.explain(pool.instance, np.full(len(best), i, dtype=np.int64), mentors)
        return ShortlistOut(
            program_id=program.id,
            mentee_nip=nip,
            items=[
                ShortlistEntry(
                    mentor_nip=pool.mentors[j].nip,
                    mentor_name=pool.mentors[j].name,
                    score=round(s, 4),
                    parts={p: round(v, 4) for p, v in why["parts"].items()},
                    free_capacity=int(room[j]),
                    reasons=_reasons(
                        why, pool.instance.weights, pool, i, j, pinned=False, kept=False
                    ),
                )
                for (j, s), why in zip(best, explained, strict=True)
            ],
        )


def _top_k(pool: Pool) -> int | None:
    return TOP_K if len(pool.mentees) * len(pool.mentors) > FULL_GRAPH_PAIRS else None


def match_out(r: Row[Any]) -> MatchOut:
    m: Match = r.Match
    return MatchOut(
        id=m.id,
        program_id=m.program_id,
        matching_id=m.matching_id,
        mentor_nip=r.mentor_nip,
        mentor_name=r.mentor_name,
        mentee_nip=r.mentee_nip,
        mentee_name=r.mentee_name,
        state=m.state,
        pinned=m.pinned,
        score=m.score,
        parts=m.parts,
        reasons=[MatchReason(**x) for x in m.reasons],
        mentor_response=m.mentor_response,
        mentee_response=m.mentee_response,
        started_on=m.started_on,
        ended_on=m.ended_on,
        levels_before=m.levels_before,
        levels_after=m.levels_after,
        version=m.version,
    )


async def solve_matching(
    sessionmaker: async_sessionmaker[AsyncSession],
    params: dict[str, Any],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The job's work: read the pool (one short transaction), score and solve outside any
    transaction (in a thread, reporting progress per block of mentees), store (another).
    A failure marks the run ``failed`` and fails the job."""
    principal = Principal.from_job_params(params["actor"])
    matching_id = uuid.UUID(str(params["matching_id"]))
    loop = asyncio.get_running_loop()

    def relay(done: int, total: int) -> None:
        if progress is not None:
            asyncio.run_coroutine_threadsafe(progress(done, total + 1), loop).result()

    try:
        async with unit_of_work(sessionmaker) as session:
            service = MatchingService(session, principal)
            row = await service.get(matching_id)
            if row.status != "solving":
                return {"matching_id": str(matching_id), "status": row.status}
            pool = await service.pool_for(row)
        started = time.perf_counter()
        result = await asyncio.to_thread(
            matching.match, pool.instance, top_k=_top_k(pool), progress=relay
        )
        async with unit_of_work(sessionmaker) as session:
            service = MatchingService(session, principal)
            row = await service.get(matching_id, lock=True)
            await service.store(row, pool, result, time.perf_counter() - started)
        if progress is not None:
            await progress(len(pool.mentees) + 1, len(pool.mentees) + 1)
        return {
            "matching_id": str(matching_id),
            "status": "proposed",
            "matched": result.matched,
            "unmatched": len(result.unmatched),
        }
    except Exception:
        async with unit_of_work(sessionmaker) as session:
            await MatchingService(session, principal).fail(matching_id)
        raise
