"""Matching mentees to mentors over the whole pool, pure: no I/O.

A pair's score is the weighted sum of named parts, each in [0, 1], computed for a block of
mentees against every mentor at once with numpy (``score_block``):

- ``strength``: the share of the mentee's focus competencies that are the mentor's
  strengths;
- ``career``: 1 when the mentor's position family is one the mentee aims for;
- ``seniority``: 1 inside the useful band (minimum gap up to minimum + width), falling by
  ``1 / width`` per step beyond it;
- ``unit``: proximity (same unit 1, same parent unit 0.5) as the programme's rule wants it
  (preferred: proximity, avoided: 1 − proximity, required: 1, ignored: 0);
- ``education``: 1 for a shared field of study.

Hard rules (``eligible_block``): nobody mentors themselves; the mentor is senior by at least
the minimum gap (rank steps on the same scale, or years of service); the same unit when the
rule requires it; no forbidden pair (the mentee's reporting line when the programme says so,
pairs declined before in the programme, pairs HR forbids).

The optimum is a min-cost flow (OR-Tools ``SimpleMinCostFlow``): source → mentee
(capacity 1) → mentor (1, cost −(score in 1/10,000 + 1)) → sink (the mentor's capacity),
with a source → sink bypass so that leaving a mentee unmatched is always feasible. The +1
per match makes more matches win ties of score, so an unmatched mentee never has an
eligible mentor with room left. For ``participation`` each match also earns ``BIG``, more
than any total of scores, so the most mentees are matched first and score decides among
those. Pinned pairs (HR's, and matches kept from earlier runs) are fixed before the solve:
their mentees leave the flow and their mentors' capacity shrinks. Deterministic: the same
arrays give the same arcs in the same order, and the solver is deterministic.

For scale each mentee may keep only its ``top_k`` best candidates. A mentee left unmatched
while an eligible mentor outside its candidates still has room gets those mentors added and
the flow is solved again, so pruning never leaves a mentee out that a mentor could take;
the benchmark measures what pruning costs in score against the full graph.

The greedy baseline (Chronus-style bulk matching) takes candidate pairs best score first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from asn_career.mentoring.rules import PARTS, Part, ProgramRules, UnmatchedReason

SCALE: Final = 10_000
"""Integer costs: a score of 1.0 is 10,000."""
BLOCK: Final = 512
"""Mentees scored at a time: 512 × 2,000 mentors is 4 MB per float32 matrix."""

Progress = Callable[[int, int], None]
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float32]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Side:
    """Mentees or mentors as arrays; row i is person i. Codes are small integers the
    caller assigns (-1: unknown)."""

    person: IntArray
    """The employee behind the row, so nobody is paired with themselves."""
    scale: NDArray[np.int8]
    """Rank scale (1 PNS, 2 PPPK; 0 no rank)."""
    ordinal: NDArray[np.int16]
    years: FloatArray
    """Years of service."""
    unit: NDArray[np.int32]
    parent: NDArray[np.int32]
    """The unit's parent (or the unit itself when it has none)."""
    education: NDArray[np.int32]
    """The field of the highest education."""
    competencies: BoolArray
    """(rows, competencies): focus competencies of mentees, strengths of mentors."""
    families: BoolArray
    """(rows, families): the families mentees aim for; the mentor's own family."""
    capacity: NDArray[np.int32]
    """Mentors: how many mentees each takes (mentees: zeros)."""

    def __len__(self) -> int:
        return len(self.person)


@dataclass(frozen=True)
class Instance:
    mentees: Side
    mentors: Side
    rules: ProgramRules
    weights: dict[Part, float]
    forbidden: IntArray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    """(pairs, 2): mentee row, mentor row."""
    pinned: IntArray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    """(pairs, 2): mentee row, mentor row, fixed before the solve."""


# --- scoring -----------------------------------------------------------------------------------


def _gap(inst: Instance, rows: slice | IntArray, cols: slice | IntArray) -> FloatArray:
    """Seniority gap mentor − mentee (rows × cols, or pairwise when both are arrays of the
    same length and ``pairwise``)."""
    a, b = inst.mentees, inst.mentors
    if inst.rules.seniority_basis == "years":
        return np.asarray(b.years[cols][None, :] - a.years[rows][:, None], dtype=np.float32)
    same = (a.scale[rows][:, None] == b.scale[cols][None, :]) & (a.scale[rows][:, None] > 0)
    gap = b.ordinal[cols][None, :].astype(np.float32) - a.ordinal[rows][:, None]
    return np.where(same, gap, np.float32(-1e6)).astype(np.float32)


def eligible_block(inst: Instance, lo: int, hi: int) -> BoolArray:
    """Hard rules for mentees ``lo:hi`` against every mentor."""
    a, b = inst.mentees, inst.mentors
    rows = slice(lo, hi)
    ok = a.person[rows][:, None] != b.person[None, :]
    ok &= _gap(inst, rows, slice(None)) >= inst.rules.min_gap
    if inst.rules.unit_rule == "required":
        ok &= (a.unit[rows][:, None] == b.unit[None, :]) & (a.unit[rows][:, None] >= 0)
    if len(inst.forbidden):
        f = inst.forbidden
        inside = (f[:, 0] >= lo) & (f[:, 0] < hi)
        ok[f[inside, 0] - lo, f[inside, 1]] = False
    return np.asarray(ok, dtype=np.bool_)


def _band(gap: FloatArray, rules: ProgramRules) -> FloatArray:
    width = max(rules.band_width, 1)
    beyond = np.maximum(gap - (rules.min_gap + width), 0) / width
    return np.clip(1.0 - beyond, 0.0, 1.0).astype(np.float32)


def _unit(same: BoolArray, near: BoolArray, rules: ProgramRules) -> FloatArray:
    proximity = np.where(same, 1.0, np.where(near, 0.5, 0.0)).astype(np.float32)
    if rules.unit_rule == "preferred":
        return proximity
    if rules.unit_rule == "avoided":
        return (1.0 - proximity).astype(np.float32)
    if rules.unit_rule == "required":
        return np.ones_like(proximity)
    return np.zeros_like(proximity)


def parts_block(inst: Instance, lo: int, hi: int) -> dict[Part, FloatArray]:
    """Each named part for mentees ``lo:hi`` against every mentor, in [0, 1]."""
    a, b = inst.mentees, inst.mentors
    rows = slice(lo, hi)
    focus = a.competencies[rows].astype(np.float32)
    wanted = np.maximum(focus.sum(axis=1, keepdims=True), 1.0)
    strength = (focus @ b.competencies.T.astype(np.float32)) / wanted
    career = ((a.families[rows].astype(np.float32) @ b.families.T.astype(np.float32)) > 0).astype(
        np.float32
    )
    same = (a.unit[rows][:, None] == b.unit[None, :]) & (a.unit[rows][:, None] >= 0)
    near = (a.parent[rows][:, None] == b.parent[None, :]) & (a.parent[rows][:, None] >= 0)
    education = (
        (a.education[rows][:, None] == b.education[None, :]) & (a.education[rows][:, None] >= 0)
    ).astype(np.float32)
    return {
        "strength": strength.astype(np.float32),
        "career": career,
        "seniority": _band(_gap(inst, rows, slice(None)), inst.rules),
        "unit": _unit(same, near, inst.rules),
        "education": education,
    }


def scored_block(inst: Instance, lo: int, hi: int) -> tuple[BoolArray, FloatArray]:
    """The hard rules and the weighted score of mentees ``lo:hi`` against every mentor in
    one pass: the gap computed once, the weights folded into the products. Equal to
    ``eligible_block`` and the weighted sum of ``parts_block`` (a test pins the two)."""
    a, b, r, w = inst.mentees, inst.mentors, inst.rules, inst.weights
    rows = slice(lo, hi)
    gap = _gap(inst, rows, slice(None))
    ok = gap >= r.min_gap
    ok &= a.person[rows][:, None] != b.person[None, :]
    same = (a.unit[rows][:, None] == b.unit[None, :]) & (a.unit[rows][:, None] >= 0)
    if r.unit_rule == "required":
        ok &= same
    if len(inst.forbidden):
        f = inst.forbidden
        inside = (f[:, 0] >= lo) & (f[:, 0] < hi)
        ok[f[inside, 0] - lo, f[inside, 1]] = False
    focus = a.competencies[rows].astype(np.float32)
    focus *= np.float32(w.get("strength", 0.0)) / np.maximum(focus.sum(axis=1, keepdims=True), 1)
    total = focus @ b.competencies.T.astype(np.float32)
    if w.get("career", 0.0):
        aims = a.families[rows].astype(np.float32) @ b.families.T.astype(np.float32)
        total += np.float32(w["career"]) * (aims > 0)
    if w.get("seniority", 0.0):
        width = np.float32(max(r.band_width, 1))
        gap -= np.float32(r.min_gap) + width
        np.maximum(gap, 0, out=gap)
        gap /= width
        np.clip(1 - gap, 0, 1, out=gap)
        total += np.float32(w["seniority"]) * gap
    if w.get("unit", 0.0) and r.unit_rule != "ignored":
        near = (a.parent[rows][:, None] == b.parent[None, :]) & (a.parent[rows][:, None] >= 0)
        if r.unit_rule == "required":
            total += np.float32(w["unit"])
        else:  # proximity: same unit 1, same parent 0.5 (the same unit has the same parent)
            proximity = np.float32(0.5) * (same.astype(np.float32) + near)
            total += np.float32(w["unit"]) * (
                proximity if r.unit_rule == "preferred" else 1 - proximity
            )
    if w.get("education", 0.0):
        field = a.education[rows][:, None]
        total += np.float32(w["education"]) * ((field == b.education[None, :]) & (field >= 0))
    return ok, total.astype(np.float32, copy=False)


def score_block(inst: Instance, lo: int, hi: int) -> FloatArray:
    return scored_block(inst, lo, hi)[1]


def pair_parts(inst: Instance, mentees: IntArray, mentors: IntArray) -> dict[Part, FloatArray]:
    """The parts of given pairs (mentee row, mentor row), pair by pair, vectorised."""
    a, b = inst.mentees, inst.mentors
    focus = a.competencies[mentees]
    wanted = np.maximum(focus.sum(axis=1), 1)
    strength = (focus & b.competencies[mentors]).sum(axis=1) / wanted
    career = (a.families[mentees] & b.families[mentors]).any(axis=1)
    if inst.rules.seniority_basis == "years":
        gap = b.years[mentors] - a.years[mentees]
    else:
        same_scale = (a.scale[mentees] == b.scale[mentors]) & (a.scale[mentees] > 0)
        gap = np.where(same_scale, b.ordinal[mentors].astype(np.float32) - a.ordinal[mentees],
                       np.float32(-1e6))  # fmt: skip
    same = (a.unit[mentees] == b.unit[mentors]) & (a.unit[mentees] >= 0)
    near = (a.parent[mentees] == b.parent[mentors]) & (a.parent[mentees] >= 0)
    education = (a.education[mentees] == b.education[mentors]) & (a.education[mentees] >= 0)
    return {
        "strength": strength.astype(np.float32),
        "career": np.asarray(career, dtype=np.float32),
        "seniority": _band(np.asarray(gap, dtype=np.float32), inst.rules),
        "unit": _unit(same, near, inst.rules),
        "education": education.astype(np.float32),
    }


def pair_scores(inst: Instance, parts: dict[Part, FloatArray]) -> FloatArray:
    total = np.zeros_like(parts["strength"])
    for name in PARTS:
        total += np.float32(inst.weights.get(name, 0.0)) * parts[name]
    return total


def eligible_pairs(inst: Instance, mentees: IntArray, mentors: IntArray) -> BoolArray:
    """The hard rules for given pairs (HR's pins are checked against them)."""
    return np.asarray(
        [bool(eligible_block(inst, int(i), int(i) + 1)[0, j])
         for i, j in zip(mentees.tolist(), mentors.tolist(), strict=True)],
        dtype=np.bool_,
    )  # fmt: skip


# --- the graph -----------------------------------------------------------------------------


def subset(inst: Instance, rows: IntArray) -> Instance:
    """The instance restricted to the mentees ``rows`` (renumbered 0…), for re-scoring a
    few of them."""
    a = inst.mentees
    sub = Side(a.person[rows], a.scale[rows], a.ordinal[rows], a.years[rows], a.unit[rows],
               a.parent[rows], a.education[rows], a.competencies[rows], a.families[rows],
               a.capacity[rows])  # fmt: skip
    renumber = np.full(len(a), -1, dtype=np.int64)
    renumber[rows] = np.arange(len(rows))
    forbidden = inst.forbidden
    if len(forbidden):
        kept = renumber[forbidden[:, 0]] >= 0
        forbidden = np.stack([renumber[forbidden[kept, 0]], forbidden[kept, 1]], axis=1)
    return Instance(sub, inst.mentors, inst.rules, inst.weights, forbidden)


@dataclass
class Candidates:
    """The edges a solve sees: mentee row, mentor row, score (float and integer)."""

    mentee: IntArray
    mentor: IntArray
    score: FloatArray
    eligible_count: NDArray[np.int32]
    """Per mentee: eligible mentors in the whole pool (before pruning and capacity)."""
    eligible_edges: int

    def cost(self, participation: bool, big: int) -> IntArray:
        gain = np.rint(self.score.astype(np.float64) * SCALE).astype(np.int64) + 1
        return -(gain + big) if participation else -gain


def candidates(
    inst: Instance,
    *,
    top_k: int | None = None,
    free: BoolArray | None = None,
    room: NDArray[np.int32] | None = None,
    progress: Progress | None = None,
) -> Candidates:
    """Eligible edges of the mentees ``free`` leaves in (all by default) to mentors with
    ``room`` (capacity left), each mentee's best ``top_k`` when given; ties broken by the
    lower mentor row."""
    n, m = len(inst.mentees), len(inst.mentors)
    free = np.ones(n, dtype=np.bool_) if free is None else free
    room = inst.mentors.capacity if room is None else room
    has_room = room > 0
    mentees: list[IntArray] = []
    mentors: list[IntArray] = []
    scores: list[FloatArray] = []
    counts = np.zeros(n, dtype=np.int32)
    edges = 0
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        ok, score = scored_block(inst, lo, hi)
        counts[lo:hi] = ok.sum(axis=1)
        edges += int(counts[lo:hi].sum())
        ok &= has_room[None, :]
        ok &= free[lo:hi, None]
        if top_k is not None and top_k < m:
            # A unique key per row: the score, then the lower mentor row.
            key = (
                np.rint(score.astype(np.float64) * SCALE).astype(np.int64) * (m + 1)
                + (m - np.arange(m, dtype=np.int64))[None, :]
            )
            key = np.where(ok, key, -1)
            keep = np.argpartition(-key, top_k - 1, axis=1)[:, :top_k]
            mask = np.zeros_like(ok)
            np.put_along_axis(mask, keep, True, axis=1)
            ok &= mask
        r, c = np.nonzero(ok)
        mentees.append((r + lo).astype(np.int64))
        mentors.append(c.astype(np.int64))
        scores.append(score[r, c])
        if progress is not None:
            progress(hi, n)
    return Candidates(
        np.concatenate(mentees) if mentees else np.empty(0, dtype=np.int64),
        np.concatenate(mentors) if mentors else np.empty(0, dtype=np.int64),
        np.concatenate(scores) if scores else np.empty(0, dtype=np.float32),
        counts,
        edges,
    )


@dataclass(frozen=True)
class FlowGraph:
    """A min-cost flow problem as arrays: arcs (tail, head, capacity, cost), supplies. The
    first ``pair_arcs`` arcs are the mentee → mentor arcs, in ``Candidates`` order."""

    tails: IntArray
    heads: IntArray
    capacities: IntArray
    costs: IntArray
    supplies: IntArray
    pair_arcs: int


def flow_graph(
    n: int, m: int, cand: Candidates, room: NDArray[np.int32], participation: bool
) -> FlowGraph:
    source, sink = n + m, n + m + 1
    big = 0
    if participation and len(cand.score):
        # More than any total of gains: at most n matches, each below the largest gain + 1.
        big = (int(np.rint(float(cand.score.max()) * SCALE)) + 2) * (n + 1)
    senders = np.unique(cand.mentee)
    receivers = np.flatnonzero(room > 0)
    tails = np.concatenate(
        [cand.mentee, np.full(len(senders), source), receivers + n, [source]]
    ).astype(np.int64)
    heads = np.concatenate([cand.mentor + n, senders, np.full(len(receivers), sink), [sink]])
    capacities = np.concatenate(
        [np.ones(len(cand.mentee)), np.ones(len(senders)), room[receivers], [len(senders)]]
    ).astype(np.int64)
    costs = np.concatenate(
        [cand.cost(participation, big), np.zeros(len(senders) + len(receivers) + 1)]
    ).astype(np.int64)
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = len(senders), -len(senders)
    return FlowGraph(tails, heads.astype(np.int64), capacities, costs, supplies, len(cand.mentee))


@dataclass(frozen=True)
class Solved:
    flows: IntArray
    cost: int


def solve_graph(graph: FlowGraph) -> Solved:
    """The bare solver: OR-Tools' min-cost flow on the arrays."""
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        graph.tails, graph.heads, graph.capacities, graph.costs
    )
    flow.set_nodes_supplies(np.arange(len(graph.supplies)), graph.supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # the bypass arc makes every instance feasible
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return Solved(np.asarray(flow.flows(arcs[: graph.pair_arcs]), dtype=np.int64),
                  int(flow.optimal_cost()))  # fmt: skip


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    mentees: IntArray
    """Matched pairs (mentee row, mentor row), pinned ones included, by mentee row."""
    mentors: IntArray
    pinned: BoolArray
    scores: FloatArray
    total: float
    """Sum of the pairs' scores, pinned included."""
    flow_cost: int
    """The solver's objective (integer costs of the free pairs)."""
    greedy_total: float
    greedy_matched: int
    unmatched: dict[int, UnmatchedReason]
    eligible_edges: int
    candidate_edges: int
    top_k: int | None
    repaired: int
    """Mentees whose pruned candidates were widened after a first solve."""

    @property
    def matched(self) -> int:
        return len(self.mentees)


def greedy(cand: Candidates, room: NDArray[np.int32], n: int) -> tuple[float, int, IntArray]:
    """Best score first (ties: lower mentee row, then lower mentor row); returns the total,
    the number matched and, per mentee, its mentor row (-1 none)."""
    order = np.lexsort((cand.mentor, cand.mentee, -cand.score))
    left = room.astype(np.int64).copy()
    taken = np.full(n, -1, dtype=np.int64)
    total = 0.0
    mentees, mentors, scores = cand.mentee[order], cand.mentor[order], cand.score[order]
    for i, j, s in zip(mentees.tolist(), mentors.tolist(), scores.tolist(), strict=True):
        if taken[i] < 0 and left[j] > 0:
            taken[i] = j
            left[j] -= 1
            total += s
    return total, int((taken >= 0).sum()), taken


def match(inst: Instance, *, top_k: int | None = None, progress: Progress | None = None) -> Result:
    """The optimal matching of ``inst`` under capacities, hard rules and pinned pairs."""
    n, m = len(inst.mentees), len(inst.mentors)
    participation = inst.rules.objective == "participation"
    pinned_mentee = inst.pinned[:, 0] if len(inst.pinned) else np.empty(0, dtype=np.int64)
    pinned_mentor = inst.pinned[:, 1] if len(inst.pinned) else np.empty(0, dtype=np.int64)
    room = inst.mentors.capacity.astype(np.int32).copy()
    np.subtract.at(room, pinned_mentor, 1)
    room = np.maximum(room, 0)
    free = np.ones(n, dtype=np.bool_)
    free[pinned_mentee] = False

    cand = candidates(inst, top_k=top_k, free=free, room=room, progress=progress)
    solved = solve_graph(flow_graph(n, m, cand, room, participation))
    repaired = 0
    while top_k is not None:
        chosen = solved.flows > 0
        left = room.copy()
        np.subtract.at(left, cand.mentor[chosen], 1)
        open_mentees = free.copy()
        open_mentees[cand.mentee[chosen]] = False
        rows = np.flatnonzero(open_mentees)
        if not len(rows) or not (left > 0).any():
            break
        widen = candidates(subset(inst, rows), room=left)
        widen.mentee = rows[widen.mentee]
        seen = set(zip(cand.mentee.tolist(), cand.mentor.tolist(), strict=True))
        new = np.asarray(
            [(i, j) not in seen for i, j in zip(widen.mentee.tolist(), widen.mentor.tolist(),
                                                 strict=True)],
            dtype=np.bool_,
        )  # fmt: skip
        if not new.any():
            break
        repaired += len(np.unique(widen.mentee[new]))
        cand = Candidates(
            np.concatenate([cand.mentee, widen.mentee[new]]),
            np.concatenate([cand.mentor, widen.mentor[new]]),
            np.concatenate([cand.score, widen.score[new]]),
            cand.eligible_count,
            cand.eligible_edges,
        )
        solved = solve_graph(flow_graph(n, m, cand, room, participation))

    chosen = solved.flows > 0
    pinned_scores = (
        pair_scores(inst, pair_parts(inst, pinned_mentee, pinned_mentor))
        if len(pinned_mentee)
        else np.empty(0, dtype=np.float32)
    )
    mentees = np.concatenate([pinned_mentee, cand.mentee[chosen]])
    mentors = np.concatenate([pinned_mentor, cand.mentor[chosen]])
    scores = np.concatenate([pinned_scores, cand.score[chosen]]).astype(np.float32)
    is_pinned = np.concatenate([np.ones(len(pinned_mentee), bool), np.zeros(int(chosen.sum()),
                                                                            bool)])  # fmt: skip
    order = np.argsort(mentees, kind="stable")
    g_total, g_matched, _ = greedy(cand, room, n)
    matched = np.zeros(n, dtype=np.bool_)
    matched[mentees] = True
    unmatched: dict[int, UnmatchedReason] = {
        int(i): ("no_eligible_mentor" if cand.eligible_count[i] == 0 else "capacity_exhausted")
        for i in np.flatnonzero(~matched)
    }
    return Result(
        mentees=mentees[order],
        mentors=mentors[order],
        pinned=is_pinned[order],
        scores=scores[order],
        total=float(scores.astype(np.float64).sum()),
        flow_cost=solved.cost,
        greedy_total=float(g_total + float(pinned_scores.astype(np.float64).sum())),
        greedy_matched=g_matched + len(pinned_mentee),
        unmatched=unmatched,
        eligible_edges=cand.eligible_edges,
        candidate_edges=len(cand.mentee),
        top_k=top_k,
        repaired=repaired,
    )


def shortlist(inst: Instance, row: int, k: int, room: NDArray[np.int32]) -> list[tuple[int, float]]:
    """The best ``k`` eligible mentors with room for mentee ``row``: (mentor row, score),
    best first, ties to the lower row."""
    ok, scores = scored_block(inst, row, row + 1)
    ok, score = ok[0] & (room > 0), scores[0]
    cols = np.flatnonzero(ok)
    order = np.lexsort((cols, -score[cols]))[:k]
    return [(int(cols[o]), float(score[cols[o]])) for o in order]


def explain(inst: Instance, mentees: IntArray, mentors: IntArray) -> list[dict[str, Any]]:
    """Why each pair scores as it does: its parts, the focus competencies the mentor is
    strong in (column indices), the seniority gap, same unit / same parent, shared field."""
    parts = pair_parts(inst, mentees, mentors)
    a, b = inst.mentees, inst.mentors
    shared = a.competencies[mentees] & b.competencies[mentors]
    if inst.rules.seniority_basis == "years":
        gaps = b.years[mentors] - a.years[mentees]
    else:
        gaps = b.ordinal[mentors].astype(np.float32) - a.ordinal[mentees]
    same = (a.unit[mentees] == b.unit[mentors]) & (a.unit[mentees] >= 0)
    near = (a.parent[mentees] == b.parent[mentors]) & (a.parent[mentees] >= 0)
    rows, cols = np.nonzero(shared)
    by_row: list[list[int]] = [[] for _ in range(len(mentees))]
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        by_row[r].append(c)
    values = {p: parts[p].tolist() for p in PARTS}
    return [
        {
            "parts": {p: values[p][n] for p in PARTS},
            "shared_competencies": by_row[n],
            "gap": float(gaps[n]),
            "same_unit": bool(same[n]),
            "same_parent": bool(near[n] and not same[n]),
        }
        for n in range(len(mentees))
    ]
