"""Rotation rounds: recorded, solved (in the request, or as a ``rotations.round`` job when
large), read with their placements, approved, rejected, and enacted in one transaction.

Solving: the fit inputs of the pool and the rows (vacancies and, with ``include_vacated``,
the positions eligible candidates hold), every hard rule as one ``allowed`` matrix, the
exact proposal and the greedy baseline of ``assignment``, and an explanation per row.
Conflicts of interest are judged as things stand after the round, counting who is placed
and who stays: no close relatives in a direct supervisor/subordinate pair, nobody directly
under someone who reports directly to them today (``_conflicts``; enacting checks again
with ``rules.conflicts_after``).
"""

import gc
import os
import time
import uuid
from collections import defaultdict
from collections.abc import (
    AsyncGenerator,
    Awaitable,
    Callable,
    Iterator,
    Sequence,
)
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import anyio
import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.db import unit_of_work
from asn_career.core.errors import AppError, Conflict, NotFound, field_problem
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.runner import JobQueue
from asn_career.core.jobs.service import JobService
from asn_career.core.pagination import PageRequest
from asn_career.core.sheets import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    Download,
    bytes_download,
    csv_body,
    file_chunks,
    spool_xlsx,
)
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.histories.schemas import AssignmentCreate, AssignmentUpdate
from asn_career.profiles.histories.service import AssignmentService
from asn_career.profiles.models import Assignment
from asn_career.rotations import assignment, rules, scoring
from asn_career.rotations.fit.service import FitService, Loaded, fit_points
from asn_career.rotations.models import Round
from asn_career.rotations.policy.service import PolicyService
from asn_career.rotations.rounds import letters
from asn_career.rotations.rounds.repository import RoundRepository
from asn_career.rotations.rounds.schemas import Decision, PlacementOut, RoundCreate, RoundOut

JOB_KIND: Final = "rotations.round"
ENTITY: Final = "rotation_round"
INLINE_PAIRS: Final = 250_000
"""Rounds with more (rows × candidates) pairs are solved as a job."""

Progress = Callable[[int, int | None], Awaitable[None]]

EXCLUSIONS: Final = (
    "ineligible",
    "rank_out_of_range",
    "own_position",
    "forbidden",
    "conflict_of_interest",
    "below_min_fit",
)
EXCLUSION_TEXT: Final = {
    "ineligible": ("not eligible under the policy", "tidak memenuhi syarat kebijakan"),
    "rank_out_of_range": ("rank outside the position's range", "pangkat di luar rentang jabatan"),
    "own_position": ("their own position", "jabatannya sendiri"),
    "forbidden": ("a forbidden pair", "pasangan yang dilarang"),
    "conflict_of_interest": ("a conflict of interest", "konflik kepentingan"),
    "below_min_fit": ("fit below the minimum", "kecocokan di bawah minimum"),
    "conflict_in_round": (
        "a conflict of interest with another outcome of this round",
        "konflik kepentingan dengan hasil lain putaran ini",
    ),
}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (back on after, if it was on).

    A round creates some 100,000 short-lived containers (the records of thousands of
    people and positions, a dict per part and per placement), freed by reference counting
    alone; meanwhile the collector kept walking them (and, in its full collections, the
    whole heap) to find cycles there are none of. Measured on the 2,000 × 5,000 bench:
    eligibility, the positions and explaining took about half as long with it paused.
    Process-wide while a round solves (under a second), so concurrent requests run
    without it meanwhile: they still free by reference counting, and the collector finds
    any cycles once back on. Rounds overlapping each other: the one that paused it first
    (found it on) turns it back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def round_out(r: Round) -> RoundOut:
    return RoundOut.model_validate(
        {
            **{k: getattr(r, k) for k in RoundOut.model_fields if hasattr(r, k)},
            "min_fit": float(r.options.get("min_fit", 0)),
        }
    )


def _solved_state(r: Round) -> dict[str, Any]:
    """What solving changes, for its audit row: everything but the options (the pool of
    thousands of NIPs, unchanged by solving, copied and compared for nothing)."""
    return snapshot(r, exclude=("options",))


def _payload(before: Any, after: Any) -> dict[str, Any]:
    after = after or {}
    keys = ("agency_code", "name", "status", "effective_date", "objective", "greedy_objective")
    return {k: after.get(k) for k in keys} | {"figures": after.get("figures")}


def _breakdowns(parts: dict[str, np.ndarray], weights: Any) -> list[list[dict[str, Any]]]:
    """Per pair, its parts as ``fit.service.parts_out`` gives them (as plain dicts, without
    a model per part: a round explains thousands)."""
    w = scoring.normalised(weights)
    names = rules.FIT_PARTS
    shown = [round(w[name], 4) for name in names]
    factors = [100 * w[name] for name in names]  # (100 * w) * v: the same float as before
    columns = [parts[name].astype(np.float64).tolist() for name in names]
    return [
        [
            {"name": name, "score": round(v, 4), "weight": weight, "contribution": round(f * v, 2)}
            for name, v, weight, f in zip(names, values, shown, factors, strict=True)
        ]
        for values in zip(*columns, strict=True)
    ]


class Exclusions:
    """The pairs (row, candidate) each rule of ``EXCLUSIONS`` excludes, kept small: the
    ineligible by candidate, the rank range as the dense in-range matrix (when the policy
    enforces it), the minimum fit against the fit matrix, the rest as sets of pairs."""

    def __init__(self, rows: int, ineligible: np.ndarray, in_range: np.ndarray | None) -> None:
        self.rows = rows
        self.ineligible = ineligible
        self.in_range = in_range
        self.pairs: dict[str, set[tuple[int, int]]] = {
            k: set() for k in ("own_position", "forbidden", "conflict_of_interest")
        }
        self.fit: np.ndarray | None = None
        self.min_fit = 0.0
        self._allowed: np.ndarray | None = None

    def add(self, rule: str, row: int, column: int) -> None:
        self.pairs[rule].add((row, column))
        self._allowed = None

    def allowed(self) -> np.ndarray:
        """Rows × candidates: the pairs no rule but the minimum fit excludes."""
        if self._allowed is None:
            eligible = ~self.ineligible
            if self.in_range is not None:
                allowed = self.in_range & eligible[None, :]
            else:
                allowed = np.repeat(eligible[None, :], self.rows, axis=0)
            for found in self.pairs.values():
                if found:
                    rr, cc = np.array(sorted(found), dtype=np.int64).T
                    allowed[rr, cc] = False
            self._allowed = allowed
        return self._allowed

    def set_min_fit(self, fit: np.ndarray, min_fit: float) -> None:
        self.fit, self.min_fit = fit, min_fit

    def holds(self, rule: str, row: int, column: int) -> bool:
        if rule == "ineligible":
            return bool(self.ineligible[column])
        if rule == "rank_out_of_range":
            return (
                self.in_range is not None
                and not self.in_range[row, column]
                and not self.ineligible[column]
            )
        if rule == "below_min_fit":
            return (
                self.fit is not None
                and bool(self.allowed()[row, column])
                and float(self.fit[row, column]) < self.min_fit
            )
        return (row, column) in self.pairs[rule]

    def per_row(self) -> dict[str, np.ndarray]:
        """Per rule, how many candidates it excludes from each row."""
        rows = self.rows
        eligible = ~self.ineligible
        out = {k: np.zeros(rows, dtype=np.int64) for k in EXCLUSIONS}
        out["ineligible"][:] = int(self.ineligible.sum())
        if self.in_range is not None:
            inside = np.count_nonzero(self.in_range & eligible[None, :], axis=1)
            out["rank_out_of_range"] = int(eligible.sum()) - inside.astype(np.int64)
        for rule, found in self.pairs.items():
            if found:
                out[rule] = np.bincount([r for r, _ in found], minlength=rows).astype(np.int64)
        if self.fit is not None and self.min_fit > 0:
            below = self.allowed() & (self.fit < self.min_fit)
            out["below_min_fit"] = below.sum(axis=1)
        return out


class RoundService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = RoundRepository(session)
        self.changes = ChangeRecorder(session, principal)
        self.policies = PolicyService(session, principal)
        self.fit = FitService(session, principal)

    async def get_visible(self, round_id: uuid.UUID, *, lock: bool = False) -> Round:
        row = await self.repository.get_visible(self.principal, round_id, lock=lock)
        if row is None:
            raise NotFound(code="rotation_round_not_found")
        return row

    async def list_page(
        self, agency: str | None, status: str | None, page: PageRequest
    ) -> tuple[list[RoundOut], str | None]:
        rows, cursor = await self.repository.list_page(self.principal, agency, status, page)
        return [round_out(r) for r in rows], cursor

    # --- proposing --------------------------------------------------------------------

    async def create(self, queue: JobQueue | None, body: RoundCreate) -> tuple[Round, Job | None]:
        """Record the round; solve it now, or as a job when it is large (and a queue is
        given: the demo generator solves in place). The checks read thousands of NIPs and
        positions too: the collector is paused from the start (``collector_paused``)."""
        with collector_paused():
            return await self._create(queue, body)

    async def _create(self, queue: JobQueue | None, body: RoundCreate) -> tuple[Round, Job | None]:
        await self.policies.agency(body.agency_code)
        if body.decree_date is not None and body.decree_date > body.effective_date:
            raise field_problem(
                "decree_date",
                "decree_date is after effective_date.",
                "Tanggal SK setelah TMT.",
                "date_order",
            )
        nips = set(body.pool or []) | {p.nip for p in body.pinned} | {p.nip for p in body.forbidden}
        known = await self.repository.employees_by_nip(body.agency_code, sorted(nips))
        unknown = sorted(nips - set(known))
        if unknown:
            raise field_problem(
                "pool",
                f"Not employees of {body.agency_code}: {', '.join(unknown[:10])}",
                f"Bukan pegawai {body.agency_code}: {', '.join(unknown[:10])}",
                "unknown_nip",
            )
        positions = (
            set(body.vacancy_ids or [])
            | {p.position_id for p in body.pinned}
            | {p.position_id for p in body.forbidden}
        )
        found = (
            {
                p.id
                for p in await self.fit.repository.positions(
                    body.agency_code, today_in_indonesia(), sorted(positions)
                )
            }
            if positions
            else set()
        )
        missing = sorted(str(p) for p in positions - found)
        if missing:
            raise field_problem(
                "vacancy_ids",
                f"Not positions of {body.agency_code}: {', '.join(missing[:10])}",
                f"Bukan jabatan {body.agency_code}: {', '.join(missing[:10])}",
                "unknown_position",
            )
        if body.vacancy_ids:
            held = await self.fit.repository.open_primary_holders(body.vacancy_ids)
            if held:
                listed = ", ".join(sorted(str(p) for p in held)[:10])
                raise field_problem(
                    "vacancy_ids", f"Not vacant: {listed}", f"Tidak lowong: {listed}", "not_vacant"
                )
        for name, pairs in (("pinned", body.pinned), ("forbidden", body.forbidden)):
            seen_n, seen_p = [p.nip for p in pairs], [p.position_id for p in pairs]
            if name == "pinned" and (
                len(set(seen_n)) < len(seen_n) or len(set(seen_p)) < len(seen_p)
            ):
                raise field_problem(
                    "pinned",
                    "A person or a position is pinned twice.",
                    "Seorang pegawai atau jabatan dipasangkan dua kali.",
                    "duplicate",
                )
        options = body.model_dump(
            mode="json",
            exclude={"agency_code", "name", "effective_date", "decree_number", "decree_date"},
        )
        row = Round(
            id=uuid.uuid4(),
            agency_code=body.agency_code,
            name=body.name,
            effective_date=body.effective_date,
            decree_number=body.decree_number,
            decree_date=body.decree_date,
            options=options,
            status="solving",
        )
        self.repository.add(row)
        await self.changes.created(
            row, after=snapshot, entity_type=ENTITY, agency_code=row.agency_code
        )
        size = await self._size(row)
        if queue is not None and size > INLINE_PAIRS:
            params = {"round_id": str(row.id), "actor": self.principal.as_job_params()}
            job = await JobService(self.session, self.principal).submit(
                queue, JOB_KIND, params, row.agency_code
            )
            row.job_id = job.id
            return row, job
        await self.solve(row)
        return row, None

    async def _size(self, row: Round) -> int:
        o = row.options
        policy = await self.policies.effective(row.agency_code)
        today = today_in_indonesia()
        pool = (
            len(o["pool"])
            if o.get("pool") is not None
            else len(
                await self.fit.eligibility.standings(row.agency_code, policy, today, eligible=True)
            )
        )
        vacancies = (
            len(o["vacancy_ids"])
            if o.get("vacancy_ids") is not None
            else len(await self.fit.repository.positions(row.agency_code, today, vacant_only=True))
        )
        return (vacancies + (pool if o.get("include_vacated") else 0)) * pool

    async def solve(self, row: Round, progress: Progress | None = None) -> Round:
        """Solve a ``solving`` round in this transaction and store its proposal (``draft``),
        with the cyclic garbage collector paused (``collector_paused``)."""
        with collector_paused():
            return await self._solve(row, progress)

    async def _solve(self, row: Round, progress: Progress | None) -> Round:
        started = time.perf_counter()
        o = row.options
        policy = await self.policies.effective(row.agency_code)
        today = today_in_indonesia()
        if o.get("pool") is not None:
            ids = await self.repository.employees_by_nip(row.agency_code, o["pool"])
            people = await self.fit.eligibility.standings(
                row.agency_code, policy, today, employee_ids=list(ids.values())
            )
        else:
            people = await self.fit.eligibility.standings(
                row.agency_code, policy, today, eligible=True
            )
        everything = await self.fit.repository.positions(row.agency_code, today)
        by_id = {p.id: p for p in everything}
        if o.get("vacancy_ids") is not None:
            vacancies = [uuid.UUID(v) for v in o["vacancy_ids"]]
        else:
            vacancies = [p.id for p in everything if p.holder_id is None and not p.is_shared]
        vacated = []
        if o.get("include_vacated"):
            vacated = sorted(
                {
                    p["position_id"]
                    for p in people
                    if not p["reasons"]
                    and p["position_id"] in by_id
                    and not by_id[p["position_id"]].is_shared
                    and by_id[p["position_id"]].holder_id == p["employee_id"]
                }
                - set(vacancies)
            )
        if progress:
            await progress(1, 5)
        loaded = await self.fit.load(
            row.agency_code,
            policy,
            today,
            people=people,
            positions=[by_id[p] for p in vacancies + vacated],
        )
        if progress:
            await progress(2, 5)
        fit, in_range = scoring.fit_grid(loaded.inputs, policy.weights)  # rows × candidates
        masks = self._masks(row, loaded, in_range, policy.enforce_grade_range)
        links = await self._conflicts(loaded, by_id, masks)
        min_fit = float(o.get("min_fit", 0)) / 100
        allowed = masks.allowed()
        masks.set_min_fit(fit, min_fit)
        pinned = self._pinned(row, loaded, allowed, masks)
        vacated_set = set(vacated)
        stay = [
            (loaded.position_index[p["position_id"]], loaded.person_index[p["employee_id"]])
            for p in loaded.people
            if p["position_id"] in vacated_set
        ]
        problem = assignment.Problem(fit, allowed, min_fit, pinned, stay, links=links)
        if min_fit <= 0:  # every fit is at least 0: the allowed pairs are the usable ones
            problem.cache["usable"] = allowed
        assignment.usable(problem)  # once, before the two solvers share it
        if progress:
            await progress(3, 5)
        exact, greedy = await self._solve_both(problem)
        base = greedy if greedy is not None else exact  # the baseline gave up: shown as such
        solved = time.perf_counter()
        if progress:
            await progress(4, 5)
        placements, figures = self._explain(
            loaded, problem, masks, exact, base, set(vacated), policy.weights
        )
        await self.repository.add_placements(row.id, placements)
        before = _solved_state(row)
        row.status = "draft"
        row.objective = round(100 * exact.objective, 2)
        row.greedy_objective = round(100 * base.objective, 2)
        row.figures = figures | {
            "greedy_gave_up": greedy is None,
            "solve_seconds": round(solved - started, 3),
            "total_seconds": round(time.perf_counter() - started, 3),
        }
        await self.changes.updated(
            row,
            before=before,
            after=_solved_state,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="rotation.round.proposed",
            payload=_payload,
        )
        if progress:
            await progress(5, 5)
        return row

    async def _solve_both(
        self, problem: assignment.Problem
    ) -> tuple[assignment.Solution, assignment.Solution | None]:
        """The exact placement and the greedy baseline (None when the greedy cannot honour
        a pin's conflict), one after the other in a worker thread, so that the event loop
        stays free. (Side by side in two threads was no faster on two busy cores, and with
        movers the solve took four times as long beside the greedy as alone.)"""

        def both() -> tuple[assignment.Solution | None, assignment.Solution | None]:
            try:
                exact = assignment.solve(problem)
            except assignment.Infeasible:
                return None, None
            try:
                return exact, assignment.greedy(problem)
            except assignment.Infeasible:  # the greedy cannot mend a pin's conflict
                return exact, None

        best, greedy = await anyio.to_thread.run_sync(both)
        if best is None:
            raise field_problem(
                "pinned",
                "The pinned pairs make a conflict of interest that no placement avoids.",
                "Pasangan yang ditetapkan menimbulkan konflik kepentingan yang tidak dapat "
                "dihindari.",
                "pinned_conflict",
            )
        return best, greedy

    def _masks(
        self,
        row: Round,
        loaded: Loaded,
        in_range: np.ndarray,
        enforce_range: bool,
    ) -> "Exclusions":
        """The pairs each hard rule excludes (rows × candidates)."""
        ineligible = np.array([bool(p["reasons"]) for p in loaded.people], dtype=np.bool_)
        masks = Exclusions(len(loaded.positions), ineligible, in_range if enforce_range else None)
        for i, p in enumerate(loaded.people):
            j = loaded.position_index.get(p["position_id"])
            if j is not None:
                masks.add("own_position", j, i)
        nip_index = {p["nip"]: i for i, p in enumerate(loaded.people)}
        for pair in row.options.get("forbidden", []):
            fi = nip_index.get(pair["nip"])
            fj = loaded.position_index.get(uuid.UUID(pair["position_id"]))
            if fi is not None and fj is not None:
                masks.add("forbidden", fj, fi)
        return masks

    async def _conflicts(
        self, loaded: Loaded, by_id: dict[uuid.UUID, Any], masks: Exclusions
    ) -> assignment.Links:
        """Conflicts of interest as they stand after the round: close relatives never in a
        direct supervisor/subordinate pair, and nobody directly under someone who reports
        directly to them today, counting the people the round places and those who stay.
        Against someone outside the pool (who stays), the pairs are excluded in ``masks``;
        against a pool member it is a link between the two (``assignment.Links``: one per
        relation, never a pair per two rows of a reporting line), which the solver checks
        on each candidate placement and honours exactly."""
        sup = {p.id: p.reports_to_position_id for p in by_id.values()}
        today = {p.holder_id: p.id for p in by_id.values() if p.holder_id is not None}
        row_of, col_of = loaded.position_index, loaded.person_index
        number = dict(row_of)  # positions: the rows first, then every other
        for pid in by_id:
            number.setdefault(pid, len(number))
        parent = np.full(len(number), -1, dtype=np.int64)
        for pid, q in number.items():
            boss = sup.get(pid)
            if boss is not None and boss in number:
                parent[q] = number[boss]
        rows_under: dict[uuid.UUID, list[int]] = defaultdict(list)  # position → rows under it
        for j, pos in enumerate(loaded.positions):
            if pos.reports_to_position_id is not None:
                rows_under[pos.reports_to_position_id].append(j)
        links: dict[tuple[int, int], int] = defaultdict(int)

        def against(i: int, other: uuid.UUID, kind: int) -> None:
            """Column i may not end directly under (``UNDER``) / above (``ABOVE``) where
            the other person ends."""
            k, theirs = col_of.get(other), today.get(other)
            if k is not None:
                links[(i, k)] |= kind
                return
            if theirs is None:  # outside the pool: stays where they are
                return
            rows: list[int] = []
            if kind & assignment.UNDER:
                rows += rows_under.get(theirs, [])
            boss = sup.get(theirs)
            if kind & assignment.ABOVE and boss in row_of:
                rows.append(row_of[boss])
            for x in rows:
                masks.add("conflict_of_interest", x, i)

        both = assignment.UNDER | assignment.ABOVE
        for e, f in await self.repository.relatives(list(col_of)):
            if e in col_of:
                against(col_of[e], f, both)
        below: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)  # position → holders
        for p in by_id.values():
            if p.reports_to_position_id is not None and p.holder_id is not None:
                below[p.reports_to_position_id].append(p.holder_id)
        for person in loaded.people:
            own = today.get(person["employee_id"])
            if own is None:
                continue
            i = col_of[person["employee_id"]]
            for sub in below.get(own, []):  # not directly under their subordinate of today
                against(i, sub, assignment.UNDER)
            boss = sup.get(own)
            if boss is not None and by_id[boss].holder_id is not None:  # nor above their boss
                against(i, by_id[boss].holder_id, assignment.ABOVE)
        home = np.full(len(loaded.people), -1, dtype=np.int64)
        for person in loaded.people:
            own = today.get(person["employee_id"])
            if own is not None and own in number:
                home[col_of[person["employee_id"]]] = number[own]
        pairs = sorted(links.items())
        return assignment.Links(
            parent=parent,
            home=home,
            first=np.array([i for (i, _), _ in pairs], dtype=np.int64),
            second=np.array([k for (_, k), _ in pairs], dtype=np.int64),
            kind=np.array([kind for _, kind in pairs], dtype=np.int64),
        )

    def _pinned(
        self, row: Round, loaded: Loaded, allowed: np.ndarray, masks: Exclusions
    ) -> list[tuple[int, int]]:
        nip_index = {p["nip"]: i for i, p in enumerate(loaded.people)}
        pinned = []
        for pair in row.options.get("pinned", []):
            i, j = (
                nip_index.get(pair["nip"]),
                loaded.position_index.get(uuid.UUID(pair["position_id"])),
            )
            if i is None or j is None:
                raise field_problem(
                    "pinned",
                    f"{pair['nip']} → {pair['position_id']}: not in the pool and the positions "
                    "of this round.",
                    f"{pair['nip']} → {pair['position_id']}: tidak termasuk kandidat dan "
                    "jabatan putaran ini.",
                    "pinned_outside_round",
                )
            if not allowed[j, i]:
                rule = next(k for k in EXCLUSIONS if masks.holds(k, j, i))
                en, id_ = EXCLUSION_TEXT[rule]
                raise field_problem(
                    "pinned",
                    f"{pair['nip']} → {pair['position_id']}: {en}.",
                    f"{pair['nip']} → {pair['position_id']}: {id_}.",
                    "pinned_not_allowed",
                )
            pinned.append((j, i))
        return pinned

    def _explain(
        self,
        loaded: Loaded,
        problem: assignment.Problem,
        masks: Exclusions,
        exact: assignment.Solution,
        base: assignment.Solution,
        vacated: set[uuid.UUID],
        weights: Any,
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        fit, usable = problem.fit, assignment.usable(problem)
        pinned = set(problem.pinned)
        stay_row = {c: r for r, c in problem.stay}
        kept_rows = {stay_row[c] for c in exact.stays}
        rows_placed = np.flatnonzero(exact.column_of >= 0)
        cols = exact.column_of[rows_placed]
        parts = scoring.pair_parts(loaded.inputs, cols, rows_placed)
        breakdown = _breakdowns(parts, weights)
        every = rows_placed.size == fit.shape[0]  # every row placed: no rows copied
        placed_fit, placed_usable = (
            (fit, usable) if every else (fit[rows_placed], usable[rows_placed])
        )
        better = np.greater(placed_fit, fit[rows_placed, cols][:, None])
        better &= placed_usable  # in place: one rows × candidates array, not two
        rank = (np.count_nonzero(better, axis=1) + 1).tolist()
        del better
        choices = np.count_nonzero(usable, axis=1).tolist()
        excluded = masks.per_row()
        per_row = list(zip(*(excluded[k].tolist() for k in EXCLUSIONS), strict=True))
        at = {int(r): t for t, r in enumerate(rows_placed)}
        placed_fit_values = fit[rows_placed, cols].astype(np.float64).tolist()
        holder_of = {stay_row[c]: c for c in exact.stays}  # kept row → its holder's column
        blocked = self._blocked(problem, exact, usable)
        column_of, greedy_of = exact.column_of.tolist(), base.column_of.tolist()
        out = []
        for j, pos in enumerate(loaded.positions):
            origin = "vacated" if pos.id in vacated else "vacancy"
            c = column_of[j]
            g = greedy_of[j]
            counts = {k: n for k, n in zip(EXCLUSIONS, per_row[j], strict=True) if n}
            if blocked[j]:
                counts["conflict_in_round"] = len(blocked[j])
            record: dict[str, Any] = {"origin": origin, "excluded": counts}
            person = loaded.people[c] if c >= 0 else None
            if person is not None:
                t = at[j]
                points = fit_points(placed_fit_values[t])
                outcome = "pinned" if (j, c) in pinned else "placed"
                record |= {
                    "outcome": outcome,
                    "parts": breakdown[t],
                }
                if outcome == "pinned":
                    en = f"Pinned by HR: {person['name']} (fit {points})."
                    id_ = f"Ditetapkan oleh BKPSDM: {person['name']} (kecocokan {points})."
                else:
                    en = (
                        f"{person['name']} (fit {points}) ranks #{rank[t]} of {choices[j]} "
                        "candidates here; this placement is part of the highest total fit."
                    )
                    id_ = (
                        f"{person['name']} (kecocokan {points}) berperingkat {rank[t]} dari "
                        f"{choices[j]} kandidat di sini; penempatan ini bagian dari total "
                        "kecocokan tertinggi."
                    )
            elif j in kept_rows:
                holder = loaded.people[holder_of[j]]
                record["outcome"] = "kept"
                en = f"Kept by its holder {holder['name']}: no move of theirs raises the total fit."
                id_ = (
                    f"Tetap dijabat {holder['name']}: tidak ada perpindahannya yang "
                    "menaikkan total kecocokan."
                )
            else:
                record["outcome"] = "empty"
                why = "; ".join(f"{n} {EXCLUSION_TEXT[k][0]}" for k, n in counts.items())
                why_id = "; ".join(f"{n} {EXCLUSION_TEXT[k][1]}" for k, n in counts.items())
                free = choices[j] - len(blocked[j])
                if free:
                    en = (
                        f"Left empty: its {free} possible candidates are placed where "
                        f"they add more to the total fit. Excluded: {why or 'none'}."
                    )
                    id_ = (
                        f"Dibiarkan kosong: {free} kandidat yang mungkin ditempatkan "
                        f"di tempat yang menambah total kecocokan lebih besar. Dikecualikan: "
                        f"{why_id or 'tidak ada'}."
                    )
                else:
                    en = (
                        f"Left empty: no candidate may take it. Excluded: {why or 'no candidates'}."
                    )
                    id_ = (
                        f"Dibiarkan kosong: tidak ada kandidat yang memenuhi. Dikecualikan: "
                        f"{why_id or 'tidak ada kandidat'}."
                    )
            if blocked[j]:
                names = ", ".join(
                    f"{loaded.people[i]['name']} ({loaded.people[k]['name']})"
                    for i, k in sorted(blocked[j].items())[:3]
                )
                more = len(blocked[j]) - 3
                en += (
                    " Not placed here for a conflict of interest with another outcome of this "
                    f"round (the relative, or the subordinate of today, in brackets): {names}"
                    + (f" and {more} more." if more > 0 else ".")
                )
                id_ += (
                    " Tidak ditempatkan di sini karena konflik kepentingan dengan hasil lain "
                    f"putaran ini (kerabat atau bawahan saat ini dalam kurung): {names}"
                    + (f" dan {more} lainnya." if more > 0 else ".")
                )
            record |= {"en": en, "id": id_}
            out.append(
                {
                    "ordinal": j + 1,
                    "position_id": pos.id,
                    "employee_id": person["employee_id"] if person is not None else None,
                    "from_position_id": person["position_id"] if person is not None else None,
                    "from_assignment_id": person["assignment_id"] if person is not None else None,
                    "fit": round(float(fit[j, c]) * 100, 2) if c >= 0 else None,
                    "greedy_employee_id": loaded.people[g]["employee_id"] if g >= 0 else None,
                    "explanation": record,
                }
            )
        placed = int((exact.column_of >= 0).sum())
        figures = {
            "vacancies": len(loaded.positions) - len(vacated),
            "vacated": len(vacated),
            "candidates": len(loaded.people),
            "placed": placed,
            "pinned": len(problem.pinned),
            "kept": len(kept_rows),
            "empty": len(loaded.positions) - placed - len(kept_rows),
            "greedy_placed": int((base.column_of >= 0).sum()),
            "same_as_greedy": int((base.column_of == exact.column_of).sum()),
            "excluded_pairs": {k: int(excluded[k].sum()) for k in EXCLUSIONS}
            | {"conflict_in_round": sum(len(b) for b in blocked.values())},
        }
        return out, figures

    @staticmethod
    def _blocked(
        problem: assignment.Problem, exact: assignment.Solution, usable: np.ndarray
    ) -> dict[int, dict[int, int]]:
        """Row → the usable columns a conflict of the round kept off it → the other side's
        column: the pairs the proposal leaves out because the other side of their conflict
        holds."""
        placed = {(int(r), int(c)) for r, c in enumerate(exact.column_of) if c >= 0}
        moved = {c for _, c in placed}

        def holds(x: assignment.Pair) -> bool:
            return x in placed if x[0] >= 0 else x[1] not in moved

        blocked: dict[int, dict[int, int]] = defaultdict(dict)
        if problem.links is not None:
            for x, found in assignment.link_blocked(problem.links, exact.column_of, usable).items():
                blocked[x].update(found)
        for a, b in problem.conflicts:
            if holds(b) and not holds(a) and usable[a]:
                blocked[a[0]].setdefault(a[1], b[1])
            elif b[0] >= 0 and holds(a) and not holds(b) and usable[b]:
                blocked[b[0]].setdefault(b[1], a[1])
        return blocked

    async def fail(self, round_id: uuid.UUID) -> None:
        row = await self.get_visible(round_id, lock=True)
        if row.status == "solving":
            before = snapshot(row)
            row.status = "failed"
            await self.changes.updated(
                row, before=before, after=snapshot, entity_type=ENTITY, agency_code=row.agency_code
            )

    # --- reading ----------------------------------------------------------------------

    async def placements_page(
        self, row: Round, page: PageRequest
    ) -> tuple[list[PlacementOut], str | None]:
        rows, cursor = await self.repository.placements_page(row.id, page)
        items = []
        for p, code, title, nip, name, greedy_nip in rows:
            e = p.explanation
            items.append(
                PlacementOut(
                    ordinal=p.ordinal,
                    position_id=p.position_id,
                    position_code=code,
                    position_title=title,
                    origin=e["origin"],
                    outcome=e["outcome"],
                    nip=nip if e["outcome"] in ("placed", "pinned") else None,
                    name=name if e["outcome"] in ("placed", "pinned") else None,
                    from_position_id=p.from_position_id,
                    fit=p.fit,
                    parts=e.get("parts"),
                    greedy_nip=greedy_nip,
                    explanation=e["en"],
                    explanation_id=e["id"],
                    excluded=e["excluded"],
                )
            )
        return items, cursor

    # --- the decision letter list ---------------------------------------------------

    async def letters(self, row: Round, fmt: str) -> Download:
        """The round's moves as the decree's attachment: CSV, XLSX or PDF."""
        heading = letters.Heading(
            agency_name=await self.repository.agency_name(row.agency_code),
            round_name=row.name,
            status=row.status,
            effective_date=row.effective_date,
            decree_number=row.decree_number,
            decree_date=row.decree_date,
        )
        found = [
            letters.Letter(
                nip=r.nip,
                name=r.name,
                rank=r.rank_code,
                from_position=r.from_title,
                from_unit=r.from_unit,
                to_position=r.to_title,
                to_unit=r.to_unit,
                fit=r.fit,
            )
            for r in await self.repository.letter_rows(row.id)
        ]
        name = f"rotation-round-{row.id}.{fmt}"
        if fmt == "pdf":
            pdf = await anyio.to_thread.run_sync(letters.render_pdf, heading, found)
            return bytes_download(name, "application/pdf", pdf)
        rows = letters.cells(heading, found)

        async def batches() -> AsyncGenerator[Sequence[Sequence[Any]]]:
            yield rows

        if fmt == "csv":
            return Download(name, CSV_MEDIA_TYPE, csv_body(letters.COLUMNS, batches()), None)
        spooled = await spool_xlsx("letters", letters.COLUMNS, batches(), lambda: len(rows))
        size = os.fstat(spooled.fileno()).st_size
        return Download(name, XLSX_MEDIA_TYPE, file_chunks(spooled), size)

    # --- deciding ---------------------------------------------------------------------

    async def _transition(
        self, row: Round, allowed: tuple[str, ...], status: str, event: str, body: Decision
    ) -> Round:
        row = await self.get_visible(row.id, lock=True)
        if row.status not in allowed:
            raise Conflict(
                f"The round is {row.status}; it must be {' or '.join(allowed)}.",
                detail_id=f"Putaran berstatus {row.status}; harus {' atau '.join(allowed)}.",
                code="rotation_round_state",
            )
        before = snapshot(row)
        row.status = status
        row.decided_by = self.principal.subject
        row.decided_at = datetime.now(UTC)
        if body.note:
            row.figures = {**row.figures, "note": body.note}
        await self.changes.updated(
            row,
            before=before,
            after=snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event=event,
            payload=_payload,
        )
        return row

    async def approve(self, row: Round, body: Decision) -> Round:
        return await self._transition(
            row, ("draft",), rules.PLANNED_ROUND_STATUS, "rotation.round.approved", body
        )

    async def reject(self, row: Round, body: Decision) -> Round:
        return await self._transition(
            row, ("draft", rules.PLANNED_ROUND_STATUS), "rejected", "rotation.round.rejected", body
        )

    async def enact(self, row: Round) -> Round:
        """Every move of an approved round on its effective date, in this transaction: all
        old primary assignments close first, then the new ones open, each through the
        assignments service. 409 ``rotation_round_stale`` (and nothing changed) when anyone
        moved, any target was filled, anyone left or is no longer eligible (a sanction,
        leave, the retirement buffer) since the round was solved, or when the moves would now
        make a conflict of interest (``rules.conflicts_after``: a relative recorded since,
        or a change of holders around the targets)."""
        row = await self.get_visible(row.id, lock=True)
        if row.status != rules.PLANNED_ROUND_STATUS:
            raise Conflict(
                f"The round is {row.status}; only an approved round is enacted.",
                detail_id=f"Putaran berstatus {row.status}; hanya putaran yang "
                "disetujui yang dapat ditetapkan.",
                code="rotation_round_state",
            )
        moves = await self.repository.moves(row.id)
        people = [m.employee_id for m in moves if m.employee_id is not None]
        current = await self.repository.open_primaries(people)
        stale = [
            str(m.employee_id)
            for m in moves
            if m.employee_id is None or current.get(m.employee_id) != m.from_assignment_id
        ]
        leaving = set(people)
        taken = [
            str(p)
            for p, e in await self.repository.open_holders([m.position_id for m in moves])
            if e not in leaving
        ]
        employees = await self.repository.employees(people)
        gone = [e.nip for e in employees.values() if e.status in ("retired", "dismissed")]
        policy = await self.policies.effective(row.agency_code)
        standings = await self.fit.eligibility.standings(
            row.agency_code, policy, today_in_indonesia(), employee_ids=people
        )
        barred = [s["nip"] for s in standings if s["reasons"]]
        positions = await self.fit.repository.positions(row.agency_code, today_in_indonesia())
        conflicted = rules.conflicts_after(
            {p.holder_id: p.id for p in positions if p.holder_id is not None},
            {m.employee_id: m.position_id for m in moves if m.employee_id is not None},
            {p.id: p.reports_to_position_id for p in positions},
            await self.repository.relatives(people),
        )
        if stale or taken or gone or barred or conflicted:
            raise Conflict(
                "Something moved since the round was solved: "
                f"{len(stale)} people changed position, {len(taken)} positions were filled, "
                f"{len(gone)} people left, {len(barred)} are no longer eligible (a sanction, "
                f"leave, retirement), {len(conflicted)} conflicts of interest (a close "
                "relative or a subordinate of today directly above or below). Solve a new "
                "round.",
                detail_id="Ada perubahan sejak putaran disusun: "
                f"{len(stale)} pegawai berpindah jabatan, {len(taken)} jabatan terisi, "
                f"{len(gone)} pegawai keluar, {len(barred)} tidak lagi memenuhi syarat "
                f"(hukuman disiplin, cuti, pensiun), {len(conflicted)} konflik kepentingan "
                "(kerabat dekat atau bawahan saat ini menjadi atasan atau bawahan langsung). "
                "Susun putaran baru.",
                code="rotation_round_stale",
            )
        assignments = AssignmentService(self.session, self.principal)
        try:
            for m in moves:
                if m.from_assignment_id is None:
                    continue
                employee = employees[m.employee_id]  # type: ignore[index]
                old = await self.session.get(Assignment, m.from_assignment_id)
                assert old is not None
                await assignments.update(
                    employee, old, AssignmentUpdate(end_date=row.effective_date - timedelta(days=1))
                )
            for m in moves:
                employee = employees[m.employee_id]  # type: ignore[index]
                await assignments.create(
                    employee,
                    AssignmentCreate(
                        position_id=m.position_id,
                        start_date=row.effective_date,
                        decree_number=row.decree_number,
                        decree_date=row.decree_date,
                        is_primary=True,
                    ),
                )
        except AppError as exc:
            raise Conflict(
                f"A move of the round breaks an assignment rule: {exc.detail or exc.code}",
                detail_id=f"Perpindahan dalam putaran melanggar aturan penugasan: "
                f"{exc.detail_id or exc.detail or exc.code}",
                code="rotation_round_stale",
            ) from exc
        before = snapshot(row)
        row.status = "enacted"
        row.enacted_at = datetime.now(UTC)
        await self.changes.updated(
            row,
            before=before,
            after=snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="rotation.round.enacted",
            payload=lambda b, a: _payload(b, a) | {"moves": len(moves)},
        )
        return row


async def solve_round(
    sessionmaker: async_sessionmaker[AsyncSession],
    params: dict[str, Any],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The job's work: solve a recorded round (one transaction); a failure marks it failed."""
    principal = Principal.from_job_params(params["actor"])
    round_id = uuid.UUID(str(params["round_id"]))
    try:
        async with unit_of_work(sessionmaker) as session:
            service = RoundService(session, principal)
            row = await service.get_visible(round_id, lock=True)
            if row.status != "solving":
                return {"round_id": str(round_id), "status": row.status}
            row = await service.solve(row, progress)
            return {
                "round_id": str(round_id),
                "status": row.status,
                "objective": row.objective,
                "greedy_objective": row.greedy_objective,
            }
    except Exception:
        async with unit_of_work(sessionmaker) as session:
            await RoundService(session, principal).fail(round_id)
        raise
