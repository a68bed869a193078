"""The exact placement of a round and its greedy baseline. No I/O.

Rows are the positions to fill (vacancies, and the positions of movers that a move would
vacate), columns the candidates. ``fit`` is on [0, 1]; ``allowed`` marks the pairs every
hard rule permits (eligibility, rank range, conflicts of interest, forbidden pairs).

Exact: pinned pairs are fixed first and their rows and columns removed. Every other pair
with ``allowed`` and ``fit >= min_fit`` weighs its fit, every other pair 0, and SciPy's
``linear_sum_assignment`` (a rectangular assignment) maximises the total; a chosen pair of
weight 0 that is not allowed is dropped, leaving its row empty. Since every weight is
non-negative, that is the maximum-fit matching over the allowed pairs.

Movers: a candidate who holds one of the rows (``stay``) may also stay in it (weight 0,
not a move). Such a candidate must end on some row, or their position would be both
theirs and another's: every allowed pair of a mover and their stay pair carry a bonus
``M`` larger than any total fit, so the optimum places every mover first (staying is
always possible) and then maximises the fit; the bonus is taken off the objective.

Conflicts of interest inside the round: ``conflicts`` lists pairs of outcomes that may not
both hold, each a placement ``(row, column)`` or a column's staying where it is
``(-1, column)``; the first is always a placement. ``solve`` stays exact by branch and
bound around the assignment (few conflicts bind, so few nodes are solved). The greedy
baseline keeps clear of every pair in a conflict.
"""

import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

F = npt.NDArray[np.floating]
B = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]
Pair = tuple[int, int]
"""(row, column): the column placed on the row; (-1, column): the column does not move."""


@dataclass(frozen=True)
class Problem:
    fit: F  # rows × columns
    allowed: B  # rows × columns
    min_fit: float = 0.0
    pinned: Sequence[tuple[int, int]] = ()  # (row, column), placed whatever their fit
    stay: Sequence[tuple[int, int]] = ()  # (row, column): the column holds the row today
    conflicts: Sequence[tuple[Pair, Pair]] = ()  # (a, b): not both; a is a placement
    cache: dict[str, B] = field(default_factory=dict, compare=False, repr=False)


def _maximum_assignment(weight: npt.NDArray[np.float64]) -> tuple[I64, I64]:
    """SciPy's rectangular assignment of largest total. ``scipy.optimize`` is imported here,
    when a round is solved: at start-up it would cost every CLI call and worker a second."""
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(weight, maximize=True)
    return rows, cols


def _minimum_assignment(weight: npt.NDArray[np.float64]) -> tuple[I64, I64]:
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(weight)
    return rows, cols


@dataclass
class Solution:
    column_of: I64  # per row: the column placed there, -1 when empty
    objective: float  # total fit of the moves (stays count nothing)
    stays: set[int] = field(default_factory=set)  # movers' columns that stayed


def usable(p: Problem) -> B:
    """Allowed and at or above the minimum fit (computed once per problem: do not write
    to it)."""
    found = p.cache.get("usable")
    if found is None:
        found = p.cache["usable"] = np.asarray(p.allowed & (p.fit >= p.min_fit))
    return found


class Infeasible(Exception):
    """No placement honours the pinned pairs and the conflicts of interest together."""


def violation(p: Problem, s: Solution) -> tuple[Pair, Pair] | None:
    """The first conflict both of whose sides hold in ``s``, or None."""
    placed = {(int(r), int(c)) for r, c in enumerate(s.column_of) if c >= 0}
    moved = {c for _, c in placed}
    for a, b in p.conflicts:
        if a in placed and (b in placed if b[0] >= 0 else b[1] not in moved):
            return a, b
    return None


def solve(p: Problem) -> Solution:
    """The maximum-fit placement that honours every conflict: branch and bound around the
    assignment. Each node solves the assignment with some pairs forbidden and some columns
    forced to move; its optimum bounds every placement of the node. When it breaks a
    conflict (a, b), every placement that honours it lacks a or lacks b: the node splits
    into "forbid a" and "forbid b" (or "b's column moves" when b is its staying). Nodes are
    taken best bound first, so the first that breaks nothing is the optimum. Raises
    ``Infeasible`` when the pins break a conflict that no branch can mend."""
    root = _assign(p, frozenset(), frozenset())
    if not p.conflicts:
        if root is None:
            raise Infeasible
        return root
    heap: list[tuple[float, int, frozenset[Pair], frozenset[int], Solution]] = []
    count = itertools.count()

    def push(forbid: frozenset[Pair], force: frozenset[int], s: Solution | None) -> None:
        if s is not None:
            heapq.heappush(heap, (-s.objective, next(count), forbid, force, s))

    push(frozenset(), frozenset(), root)
    while heap:
        _, _, forbid, force, s = heapq.heappop(heap)
        broken = violation(p, s)
        if broken is None:
            return s
        a, b = broken
        push(forbid | {a}, force, _assign(p, forbid | {a}, force))
        if b[0] >= 0:
            push(forbid | {b}, force, _assign(p, forbid | {b}, force))
        else:
            push(forbid, force | {b[1]}, _assign(p, forbid, force | {b[1]}))
    raise Infeasible


def _assign(p: Problem, forbid: frozenset[Pair], force: frozenset[int]) -> Solution | None:
    """The assignment with the pairs of ``forbid`` excluded and the columns of ``force``
    moved (placed on some row, not staying); None when that is impossible."""
    rows, cols = p.fit.shape
    column_of = np.full(rows, -1, dtype=np.int64)
    objective = 0.0
    pinned_rows = {r for r, _ in p.pinned}
    pinned_cols = {c for _, c in p.pinned}
    for r, c in p.pinned:
        if (r, c) in forbid:
            return None
        column_of[r] = c
        objective += float(p.fit[r, c])
    free_rows = np.array([r for r in range(rows) if r not in pinned_rows], dtype=np.int64)
    free_cols = np.array([c for c in range(cols) if c not in pinned_cols], dtype=np.int64)
    stays = {(r, c) for r, c in p.stay if r not in pinned_rows and c not in pinned_cols}
    bonus_cols = {c for _, c in stays} | {c for c in force if c not in pinned_cols}
    stays = {(r, c) for r, c in stays if (r, c) not in forbid and c not in force}
    if not (free_rows.size and free_cols.size):
        return None if bonus_cols else Solution(column_of, objective, set())
    usable_all = usable(p)
    if free_rows.size == rows and free_cols.size == cols:  # nothing pinned: no part copied
        ok = usable_all
        fit = p.fit
    else:
        sub = np.ix_(free_rows, free_cols)
        ok = usable_all[sub]
        fit = p.fit[sub]
    row_at = {int(r): k for k, r in enumerate(free_rows)}
    col_at = {int(c): k for k, c in enumerate(free_cols)}
    if forbid:
        ok = ok.copy()
        for r, c in forbid:
            if r in row_at and c in col_at:
                ok[row_at[r], col_at[c]] = False
    # Columns with no usable pair (and no bonus) weigh 0 everywhere: left out of the
    # assignment, which changes no total since every weight is non-negative.
    live = np.asarray(ok.any(axis=0), dtype=np.bool_)
    if bonus_cols:
        live[[col_at[c] for c in bonus_cols]] = True
    if not live.all():
        keep = np.flatnonzero(live)
        ok, fit = ok[:, keep], fit[:, keep]
        free_cols = free_cols[keep]
        col_at = {int(c): k for k, c in enumerate(free_cols)}
    if not free_cols.size:
        return None if bonus_cols else Solution(column_of, objective, set())
    # The negated weights, minimised: SciPy neither copies nor negates the matrix again.
    weight = np.empty(ok.shape, dtype=np.float64)
    np.multiply(fit, ok, out=weight)
    np.negative(weight, out=weight)
    if bonus_cols:
        bonus = float(free_rows.size + 1)
        ok = ok.copy()
        at = np.array([col_at[c] for c in sorted(bonus_cols)], dtype=np.int64)
        weight[:, at] -= np.where(ok[:, at], bonus, 0.0)
        for r, c in stays:
            weight[row_at[r], col_at[c]] = -bonus
            ok[row_at[r], col_at[c]] = True
    rr, cc = _minimum_assignment(weight)
    stayed: set[int] = set()
    ended = 0  # bonus columns placed or staying
    for a, b in zip(rr, cc, strict=True):
        if not ok[a, b]:
            continue
        r, c = int(free_rows[a]), int(free_cols[b])
        ended += c in bonus_cols
        if (r, c) in stays:
            stayed.add(c)
            continue
        column_of[r] = c
        objective += float(p.fit[r, c])
    if ended < len(bonus_cols):
        return None
    return Solution(column_of, objective, stayed)


def greedy_usable(p: Problem) -> B:
    """The pairs the greedy baseline may take: usable, and in no conflict (the greedy does
    not look ahead, so it keeps clear of every pair that could break one)."""
    ok = usable(p)
    if p.conflicts:
        ok = ok.copy()
        for a, b in p.conflicts:
            ok[a] = False
            if b[0] >= 0:
                ok[b] = False
    return ok


def greedy(p: Problem, k: int = 8) -> Solution:
    """The baseline: pinned pairs first, then, again and again, the best pair whose row and
    column are both free (highest fit; ties by row, then column). A mover's own row is kept
    for them until they move, then it is free.

    Without a sort of every pair: each free row keeps a short list, in order, of its free
    columns at or above a floor (the least of the best fits of ``k`` blocks of its columns,
    so at least one pair per block); a heap holds each row's head. A head whose column was
    taken meanwhile is skipped; a row whose list runs out lists again from the columns
    still free. So the pair taken is always the best free one, as a sort of all pairs taken
    one by one would give. (It does not look ahead: a pinned pair in conflict with someone's
    staying is not mended by moving them, as the exact solution does.)"""
    rows, cols = p.fit.shape
    column_of = np.full(rows, -1, dtype=np.int64)
    taken = np.zeros(cols, dtype=np.bool_)
    objective = 0.0
    for r, c in p.pinned:
        column_of[r] = c
        taken[c] = True
        objective += float(p.fit[r, c])
    reserved = {r: c for r, c in p.stay if column_of[r] < 0 and not taken[c]}
    held_for: dict[int, list[int]] = {}
    for r, c in reserved.items():
        held_for.setdefault(c, []).append(r)
    ok = greedy_usable(p)
    w = np.where(ok, p.fit, np.float32(-np.inf)).astype(np.float32, copy=False)
    if taken.any():
        w[:, taken] = -np.inf
    lists: dict[int, tuple[list[int], list[float]]] = {}
    at: dict[int, int] = {}
    heap: list[tuple[float, int, int]] = []

    def enlist(r: int, columns: npt.NDArray[np.int64], values: npt.NDArray[np.float32]) -> None:
        order = np.lexsort((columns, -values))
        lists[r] = (columns[order].tolist(), values[order].tolist())
        at[r] = 0
        heapq.heappush(heap, (-lists[r][1][0], r, lists[r][0][0]))

    blocks = np.unique(np.linspace(0, cols, min(k, cols) + 1, dtype=np.int64)[:-1])

    def floor(v: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Per row, the least of its blocks' best fits (blocks without any usable pair left
        out): at least one usable pair per such block lies at or above it."""
        best = np.maximum.reduceat(v, blocks, axis=-1)
        return np.asarray(np.where(np.isfinite(best), best, np.inf).min(axis=-1))

    def relist(r: int) -> None:
        v = np.where(taken, np.float32(-np.inf), w[r])
        t = floor(v)
        if np.isfinite(t):
            sel = np.flatnonzero(v >= t)
            enlist(r, sel, v[sel])

    start = np.array(
        [r for r in range(rows) if column_of[r] < 0 and r not in reserved], dtype=np.int64
    )
    if start.size and cols:
        part = w if start.size == rows else w[start]
        t = floor(part)
        rr, cc = np.nonzero(part >= t[:, None])
        vv = part[rr, cc]
        order = np.lexsort((cc, -vv, rr))
        rr, cc, vv = rr[order], cc[order], vv[order]
        bounds = np.flatnonzero(np.diff(rr)) + 1
        for ri, ci, vi in zip(
            np.split(rr, bounds), np.split(cc, bounds), np.split(vv, bounds), strict=True
        ):
            if ri.size:
                r = int(start[ri[0]])
                lists[r] = (ci.tolist(), vi.tolist())
                at[r] = 0
                heap.append((-vi[0].item(), r, int(ci[0])))
        heapq.heapify(heap)
    while heap:
        _, r, c = heapq.heappop(heap)
        if not taken[c]:
            column_of[r] = c
            taken[c] = True
            objective += float(p.fit[r, c])
            for row in held_for.pop(c, []):  # a mover moved: their row is free
                if reserved.pop(row, None) is not None:
                    relist(row)
            continue
        columns, values = lists[r]
        i = at[r] + 1
        while i < len(columns) and taken[columns[i]]:
            i += 1
        if i < len(columns):
            at[r] = i
            heapq.heappush(heap, (-values[i], r, columns[i]))
        else:
            relist(r)
    return Solution(column_of, objective, set(reserved.values()))


def reference_objective(fit: F, allowed: B, min_fit: float = 0.0) -> float:
    """SciPy on the plain weight matrix (no pins, no movers): what ``solve`` must equal."""
    weight = np.where(allowed & (fit >= min_fit), fit, 0.0).astype(np.float64)
    rr, cc = _maximum_assignment(weight)
    return float(weight[rr, cc].sum())
