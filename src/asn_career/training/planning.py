"""The training plan under a budget, as a mixed-integer program solved by HiGHS. Pure: no I/O.

Given the needs (``rules.Need``), the courses and the budget, choose enrolments (a person on
a course) that maximise the priority-weighted gap closure, in batches that each run only
with their minimum participants and then cost their fixed cost once.

The formulation (``J`` candidate enrolments: a person eligible for a course that lifts a
competency they need, with a positive gap closed)::

    x_j ∈ {0,1}        the enrolment j = (person e, course c) is planned
    b_c ∈ ℤ≥0          the number of batches of course c
    r_e ∈ {0,1}        person e is reached (only when a rule or weight needs it)
    s_e ∈ {0,1}        person e gets two or more courses (no_second_before_larger_gap)
    p_i ∈ {0,1}        everyone among the i people with the largest gaps is reached (idem)
    q_e ∈ {0,1}        person e, below 20 JP, reaches 20 JP with the plan (coverage weight)

    max  Σ_j w_closure·v_j + Σ_e w_reach·r_e + Σ_e w_coverage·q_e
         v_j = Σ_k priority_ek · min(gap_ek, target_ck − current_ek)   (k: competencies of c)
    s.t. Σ_j cpp_c·x_j + Σ_c fixed_c·b_c ≤ budget
         min_c·b_c ≤ Σ_{j∈c} x_j ≤ max_c·b_c                      (every batch in [min, max])
         Σ_{j∈(e,k)} x_j ≤ 1           one course per person and competency in one plan
         Σ_{j∈e} hours_c·x_j ≤ cap     per-person hour cap (option)
         Σ_{j∈e, c∈K} x_j ≤ 1          K a clique of courses whose dates overlap (no clash)

The fairness rules, each selectable (``PlanOptions``):

- ``below_20jp_first``: lexicographic, in two solves. Solve 1 maximises the number of people
  below 20 JP reached; solve 2 maximises the objective with that number as a floor
  (``Σ_{e below 20} r_e ≥ N₁``). The bound and gap reported are solve 2's. When solve 1
  stops at its time limit, N₁ is the best number it found (the rule then holds against that
  number, not a proven maximum; ``PlanResult.lexicographic_proven`` says which). Above
  ``exact_up_to`` candidates, solve 1 is the greedy plan's first round (the greedy of the
  number reached) and its bound the most people below 20 JP the budget covers at their
  cheapest cost shares (cost per participant plus the fixed cost over the batch maximum),
  cheapest first: every plan pays at least that much for each person it reaches.
  ``model_size`` reports both (``below_20jp_reached``, ``below_20jp_bound``).
- ``no_second_before_larger_gap``: a person's gap is their largest need gap; a person is an
  eligible colleague when some candidate enrolment exists for them. With people sorted by
  gap (largest first), ``p_i ≤ p_{i−1}``, ``p_i ≤ r_(i)`` (p_i = everyone among the first i is
  reached) and ``s_e ≤ p_{i(e)}`` where i(e) is the number of people with a gap strictly
  larger than e's; ``Σ_{j∈e} x_j ≤ 1 + (n_e−1)·s_e``. Linear in the number of people. When
  the first i(e) people cost more than the budget at their cheapest shares, no plan reaches
  them all: e gets ``Σ_{j∈e} x_j ≤ 1`` and the chain stops before i(e) (the same plans).
- ``max_unit_share``: ``Σ_{e∈u} r_e ≤ share·R``, ``R = Σ_e r_e`` (by people, R a column of its
  own so that each unit's row holds only its people; ``x_j ≤ r_e`` keeps r exact, or
  ``Σ_{j∈e} x_j ≤ n_e·r_e`` on large instances) or ``Σ_{j∈u} cpp_c·x_j ≤ share·T``,
  ``T = Σ_j cpp_c·x_j`` (by cost: the per-participant part; a batch's fixed cost is shared
  across units and not attributed to one).
- ``min_per_unit``: ``Σ_{e∈u} r_e ≥ min(floor, people of u with a candidate)``.

The greedy baseline takes candidates by value per cost (per-participant cost plus the fixed
cost over the batch maximum), opens a batch only with its minimum participants at once, and
keeps the budget, batch sizes, hour cap, clashes and one-course-per-competency. With
``below_20jp_first`` a first round reaches people below 20 JP, one course each, cheapest
first; with ``no_second_before_larger_gap`` nobody gets a second course while a colleague
with a larger gap is unreached. It does not seek the unit share or floor (a plain greedy
cannot hold a share of a total still growing); its plan keeps them or not. Its plan is
handed to HiGHS as a start, so whenever it is feasible for the model (``_keeps_fairness``
says for the rules it does not seek), the solver's objective is at least the greedy one.

Up to ``PlanOptions.exact_up_to`` candidates (20,000) the whole MIP is solved by branch and
bound (proven optimal, or the best plan and HiGHS's bound at the time limit). Above, the
bound is the Lagrangian bound of the whole model for the duals of an LP restricted by column
generation, and the MIP is solved on a restriction chosen from that LP (see ``plan``;
``benchmarks/training_bench.py`` measures it).
"""

import math
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import highspy
import numpy as np

from asn_career.training.needs.rules import MISSING_LEVEL
from asn_career.training.rules import MIN_JP_PER_YEAR, Need

FLOOR: float = float(MIN_JP_PER_YEAR)


@dataclass(frozen=True)
class PlanCourse:
    """A course as the planner sees it. ``lifts``: competency id → the level it lifts to.
    ``eligible_position_kinds`` empty: every kind; ``eligible_ranks`` None: every rank."""

    id: uuid.UUID
    cost_per_participant: float
    fixed_cost_per_batch: float
    min_participants: int
    max_participants: int
    hours_jp: float
    lifts: Mapping[int, int]
    starts_on: date | None = None
    ends_on: date | None = None
    eligible_position_kinds: frozenset[str] = frozenset()
    eligible_ranks: frozenset[str] | None = None

    def eligible(self, position_kind: str | None, rank_code: str | None) -> bool:
        if self.eligible_position_kinds and position_kind not in self.eligible_position_kinds:
            return False
        return self.eligible_ranks is None or rank_code in self.eligible_ranks

    def clashes(self, other: "PlanCourse") -> bool:
        if None in (self.starts_on, self.ends_on, other.starts_on, other.ends_on):
            return False
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on  # type: ignore[operator]


@dataclass(frozen=True)
class Weights:
    closure: float = 1.0
    """Per unit of priority-weighted gap closed."""
    reach: float = 0.0
    """Per person reached."""
    coverage: float = 0.0
    """Per person below 20 JP whom the plan brings to 20 JP."""


@dataclass(frozen=True)
class PlanOptions:
    weights: Weights = field(default_factory=Weights)
    below_20jp_first: bool = False
    no_second_before_larger_gap: bool = False
    max_unit_share: float | None = None
    unit_share_by: Literal["people", "cost"] = "people"
    min_per_unit: int | None = None
    max_hours_per_person: float | None = None
    time_limit_s: float = 30.0
    mip_rel_gap: float = 0.0
    """0: solve to proven optimality (or the time limit)."""
    restricted_size: int = 10_000
    """Candidates the decomposition's integer search keeps."""
    exact_up_to: int = 20_000
    """Up to this many candidate enrolments, the whole MIP is solved by branch and bound;
    above, the LP-bound decomposition of ``plan`` (see there)."""
    log: bool = False
    """HiGHS's log on standard output (the benchmark's ``--log``)."""


@dataclass(frozen=True)
class Enrolment:
    employee_id: uuid.UUID
    course_id: uuid.UUID
    batch: int
    competency_id: int
    """The need of the largest weighted closure this enrolment serves."""
    gap_closed: float
    priority: float
    cost_share: float
    """Cost per participant plus the fixed cost over the size of its batch."""
    value: float
    needs: tuple[dict[str, float | int], ...]
    """Every need it serves: competency, gap, gap closed, priority."""


@dataclass
class PlanResult:
    status: str
    """optimal (proven) | time_limit (stopped with a gap) | feasible (large instances: the
    restriction solved to its optimum, a gap to the whole model's bound) | infeasible |
    empty (no candidate enrolment)"""
    objective: float
    bound: float
    gap: float
    greedy_objective: float
    enrolments: list[Enrolment]
    figures: dict[str, Any]
    lexicographic_proven: bool | None = None
    solve_seconds: float = 0.0
    model_size: dict[str, int] = field(default_factory=dict)


@dataclass
class _Cand:
    person: int
    course: int
    value: float
    closures: list[tuple[int, float, float, float]]  # competency, gap, closed, priority


@dataclass
class _Person:
    id: uuid.UUID
    unit: uuid.UUID | None
    gender: str
    rank: str | None
    kind: str | None
    hours: float
    max_gap: float


def _people(needs: Sequence[Need]) -> tuple[list[_Person], dict[uuid.UUID, int]]:
    people: list[_Person] = []
    index: dict[uuid.UUID, int] = {}
    for n in needs:
        i = index.get(n.employee_id)
        if i is None:
            index[n.employee_id] = len(people)
            people.append(
                _Person(n.employee_id, n.unit_id, n.gender, n.rank_code, n.position_kind,
                        n.hours_this_year, n.gap)
            )  # fmt: skip
        else:
            p = people[i]
            p.max_gap = max(p.max_gap, n.gap)
            p.hours = max(p.hours, n.hours_this_year)
    return people, index


def candidates(
    needs: Sequence[Need],
    courses: Sequence[PlanCourse],
    current_levels: Mapping[tuple[uuid.UUID, int], float] | None = None,
    exclude: Collection[tuple[uuid.UUID, uuid.UUID]] = (),
) -> tuple[list[_Person], list[_Cand]]:
    """Every (person, course) pair worth planning: eligible, not in ``exclude`` (employee,
    course: already enrolled), and closing some gap: up to the course's target from the
    current level, an unassessed competency counting as ``MISSING_LEVEL`` as the needs
    computation counts it. Without ``current_levels`` at all, a course is taken to close
    the whole gap."""
    people, index = _people(needs)
    by_person: dict[int, dict[int, Need]] = defaultdict(dict)
    for n in needs:
        if n.gap > 0:
            by_person[index[n.employee_id]][n.competency_id] = n
    by_comp: dict[int, list[int]] = defaultdict(list)
    for ci, c in enumerate(courses):
        for k in c.lifts:
            by_comp[k].append(ci)
    cands: list[_Cand] = []
    for pi, pneeds in by_person.items():
        p = people[pi]
        seen: set[int] = set()
        for k in pneeds:
            for ci in by_comp.get(k, ()):
                if ci in seen:
                    continue
                seen.add(ci)
                c = courses[ci]
                if not c.eligible(p.kind, p.rank) or (p.id, c.id) in exclude:
                    continue
                closures = []
                value = 0.0
                for kk, target in c.lifts.items():
                    need = pneeds.get(kk)
                    if need is None:
                        continue
                    # Unassessed counts as the needs computation counts it (MISSING_LEVEL).
                    cur = (
                        None
                        if current_levels is None
                        else current_levels.get((p.id, kk), MISSING_LEVEL)
                    )
                    closed = need.gap if cur is None else min(need.gap, target - cur)
                    if closed > 0:
                        closures.append((kk, need.gap, closed, need.priority))
                        value += need.priority * closed
                if value > 0:
                    cands.append(_Cand(pi, ci, value, closures))
    return people, cands


def _cliques(courses: Sequence[PlanCourse], idx: Iterable[int]) -> list[frozenset[int]]:
    """Maximal sets of courses whose dates pairwise overlap (an interval graph: at each
    start date, the courses running then)."""
    dated = [i for i in idx if courses[i].starts_on is not None and courses[i].ends_on is not None]
    out: set[frozenset[int]] = set()
    for i in dated:
        s = courses[i].starts_on
        k = frozenset(
            j for j in dated
            if courses[j].starts_on <= s <= courses[j].ends_on  # type: ignore[operator]
        )  # fmt: skip
        if len(k) > 1:
            out.add(k)
    return [k for k in out if not any(k < o for o in out)]


class _Model:
    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.integer: list[int] = []
        self.rlo: list[float] = []
        self.rhi: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def cols(self, n: int, cost: float | Sequence[float], hi: float, integer: bool = True) -> int:
        first = len(self.cost)
        self.cost.extend([cost] * n if isinstance(cost, (int, float)) else cost)
        self.lo.extend([0.0] * n)
        self.hi.extend([hi] * n)
        if integer:
            self.integer.extend(range(first, first + n))
        return first

    def row(self, terms: Iterable[tuple[int, float]], lo: float, hi: float) -> None:
        self.starts.append(len(self.index))
        for j, a in terms:
            self.index.append(j)
            self.value.append(a)
        self.rlo.append(lo)
        self.rhi.append(hi)

    def build(self, h: highspy.Highs) -> None:
        n = len(self.cost)
        h.addCols(n, np.array(self.cost, dtype=np.float64), np.array(self.lo), np.array(self.hi),
                  0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))  # fmt: skip
        if self.integer:
            ints = np.array(self.integer, dtype=np.int32)
            h.changeColsIntegrality(
                len(ints), ints,
                np.full(len(ints), highspy.HighsVarType.kInteger, dtype=np.uint8),
            )  # fmt: skip
        h.addRows(len(self.rlo), np.array(self.rlo), np.array(self.rhi), len(self.index),
                  np.array(self.starts, dtype=np.int32), np.array(self.index, dtype=np.int32),
                  np.array(self.value, dtype=np.float64))  # fmt: skip


INF = highspy.kHighsInf


class _Dual:
    """The Lagrangian bound of a model for given row multipliers (see ``plan``)."""

    def __init__(self, m: _Model) -> None:
        counts = np.diff(np.array([*m.starts, len(m.index)]))
        self.row_of = np.repeat(np.arange(len(m.rlo)), counts)
        self.index = np.array(m.index, dtype=np.int64)
        self.value = np.array(m.value)
        self.rlo, self.rhi = np.array(m.rlo), np.array(m.rhi)
        self.lo, self.hi = np.array(m.lo), np.array(m.hi)
        self.cost = np.array(m.cost)
        self.n = len(m.cost)

    def bound(self, y: np.ndarray[Any, np.dtype[np.float64]]) -> tuple[float, Any]:
        """min over ±y (the solver's sign convention aside) of the bound, and its d."""
        out: tuple[float, Any] = (math.inf, np.zeros(self.n))
        for sign in (1.0, -1.0):
            z = sign * y
            z = np.where(((z > 0) & np.isinf(self.rhi)) | ((z < 0) & np.isinf(self.rlo)), 0.0, z)
            d = self.cost - np.bincount(self.index, weights=self.value * z[self.row_of],
                                        minlength=self.n)  # fmt: skip
            rows = np.where(z > 0, z * np.where(np.isinf(self.rhi), 0.0, self.rhi),
                            z * np.where(np.isinf(self.rlo), 0.0, self.rlo))  # fmt: skip
            cols = np.where(d > 0, d * self.hi, d * self.lo)
            b = float(rows.sum() + cols.sum())
            if b < out[0]:
                out = (b, d)
        return out


def plan(
    needs: Sequence[Need],
    courses: Sequence[PlanCourse],
    budget: float,
    options: PlanOptions | None = None,
    current_levels: Mapping[tuple[uuid.UUID, int], float] | None = None,
    progress: Callable[[float], None] | None = None,
    exclude: Collection[tuple[uuid.UUID, uuid.UUID]] = (),
) -> PlanResult:
    """The optimal plan (or the best found within the time limit, with its proven bound)."""
    opts = options or PlanOptions()
    started = time.monotonic()
    deadline = started + opts.time_limit_s
    people, cands = candidates(needs, courses, current_levels, set(exclude))
    greedy_sel = greedy(people, cands, courses, budget, opts)
    greedy_obj = evaluate(people, cands, courses, greedy_sel, opts)
    if not cands:
        return PlanResult("empty", 0.0, 0.0, 0.0, 0.0, [],
                          figures(people, cands, courses, [], budget))  # fmt: skip
    if progress:
        progress(0.1)
    w = opts.weights
    m = _Model()
    n_cand = len(cands)
    x0 = m.cols(n_cand, [w.closure * c.value for c in cands], 1.0)
    used_courses = sorted({c.course for c in cands})
    by_course: dict[int, list[int]] = defaultdict(list)
    by_person: dict[int, list[int]] = defaultdict(list)
    for j, c in enumerate(cands):
        by_course[c.course].append(j)
        by_person[c.person].append(j)
    bcol: dict[int, int] = {}
    for ci in used_courses:
        ub = math.ceil(len(by_course[ci]) / courses[ci].min_participants)
        bcol[ci] = m.cols(1, 0.0, float(ub))
    # budget, in units of money that keep the coefficients near 1 (HiGHS's tolerances are
    # absolute: rupiah in the billions would be badly scaled)
    unit = max(1.0, budget / 1e4)
    spend = [(x0 + j, courses[c.course].cost_per_participant / unit) for j, c in enumerate(cands)]
    spend += [(bcol[ci], courses[ci].fixed_cost_per_batch / unit) for ci in used_courses]
    m.row([t for t in spend if t[1] != 0], -INF, budget / unit * (1 - 1e-9))
    # batches
    for ci in used_courses:
        members = [(x0 + j, 1.0) for j in by_course[ci]]
        pc = courses[ci]
        m.row([*members, (bcol[ci], -float(pc.max_participants))], -INF, 0.0)
        m.row([*members, (bcol[ci], -float(pc.min_participants))], 0.0, INF)
        if n_cand <= opts.exact_up_to and (pc.fixed_cost_per_batch or pc.min_participants > 1):
            for j in by_course[ci]:  # x_j ≤ b_c: valid, and it tightens the LP relaxation
                m.row([(x0 + j, 1.0), (bcol[ci], -1.0)], -INF, 0.0)
    # per person: one course per competency, hour cap, clashes
    for js in by_person.values():
        if len(js) < 2:
            continue
        per_comp: dict[int, list[int]] = defaultdict(list)
        for j in js:
            for k, *_ in cands[j].closures:
                per_comp[k].append(j)
        for group in per_comp.values():
            if len(group) > 1:
                m.row(((x0 + j, 1.0) for j in group), -INF, 1.0)
        if opts.max_hours_per_person is not None:
            hours = [courses[cands[j].course].hours_jp for j in js]
            if sum(hours) > opts.max_hours_per_person:
                m.row(((x0 + j, h) for j, h in zip(js, hours, strict=True)),
                      -INF, opts.max_hours_per_person)  # fmt: skip
        course_of = {cands[j].course: j for j in js}
        for clique in _cliques(courses, course_of):
            m.row(((x0 + course_of[ci], 1.0) for ci in clique), -INF, 1.0)
    for js in by_person.values():
        if len(js) == 1:
            h0 = courses[cands[js[0]].course].hours_jp
            if opts.max_hours_per_person is not None and h0 > opts.max_hours_per_person:
                m.hi[x0 + js[0]] = 0.0
    # reach
    persons = sorted(by_person)
    # no_second_before_larger_gap, people by gap (largest first). ``larger[pi]``: how many
    # people have a gap strictly larger than pi's. Reaching the first i people costs at
    # least the sum of their cheapest cost shares (cost per participant plus the fixed cost
    # over the batch maximum); when that exceeds the budget, no plan reaches them all, so
    # whoever has i people with a larger gap gets one course at most, exactly as the rule
    # says, and the chain p needs only the first ``reachable`` people.
    order, larger = _gap_order(people, persons)
    one_course: set[int] = set()
    if opts.no_second_before_larger_gap:
        cap = opts.max_hours_per_person
        cheapest = np.array([
            min((courses[cands[j].course].cost_per_participant
                 + courses[cands[j].course].fixed_cost_per_batch
                 / courses[cands[j].course].max_participants
                 for j in by_person[pi]
                 if cap is None or courses[cands[j].course].hours_jp <= cap), default=math.inf)
            for pi in order
        ])  # fmt: skip
        reachable = int(np.searchsorted(np.cumsum(cheapest), budget * (1 + 1e-9), "right"))
        one_course = {pi for pi in order if larger[pi] > reachable}
    need_r = bool(w.reach or opts.below_20jp_first or opts.no_second_before_larger_gap
                  or opts.max_unit_share is not None or opts.min_per_unit)  # fmt: skip
    rcol: dict[int, int] = {}
    if need_r:
        for pi in persons:
            rcol[pi] = m.cols(1, w.reach, 1.0)
            m.row([(rcol[pi], 1.0), *((x0 + j, -1.0) for j in by_person[pi])], -INF, 0.0)
            if opts.max_unit_share is not None and opts.unit_share_by == "people":
                js = by_person[pi]
                if n_cand <= opts.exact_up_to and pi not in one_course:
                    for j in js:  # x_j ≤ r_e: tighter, one row per candidate
                        m.row([(x0 + j, 1.0), (rcol[pi], -1.0)], -INF, 0.0)
                else:  # Σ_j x_j ≤ n_e·r_e: the same integer points, one row per person
                    n_e = 1.0 if pi in one_course else float(len(js))
                    m.row([*((x0 + j, 1.0) for j in js), (rcol[pi], -n_e)], -INF, 0.0)
    qcol: dict[int, int] = {}
    if w.coverage:
        for pi in persons:
            short = FLOOR - people[pi].hours
            if short > 0:
                qcol[pi] = m.cols(1, w.coverage, 1.0)
                m.row([(qcol[pi], short),
                       *((x0 + j, -courses[cands[j].course].hours_jp) for j in by_person[pi])],
                      -INF, 0.0)  # fmt: skip
    scol: dict[int, int] = {}
    pcol: list[int] = []
    if opts.no_second_before_larger_gap:
        needed = max((larger[pi] for pi in order if pi not in one_course), default=0)
        pcol = [m.cols(1, 0.0, 1.0) for _ in range(needed)]
        for i in range(needed):
            m.row([(pcol[i], 1.0), (rcol[order[i]], -1.0)], -INF, 0.0)
            if i:
                m.row([(pcol[i], 1.0), (pcol[i - 1], -1.0)], -INF, 0.0)
        for pi in order:
            js = by_person[pi]
            if len(js) < 2:
                continue
            if pi in one_course:
                m.row(((x0 + j, 1.0) for j in js), -INF, 1.0)
                continue
            scol[pi] = m.cols(1, 0.0, 1.0)
            m.row([*((x0 + j, 1.0) for j in js), (scol[pi], -(len(js) - 1.0))], -INF, 1.0)
            if larger[pi]:
                m.row([(scol[pi], 1.0), (pcol[larger[pi] - 1], -1.0)], -INF, 0.0)
    units: dict[uuid.UUID | None, list[int]] = defaultdict(list)
    for pi in persons:
        units[people[pi].unit].append(pi)
    total_col: int | None = None
    if opts.max_unit_share is not None and len(units) > 1:
        # One column for the total (people reached, or cost), so that each unit's row holds
        # only its own people: Σ_{e∈u} r_e ≤ share·total, total = Σ_e r_e.
        s = opts.max_unit_share
        total_col = m.cols(
            1, 0.0,
            float(len(persons)) if opts.unit_share_by == "people"
            else sum(courses[c.course].cost_per_participant / unit for c in cands),
            integer=opts.unit_share_by == "people",  # a count: no continuous part to complete
        )  # fmt: skip
        if opts.unit_share_by == "people":
            m.row([(total_col, 1.0), *((rcol[pi], -1.0) for pi in persons)], 0.0, 0.0)
            for unit_people in units.values():
                m.row([*((rcol[pi], 1.0) for pi in unit_people), (total_col, -s)], -INF, 0.0)
        else:
            m.row([(total_col, 1.0), *((x0 + j, -courses[c.course].cost_per_participant / unit)
                                       for j, c in enumerate(cands))], 0.0, 0.0)  # fmt: skip
            for unit_people in units.values():
                m.row([*((x0 + j, courses[cands[j].course].cost_per_participant / unit)
                         for pi in unit_people for j in by_person[pi]),
                       (total_col, -s)], -INF, 0.0)  # fmt: skip
    if opts.min_per_unit:
        for unit_people in units.values():
            m.row(((rcol[pi], 1.0) for pi in unit_people),
                  float(min(opts.min_per_unit, len(unit_people))), INF)  # fmt: skip

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", opts.log)
    h.setOptionValue("mip_rel_gap", opts.mip_rel_gap)
    h.setOptionValue("mip_abs_gap", 1e-9)
    h.setOptionValue("threads", 1)
    m.build(h)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    size = {"enrolment_candidates": n_cand, "columns": len(m.cost), "rows": len(m.rlo)}

    def start(selection: set[int]) -> None:
        col = np.zeros(len(m.cost))
        for j in selection:
            col[x0 + j] = 1.0
        count: dict[int, int] = defaultdict(int)
        per: dict[int, int] = defaultdict(int)
        for j in selection:
            count[cands[j].course] += 1
            per[cands[j].person] += 1
        for ci, bc in bcol.items():
            n = count.get(ci, 0)
            col[bc] = math.ceil(n / courses[ci].max_participants) if n else 0
        for pi, rc in rcol.items():
            col[rc] = 1.0 if per.get(pi) else 0.0
        for pi, qc in qcol.items():
            got = sum(courses[cands[j].course].hours_jp for j in by_person[pi] if j in selection)
            col[qc] = 1.0 if people[pi].hours + got >= FLOOR else 0.0
        for pi, sc in scol.items():
            col[sc] = 1.0 if per.get(pi, 0) >= 2 else 0.0
        ok = 1.0
        for i, pc_i in enumerate(pcol):
            ok = ok if per.get(order[i]) else 0.0
            col[pc_i] = ok
        if total_col is not None:
            col[total_col] = (
                float(len(per)) if opts.unit_share_by == "people"
                else sum(courses[cands[j].course].cost_per_participant / unit for j in selection)
            )  # fmt: skip
        h.setSolution(len(col), np.arange(len(col), dtype=np.int32), col)

    large = n_cand > opts.exact_up_to
    share = np.array([courses[c.course].cost_per_participant
                      + courses[c.course].fixed_cost_per_batch / courses[c.course].max_participants
                      for c in cands])  # fmt: skip
    cand_person = np.array([c.person for c in cands])
    # each candidate's rank among its person's candidates, cheapest first
    by_cost = np.lexsort((share, cand_person))
    first_of = np.searchsorted(cand_person[by_cost], cand_person[by_cost], "left")
    cheap_rank = np.empty(n_cand, dtype=np.int64)
    cheap_rank[by_cost] = np.arange(n_cand) - first_of
    every_x = np.arange(x0, x0 + n_cand, dtype=np.int32)
    hi_x = np.array(m.hi[x0 : x0 + n_cand])

    def limit(seconds: float, lp: bool = False) -> None:
        """The next run's time limit. HiGHS 1.16 measures an LP's against its clock over all
        runs of the model, a MIP's against the run's own."""
        h.setOptionValue("time_limit", max(0.5, seconds) + (h.getRunTime() if lp else 0.0))

    def restrict(mask: np.ndarray[Any, np.dtype[np.bool_]] | None) -> None:
        """Every x_j outside ``mask`` fixed at 0 (None: none)."""
        h.changeColsBounds(n_cand, every_x, np.zeros(n_cand),
                           hi_x if mask is None else np.where(mask, hi_x, 0.0))  # fmt: skip

    lex_proven: bool | None = None
    first = 0  # solve 1's number of people below 20 JP reached (the floor of solve 2)
    start_sel = greedy_sel  # the plan handed to the last solve as its start
    if opts.below_20jp_first:
        below = [pi for pi in persons if people[pi].hours < FLOOR]
        if below:
            idx = np.array([rcol[pi] for pi in below], dtype=np.int32)
            if large:
                # Solve 1 at this size is the greedy plan's first round, the greedy of the
                # number reached, and its bound: any plan pays for each person it reaches at
                # least their cheapest cost share, so no plan reaches more people below
                # 20 JP than the budget covers at those shares, cheapest first.
                usable = hi_x > 0
                is_below = np.isin(cand_person, below)
                least = np.full(len(people), math.inf)
                np.minimum.at(least, cand_person[usable & is_below], share[usable & is_below])
                least = np.sort(least[np.isfinite(least)])
                upper1 = int(np.searchsorted(np.cumsum(least), budget * (1 + 1e-9), "right"))
                reached = {cands[j].person for j in greedy_sel}
                first = sum(1 for pi in below if pi in reached)
                lex_proven = first >= upper1
                size["below_20jp_reached"], size["below_20jp_bound"] = first, upper1
            else:
                h.changeColsCost(len(m.cost), np.arange(len(m.cost), dtype=np.int32),
                                 np.zeros(len(m.cost)))  # fmt: skip
                h.changeColsCost(len(idx), idx, np.ones(len(idx)))
                limit((deadline - time.monotonic()) / 3)
                start(greedy_sel)
                h.run()
                found = h.getInfo().primal_solution_status != 0
                first = round(h.getInfo().objective_function_value) if found else 0
                lex_proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
                if found:
                    sol1 = np.asarray(h.getSolution().col_value)
                    reached = {cands[j].person for j in greedy_sel}
                    if sum(1 for pi in below if pi in reached) < first:
                        # the greedy plan misses solve 1's number: solve 1's plan starts
                        start_sel = {j for j in range(n_cand) if sol1[x0 + j] > 0.5}
                h.changeColsCost(len(m.cost), np.arange(len(m.cost), dtype=np.int32),
                                 np.array(m.cost))  # fmt: skip
            h.addRow(first - 1e-6, INF, len(idx), idx, np.ones(len(idx)))
            m.row(((int(i), 1.0) for i in idx), first - 1e-6, INF)
    if progress:
        progress(0.3)
    lp_bound: float | None = None
    outside = -math.inf  # the best objective a plan using a dropped candidate could have
    if large:
        # Large: the LP relaxation of the whole model bounds every integer plan, and its
        # dual gives the bound without solving it whole. For any row multipliers y (of the
        # sign each row's finite side allows), max c·x ≤ Σ_i y_i·(row bound) + Σ_j max(d_j·l_j,
        # d_j·u_j) with d = c − Aᵀy: the Lagrangian bound, valid for every plan. y comes
        # from the LP restricted to a few candidates per person (column generation: the
        # dropped candidates with d_j > 0 enter and the LP is solved again, while time
        # allows); at the whole LP's optimum the bound is z_LP. The integer plan is then
        # searched among the candidates the LP uses (x_j > 0), those closest to entering
        # (d_j largest) and the start plan's, every other x_j fixed at 0: a restriction, so
        # any plan found is a plan of the whole model. The bound reported is min(B, max(the
        # restricted MIP's bound, B − the smallest −d_j dropped)): a plan inside the
        # restriction is bounded by its MIP bound, one using a dropped j by B − max(0, −d_j).
        size["decomposed"] = 1
        dual = _Dual(m)
        xs = slice(x0, x0 + n_cand)
        ratio = np.array([c.value for c in cands]) / np.maximum(share, 1e-9)
        by_ratio = np.lexsort((-ratio, cand_person))
        first_of = np.searchsorted(cand_person[by_ratio], cand_person[by_ratio], "left")
        ratio_rank = np.empty(n_cand, dtype=np.int64)
        ratio_rank[by_ratio] = np.arange(n_cand) - first_of
        active = (ratio_rank < 1) | (cheap_rank < 1)
        active[list(start_sel)] = True
        # interior point without crossover: its duals need not be exact, as any y gives a
        # valid bound
        h.setOptionValue("solve_relaxation", True)
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
        lp_deadline = time.monotonic() + 0.4 * (deadline - time.monotonic())
        best = math.inf
        reduced = np.zeros(n_cand)
        lp = np.zeros(len(m.cost))
        rounds = 0
        while rounds < 3 and time.monotonic() < lp_deadline - 0.5:
            restrict(active)
            limit(lp_deadline - time.monotonic(), lp=True)
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            rounds += 1
            sol_lp = h.getSolution()
            lp = np.asarray(sol_lp.col_value)
            b, d = dual.bound(np.asarray(sol_lp.row_dual))
            if b < best:
                best, reduced = b, d[xs]
            enter = np.flatnonzero(~active & (d[xs] > 1e-9))
            if not len(enter):
                break
            active[enter[np.argsort(-d[xs][enter])[: opts.restricted_size]]] = True
        h.setOptionValue("solve_relaxation", False)
        h.setOptionValue("solver", "choose")
        # The greedy led by the LP's choices (x_j > 0.5, the largest first): a start when it
        # keeps the rules the greedy does not seek and beats the other start.
        if rounds:
            lead = [int(j) for j in np.argsort(-lp[xs], kind="stable") if lp[x0 + j] > 0.5]
            led = greedy(people, cands, courses, budget, opts, lead)
            if _keeps_fairness(people, cands, led, opts, persons, first) and evaluate(
                people, cands, courses, led, opts
            ) > evaluate(people, cands, courses, start_sel, opts):
                start_sel = led
        size["lp_rounds"] = rounds
        slack = 1e-7 * max(1.0, abs(best))  # the solver's tolerances, on the safe side
        if math.isfinite(best):
            lp_bound = best + slack
        keep = lp[xs] > 1e-2  # an interior point: x_j > 0 all over
        # and the candidates closest to entering (−d_j smallest)
        extra = max(0, opts.restricted_size - int(keep.sum()))
        cost_in = np.maximum(0.0, -reduced)
        if extra:
            closest = np.argsort(np.where(keep, np.inf, cost_in), kind="stable")
            keep[closest[:extra]] = True
        keep[list(start_sel)] = True
        size["lp_support"] = int((lp[xs] > 1e-2).sum())
        size["restricted_candidates"] = int(keep.sum())
        restrict(keep)
        if lp_bound is not None and not keep.all():
            outside = lp_bound - float(cost_in[~keep].min())
        h.setOptionValue("mip_heuristic_effort", 0.3)
    limit(deadline - time.monotonic())
    start(start_sel)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if progress:
        progress(0.9)
    if status == highspy.HighsModelStatus.kInfeasible or info.primal_solution_status == 0:
        return PlanResult("infeasible", 0.0, 0.0, 0.0, greedy_obj, [],
                          figures(people, cands, courses, [], budget),
                          lex_proven, time.monotonic() - started, size)  # fmt: skip
    sol = np.asarray(h.getSolution().col_value)
    chosen = {j for j in range(n_cand) if sol[x0 + j] > 0.5}
    objective = evaluate(people, cands, courses, chosen, opts)
    label: str | None = None
    if size.get("decomposed"):
        # Within the restriction the MIP's own bound holds; outside it, ``outside``; and
        # the whole model's LP bound holds everywhere.
        inside = float(info.mip_dual_bound)
        bound = math.inf if lp_bound is None else min(lp_bound, max(inside, outside))
        bound = max(bound, objective)
        proven = lp_bound is not None and bound - objective <= 1e-9 * max(1.0, abs(bound))
        if not proven and status == highspy.HighsModelStatus.kOptimal:
            label = "feasible"  # the restriction's optimum; the gap says how far from proven
        status = (
            highspy.HighsModelStatus.kOptimal if proven else highspy.HighsModelStatus.kTimeLimit
        )
    else:
        bound = max(float(info.mip_dual_bound), objective)
    gap = (bound - objective) / abs(bound) if bound else 0.0
    enrolments = _explain(people, cands, courses, chosen)
    if label is None:
        label = "optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit"
    return PlanResult(
        label,
        objective, bound, gap, greedy_obj, enrolments,
        figures(people, cands, courses, enrolments, budget),
        lex_proven, time.monotonic() - started, size,
    )  # fmt: skip


def evaluate(
    people: Sequence[_Person],
    cands: Sequence[_Cand],
    courses: Sequence[PlanCourse],
    chosen: Iterable[int],
    opts: PlanOptions,
) -> float:
    """The model's objective for a set of chosen candidates."""
    w = opts.weights
    total = 0.0
    hours: dict[int, float] = defaultdict(float)
    for j in chosen:
        total += w.closure * cands[j].value
        hours[cands[j].person] += courses[cands[j].course].hours_jp
    total += w.reach * len(hours)
    total += w.coverage * sum(
        1 for pi, got in hours.items() if people[pi].hours < FLOOR <= people[pi].hours + got
    )
    return total


def _keeps_fairness(
    people: Sequence[_Person],
    cands: Sequence[_Cand],
    chosen: Iterable[int],
    opts: PlanOptions,
    persons: Sequence[int],
    below_floor: int,
) -> bool:
    """Whether a plan of ``greedy`` (which keeps the other rules) keeps the unit share by
    people, the floor per unit and reaches ``below_floor`` people below 20 JP."""
    reached = {cands[j].person for j in chosen}
    if opts.below_20jp_first and sum(1 for pi in reached if people[pi].hours < FLOOR) < below_floor:
        return False
    units: Counter[uuid.UUID | None] = Counter(people[pi].unit for pi in persons)
    got: Counter[uuid.UUID | None] = Counter(people[pi].unit for pi in reached)
    if opts.max_unit_share is not None and len(units) > 1:
        if opts.unit_share_by != "people":
            return False  # not checked here: the solver judges the plan
        if any(n > opts.max_unit_share * len(reached) + 1e-9 for n in got.values()):
            return False
    return not opts.min_per_unit or all(
        got[u] >= min(opts.min_per_unit, n) for u, n in units.items()
    )


def _gap_order(
    people: Sequence[_Person], persons: Iterable[int]
) -> tuple[list[int], dict[int, int]]:
    """People by gap, largest first, and for each how many have a strictly larger gap."""
    order = sorted(persons, key=lambda pi: -people[pi].max_gap)
    larger: dict[int, int] = {}
    n = 0
    for pi in order:
        while n < len(order) and people[order[n]].max_gap > people[pi].max_gap:
            n += 1
        larger[pi] = n
    return order, larger


def greedy(
    people: Sequence[_Person],
    cands: Sequence[_Cand],
    courses: Sequence[PlanCourse],
    budget: float,
    opts: PlanOptions,
    lead: Sequence[int] = (),
) -> set[int]:
    """Value per cost, keeping budget, batch sizes, hour cap, clashes and one course per
    competency. With ``below_20jp_first`` a first round reaches people below 20 JP, one
    course each, cheapest first (the greedy of the number reached), before the round by
    value per cost. With ``no_second_before_larger_gap`` a person gets a second course only
    when everyone with a larger gap is reached already. The unit share and floor are not
    sought: the plan keeps them or not. ``lead``: candidates taken first, in this order (the
    rounding of an LP solution), before the rounds above."""

    def unit_cost(c: _Cand) -> float:
        pc = courses[c.course]
        return pc.cost_per_participant + pc.fixed_cost_per_batch / pc.max_participants

    def ratio(j: int) -> float:
        c = cands[j]
        return -(c.value / unit_cost(c) if unit_cost(c) > 0 else math.inf)

    rounds: list[tuple[list[int], bool]] = [(list(lead), False)] if lead else []
    if opts.below_20jp_first:
        below = [j for j, c in enumerate(cands) if people[c.person].hours < FLOOR]
        rounds.append((sorted(below, key=lambda j: (unit_cost(cands[j]), ratio(j))), True))
    rounds.append((sorted(range(len(cands)), key=ratio), False))
    gap_order, larger = _gap_order(people, {c.person for c in cands})
    reached_upto = 0  # the first ``reached_upto`` people by gap are all reached
    chosen: set[int] = set()
    spent = 0.0
    limit = budget * (1 - 1e-9)  # as the model's budget row
    hours: dict[int, float] = defaultdict(float)
    taken: dict[int, list[int]] = defaultdict(list)  # person → courses
    comps: dict[int, set[int]] = defaultdict(set)
    count: dict[int, int] = defaultdict(int)
    batches: dict[int, int] = defaultdict(int)
    cap = opts.max_hours_per_person

    def fits(j: int, one_each: bool) -> bool:
        c = cands[j]
        pc = courses[c.course]
        mine = taken[c.person]
        if mine and (one_each or (opts.no_second_before_larger_gap
                                  and reached_upto < larger[c.person])):  # fmt: skip
            return False
        if cap is not None and hours[c.person] + pc.hours_jp > cap:
            return False
        if any(k in comps[c.person] for k, *_ in c.closures):
            return False
        return not any(pc.clashes(courses[o]) or o == c.course for o in mine)

    def take(j: int) -> None:
        nonlocal reached_upto
        c = cands[j]
        chosen.add(j)
        hours[c.person] += courses[c.course].hours_jp
        taken[c.person].append(c.course)
        comps[c.person].update(k for k, *_ in c.closures)
        count[c.course] += 1
        while reached_upto < len(gap_order) and taken[gap_order[reached_upto]]:
            reached_upto += 1

    for order, one_each in rounds:
        by_course: dict[int, list[int]] = defaultdict(list)
        for j in order:
            by_course[cands[j].course].append(j)
        # A course whose new batch could not open stays closed for the round: the people
        # who fit only get fewer and the budget left only shrinks as the plan grows.
        closed: set[int] = set()
        for j in order:
            if j in chosen or not fits(j, one_each):
                continue
            ci = cands[j].course
            pc = courses[ci]
            if count[ci] < batches[ci] * pc.max_participants:
                if spent + pc.cost_per_participant <= limit:
                    take(j)
                    spent += pc.cost_per_participant
                continue
            if ci in closed:
                continue
            group = [j]
            persons = {cands[j].person}
            for o in by_course[ci]:
                if len(group) >= pc.min_participants:
                    break
                if o in chosen or o == j or cands[o].person in persons or not fits(o, one_each):
                    continue
                group.append(o)
                persons.add(cands[o].person)
            cost = pc.fixed_cost_per_batch + pc.cost_per_participant * len(group)
            if len(group) >= pc.min_participants and spent + cost <= limit:
                for o in group:
                    take(o)
                spent += cost
                batches[ci] += 1
            else:
                closed.add(ci)
    return chosen


def _explain(
    people: Sequence[_Person],
    cands: Sequence[_Cand],
    courses: Sequence[PlanCourse],
    chosen: set[int],
) -> list[Enrolment]:
    by_course: dict[int, list[int]] = defaultdict(list)
    for j in sorted(chosen, key=lambda j: (cands[j].course, -cands[j].value)):
        by_course[cands[j].course].append(j)
    out: list[Enrolment] = []
    for ci, js in by_course.items():
        pc = courses[ci]
        n = len(js)
        nb = math.ceil(n / pc.max_participants)
        sizes = Counter(i % nb + 1 for i in range(n))  # as even as can be: all in min..max
        for i, j in enumerate(js):
            c = cands[j]
            best = max(c.closures, key=lambda t: t[2] * t[3])
            batch = i % nb + 1
            out.append(
                Enrolment(
                    employee_id=people[c.person].id, course_id=pc.id, batch=batch,
                    competency_id=best[0], gap_closed=best[2], priority=best[3],
                    cost_share=pc.cost_per_participant + pc.fixed_cost_per_batch / sizes[batch],
                    value=c.value,
                    needs=tuple({"competency_id": k, "gap": g, "gap_closed": cl, "priority": p}
                                for k, g, cl, p in c.closures),
                )
            )  # fmt: skip
    return out


def batches_fit(n: int, min_participants: int, max_participants: int) -> bool:
    """Whether ``n`` participants split into batches each of min..max people (or n = 0)."""
    if n == 0:
        return True
    b = math.ceil(n / max_participants)
    return min_participants * b <= n


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient (0: everyone equal; towards 1: all with one person)."""
    v = np.sort(np.asarray(values, dtype=np.float64))
    n = len(v)
    if n == 0 or v.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * v).sum()) / (n * v.sum()) - (n + 1) / n)


def figures(
    people: Sequence[_Person],
    cands: Sequence[_Cand],
    courses: Sequence[PlanCourse],
    enrolments: Sequence[Enrolment],
    budget: float,
) -> dict[str, Any]:
    """Budget used, people reached, JP coverage and equal access (units, gender, rank)."""
    planned: dict[uuid.UUID, float] = defaultdict(float)
    by_id = {c.id: c for c in courses}
    used = 0.0
    for e in enrolments:
        planned[e.employee_id] += by_id[e.course_id].hours_jp
        used += e.cost_share
    n = len(people)
    before = sum(1 for p in people if p.hours >= FLOOR)
    after = sum(1 for p in people if p.hours + planned.get(p.id, 0.0) >= FLOOR)

    def access(group: Callable[[_Person], Any]) -> list[dict[str, Any]]:
        pop: dict[str, list[_Person]] = defaultdict(list)
        for p in people:
            g = group(p)
            pop["" if g is None else str(g)].append(p)
        rows = []
        for g, members in sorted(pop.items()):
            reached = sum(1 for p in members if p.id in planned)
            rows.append({"group": g or None, "people": len(members), "reached": reached,
                         "share_reached": reached / len(members)})  # fmt: skip
        return rows

    total_hours = [p.hours + planned.get(p.id, 0.0) for p in people]
    return {
        "budget": budget,
        "budget_used": round(used, 2),
        "people_with_needs": n,
        "people_reached": len(planned),
        "enrolments": len(enrolments),
        "jp_coverage_before": before / n if n else 0.0,
        "jp_coverage_after": after / n if n else 0.0,
        "by_unit": access(lambda p: p.unit),
        "by_gender": access(lambda p: p.gender),
        "by_rank": access(lambda p: p.rank),
        "gini_hours_before": gini([p.hours for p in people]),
        "gini_hours_after": gini(total_hours),
    }
