"""The exact placement of a round and its greedy baseline. No I/O.

Rows are the positions to fill (vacancies, and the positions of movers that a move would
vacate), columns the candidates. ``fit`` is on [0, 1]; ``allowed`` marks the pairs every
hard rule permits (eligibility, rank range, conflicts of interest, forbidden pairs).

Exact: pinned pairs are fixed first and their rows and columns removed. Every other pair
with ``allowed`` and ``fit >= min_fit`` weighs its fit, every other pair 0, and SciPy's
``linear_sum_assignment`` (a rectangular assignment) maximises the total; a chosen pair of
weight 0 that is not allowed is dropped, leaving its row empty. Since every weight is
non-negative, that is the maximum-fit matching over the allowed pairs. A large matrix
(``SPARSE_FROM`` entries) is solved instead on a sparse graph of its best pairs and proved
optimal on the whole matrix by dual potentials, pairs that break them added and the graph
solved again (``_certified_assignment``); the total equals the dense solve's.

Movers: a candidate who holds one of the rows (``stay``) may also stay in it (weight 0,
not a move). Such a candidate must end on some row, or their position would be both
theirs and another's: every allowed pair of a mover and their stay pair carry a bonus
``M`` larger than any total fit, so the optimum places every mover first (staying is
always possible) and then maximises the fit; the bonus is taken off the objective.

Conflicts of interest inside the round: ``conflicts`` lists pairs of outcomes that may not
both hold, each a placement ``(row, column)`` or a column's staying where it is
``(-1, column)``; the first is always a placement. ``links`` states the same kind of
conflict between two people instead of between outcomes: "column i may not end directly
under (or above) wherever column k ends", so a relation costs one entry however deep the
reporting tree (listed as pairs of outcomes it would be one per two linked rows).
Either is checked on each candidate solution (``violation``), never enumerated. ``solve``
stays exact by branch and bound around the assignment (few conflicts bind, so few nodes
are solved). The greedy baseline keeps clear of every pair that is in a conflict (of
either form) with a pair or a staying it could meet; where a pin is in conflict with
someone's staying, that person is placed first (or the greedy gives up: ``Infeasible``).
"""

import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

F = npt.NDArray[np.floating]
B = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]
Pair = tuple[int, int]
"""(row, column): the column placed on the row; (-1, column): the column does not move."""


UNDER: Final = 1
"""Link kind: the first column may not end directly under the second."""
ABOVE: Final = 2
"""Link kind: the first column may not end directly above the second."""


@dataclass(frozen=True)
class Links:
    """Conflicts between people of the round. Positions are numbered with the rows first
    (row r is position r), then any others; ``parent[q]`` is the position q reports to
    directly (-1: none), ``home[c]`` the position column c holds today (-1: none), which
    is where they end when they are not placed. Relation t: column ``first[t]``, when
    placed, may not end directly under (``kind & UNDER``) or directly above
    (``kind & ABOVE``) wherever column ``second[t]`` ends."""

    parent: I64
    home: I64
    first: I64
    second: I64
    kind: I64

    @staticmethod
    def none(columns: int) -> "Links":
        empty = np.zeros(0, dtype=np.int64)
        return Links(empty, np.full(columns, -1, dtype=np.int64), empty, empty, empty)

    def __len__(self) -> int:
        return int(self.first.size)


@dataclass(frozen=True)
class Problem:
    fit: F  # rows × columns
    allowed: B  # rows × columns
    min_fit: float = 0.0
    pinned: Sequence[tuple[int, int]] = ()  # (row, column), placed whatever their fit
    stay: Sequence[tuple[int, int]] = ()  # (row, column): the column holds the row today
    conflicts: Sequence[tuple[Pair, Pair]] = ()  # (a, b): not both; a is a placement
    links: Links | None = None
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


SPARSE_FROM: int = 250_000
"""Assignments with at least this many (rows × columns) entries are solved on a sparse
candidate graph and certified on the whole matrix (``_certified_assignment``); smaller ones
by SciPy on the dense matrix, which is then as cheap."""
PER_ROW: int = 40
"""About this many pairs a row in the first sparse graph."""
ADD_PER_ROW: int = 20
"""At most this many pairs a row (on average) join the graph after a round."""
ROUNDS: int = 10
"""Rounds of adding the pairs that break the certificate before falling back to dense."""
SPARSE_WITH_MOVERS: bool = False
"""Whether a matrix with bonus columns (movers, or columns a branch forces to move) takes
the sparse path too. Exact either way (property-tested with it on), but not faster: on the
bench matrix with 1,000 movers of 2,000 rows it needed five rounds, 1.9–3.3 s against
2.4–2.5 s dense, so they stay dense until that is tuned."""
TOLERANCE: float = 1e-9
"""A reduced cost below -TOLERANCE breaks the certificate (the weights are at most a few
thousand, so rounding stays far below it)."""


def _minimum_assignment_of(
    weight: npt.NDArray[np.float64], special: I64 | None = None, bonus: float = 0.0
) -> tuple[I64, I64]:
    """A minimum assignment of ``weight`` (every entry at most 0; an entry of 0 is as good
    as leaving its row empty): dense for small matrices, else sparse and certified
    (``_certified_assignment``). Pairs of weight 0 may be left out of the sparse answer;
    the total is the dense optimum either way. ``special``: the columns whose usable
    entries carry ``bonus`` on top of their weight."""
    rows, cols = weight.shape
    if rows * cols < SPARSE_FROM or min(rows, cols) < PER_ROW:
        return _minimum_assignment(weight)
    if special is not None and special.size and not SPARSE_WITH_MOVERS:
        return _minimum_assignment(weight)
    found = _certified_assignment(weight, special, bonus)
    if found is None:
        return _minimum_assignment(weight)
    return found


def _first_graph(
    weight: npt.NDArray[np.float64], special: I64 | None, bonus: float
) -> npt.NDArray[np.int64]:
    """The first sparse graph, as keys ``row * columns + column``: the pairs at or below a
    threshold that keeps about ``PER_ROW`` pairs a row (estimated on a sample of the matrix,
    the bonus taken off), and every pair of a special column at or below it once the bonus
    is taken off, or weighing the bare bonus (a mover's staying)."""
    cols = weight.shape[1]
    rng = np.random.default_rng(0)
    take = min(weight.size, 20_000)
    flat = rng.integers(0, weight.size, take)
    sample = weight.ravel()[flat]
    if special is not None and special.size:
        hit = np.isin(flat % cols, special) & (sample < 0)
        sample[hit] += bonus
    at = min(take - 1, int(take * PER_ROW / cols))
    threshold = min(float(np.partition(sample, at)[at]), -1e-300)
    if special is None or not special.size:
        r, c = np.nonzero(weight <= threshold)
        return np.asarray(r * cols + c, dtype=np.int64)
    plain = np.ones(cols, dtype=np.bool_)
    plain[special] = False
    r, c = np.nonzero(weight <= threshold)
    keep = plain[c]
    r, c = r[keep], c[keep]
    part = weight[:, special]
    sr, sc = np.nonzero((part < 0) & ((part + bonus <= threshold) | (part == -bonus)))
    return np.concatenate([r * cols + c, sr * cols + special[sc]]).astype(np.int64)


def _certified_assignment(
    weight: npt.NDArray[np.float64], special: I64 | None = None, bonus: float = 0.0
) -> tuple[I64, I64] | None:
    """The minimum assignment of ``weight`` (entries ≤ 0; a row or a column may stay empty,
    worth 0), proved optimal on the whole matrix; None when it does not settle in
    ``ROUNDS`` rounds.

    Solved on a sparse graph (``_first_graph``) with SciPy's
    ``min_weight_full_bipartite_matching``: every row gets an own "empty" column of weight
    0, so a full matching always exists, and every weight is shifted by the same amount to
    be positive (one pair per row either way, so the optimum does not change).

    The certificate: the matching is a circulation z → row → column → z (z: "empty"),
    optimal over a set of pairs exactly when its residual graph has no negative cycle, i.e.
    when potentials ``d`` exist with ``d[head] <= d[tail] + cost`` on every residual arc
    (z → unplaced row, placed row → z, unplaced pair row → column at its weight, placed
    pair column → row at minus it, unchosen column → z, z → chosen column). The rows' ``d``
    are the shortest distances from z (Bellman-Ford, vectorised over the arcs, on the rows:
    row → column → the row placed there), a column's ``d`` the least its arcs out allow (0
    for an unchosen column, its row's plus the pair's weight for a chosen one). A pair
    (r, c) of the whole matrix outside the graph adds the arc r → c of cost
    ``weight[r, c]``; when ``d[c] <= d[r] + weight[r, c]`` holds for every pair of the
    matrix (vectorised, in blocks of rows), the potentials hold for the whole matrix, which
    then has no negative cycle: the matching is optimal there too. Otherwise the breaking
    pairs (the worst ``ADD_PER_ROW`` a row at most on average) join the graph, which is
    solved again."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    rows, cols = weight.shape
    key = np.unique(_first_graph(weight, special, bonus))
    shift = 1.0 - min(float(weight.min()), 0.0)  # every shifted weight ≥ 1
    empty = np.arange(rows, dtype=np.int64)
    block = max(1, (1 << 19) // cols)
    for _ in range(ROUNDS):
        r, c = np.divmod(key, cols)
        w = weight[r, c]
        graph = sp.csr_array(
            (
                np.concatenate([w + shift, np.full(rows, shift)]),
                (np.concatenate([r, empty]), np.concatenate([c, cols + empty])),
            ),
            shape=(rows, cols + rows),
        )
        mr, mc = min_weight_full_bipartite_matching(graph)
        real = mc < cols
        mr, mc = mr[real].astype(np.int64), mc[real].astype(np.int64)
        placed_w = weight[mr, mc]
        owner = np.full(cols, -1, dtype=np.int64)
        owner[mc] = mr
        chosen_w = np.zeros(cols)
        chosen_w[mc] = placed_w
        # Row → row arcs: r → c (unplaced pair) → owner[c] (placed pair, backwards).
        head = owner[c]
        arc = (head >= 0) & (head != r)
        tail, head, cost = r[arc], head[arc], (w - chosen_w[c])[arc]
        order = np.argsort(head, kind="stable")
        tail, head, cost = tail[order], head[order], cost[order]
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]]) if head.size else head
        heads = head[starts]
        d = np.zeros(rows)  # z → an unplaced row: 0; z → column → its row: -weight
        d[mr] = -placed_w
        for _step in range(rows + 1):
            if not heads.size:
                break
            best = np.minimum(d[heads], np.minimum.reduceat(d[tail] + cost, starts))
            if not (best < d[heads] - 1e-12).any():
                break
            d[heads] = best
        else:
            return None  # a negative cycle: cannot happen at an optimum
        dc = np.zeros(cols)
        dc[mc] = d[mr] + placed_w
        bad_r: list[I64] = []
        bad_c: list[I64] = []
        bad_v: list[npt.NDArray[np.float64]] = []
        for lo in range(0, rows, block):
            hi = min(rows, lo + block)
            reduced = weight[lo:hi] - dc
            reduced += d[lo:hi, None]
            below = reduced < -TOLERANCE
            if below.any():
                br, bc = np.nonzero(below)
                bad_r.append(br + lo)
                bad_c.append(bc)
                bad_v.append(reduced[br, bc])
        if not bad_r:
            return mr, mc
        br, bc, bv = np.concatenate(bad_r), np.concatenate(bad_c), np.concatenate(bad_v)
        if bv.size > ADD_PER_ROW * rows:
            pick = np.argpartition(bv, ADD_PER_ROW * rows)[: ADD_PER_ROW * rows]
            br, bc = br[pick], bc[pick]
        key = np.union1d(key, br * cols + bc)
    return None


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
    if p.conflicts:
        placed = {(int(r), int(c)) for r, c in enumerate(s.column_of) if c >= 0}
        moved = {c for _, c in placed}
        for a, b in p.conflicts:
            if a in placed and (b in placed if b[0] >= 0 else b[1] not in moved):
                return a, b
    if p.links is not None and len(p.links):
        return _link_violation(p.links, s.column_of)
    return None


def _row_of(column_of: I64, columns: int) -> I64:
    row_of = np.full(columns, -1, dtype=np.int64)
    rows = np.flatnonzero(column_of >= 0)
    row_of[column_of[rows]] = rows
    return row_of


def _link_violation(links: Links, column_of: I64) -> tuple[Pair, Pair] | None:
    """The first relation broken by the placement ``column_of``, as a pair of outcomes."""
    row_of = _row_of(column_of, links.home.size)
    end = np.where(row_of >= 0, row_of, links.home)
    x = row_of[links.first]  # where the first is placed (-1: not placed)
    y = end[links.second]  # where the second ends (-1: nowhere)
    live = (x >= 0) & (y >= 0)
    safe_x, safe_y = np.where(live, x, 0), np.where(live, y, 0)
    under = ((links.kind & UNDER) > 0) & (links.parent[safe_x] == y)
    above = ((links.kind & ABOVE) > 0) & (links.parent[safe_y] == x)
    broken = np.flatnonzero(live & (under | above))
    if not broken.size:
        return None
    t = int(broken[0])
    i, k = int(links.first[t]), int(links.second[t])
    placed_k = int(row_of[k])
    return (int(x[t]), i), ((placed_k, k) if placed_k >= 0 else (-1, k))


def solve(p: Problem) -> Solution:
    """The maximum-fit placement that honours every conflict: branch and bound around the
    assignment. Each node solves the assignment with some pairs forbidden and some columns
    forced to move; its optimum bounds every placement of the node. When it breaks a
    conflict (a, b), every placement that honours it lacks a or lacks b: the node splits
    into "forbid a" and "forbid b" (or "b's column moves" when b is its staying). Nodes are
    taken best bound first, so the first that breaks nothing is the optimum. Raises
    ``Infeasible`` when the pins break a conflict that no branch can mend."""
    root = _assign(p, frozenset(), frozenset())
    if not p.conflicts and not (p.links is not None and len(p.links)):
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
    special: I64 | None = None  # the bonus columns, as columns of ``weight``
    bonus = 0.0
    if bonus_cols:
        bonus = float(free_rows.size + 1)
        ok = ok.copy()
        special = at = np.array([col_at[c] for c in sorted(bonus_cols)], dtype=np.int64)
        weight[:, at] -= np.where(ok[:, at], bonus, 0.0)
        for r, c in stays:
            weight[row_at[r], col_at[c]] = -bonus
            ok[row_at[r], col_at[c]] = True
    rr, cc = _minimum_assignment_of(weight, special, bonus)
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
    not look ahead, so it keeps clear of every pair that could break one): of the listed
    conflicts, every pair; of the links, every placement that is in conflict with an
    allowed placement of the other person or with their staying."""
    ok = usable(p)
    if p.conflicts or (p.links is not None and len(p.links)):
        ok = ok.copy()
    for a, b in p.conflicts:
        ok[a] = False
        if b[0] >= 0:
            ok[b] = False
    if p.links is not None and len(p.links):
        allowed = p.allowed
        if p.pinned:  # a pin is placed whatever the rules say
            allowed = allowed.copy()
            allowed[tuple(np.array(p.pinned, dtype=np.int64).T)] = True
        for rows, column in link_pairs(p.links, allowed):
            ok[rows, column] = False
    return ok


def link_pairs(links: Links, allowed: B) -> list[tuple[I64, int]]:
    """Per relation, both ways: the rows of a column that are in conflict with an allowed
    placement of the other column, or (for the first) with the other's staying at home;
    as (rows, column). Linear in the rows per relation: nothing is paired up."""
    rows = allowed.shape[0]
    parent = links.parent
    row_parent = parent[:rows]
    has_row_parent = (row_parent >= 0) & (row_parent < rows)
    children = np.flatnonzero(has_row_parent)  # rows under a row
    out: list[tuple[I64, int]] = []
    for i, k, kind in zip(
        links.first.tolist(), links.second.tolist(), links.kind.tolist(), strict=True
    ):
        home = int(links.home[k])
        hit_i = np.zeros(rows, dtype=np.bool_)
        hit_k = np.zeros(rows, dtype=np.bool_)
        if kind & UNDER:  # i on x, k on parent[x] (a row) or at home = parent[x]
            up = row_parent[children]
            hit_i[children[allowed[up, k]]] = True
            if home >= 0:
                hit_i |= row_parent == home
            hit_k[up[allowed[children, i]]] = True
        if kind & ABOVE:  # k on a row y under x, or at home under x
            up = row_parent[children]
            hit_i[up[allowed[children, k]]] = True
            if home >= 0 and 0 <= parent[home] < rows:
                hit_i[parent[home]] = True
            hit_k[children[allowed[up, i]]] = True
        if hit_i.any():
            out.append((np.flatnonzero(hit_i), i))
        if hit_k.any():
            out.append((np.flatnonzero(hit_k), k))
    return out


def link_blocked(links: Links, column_of: I64, ok: B) -> dict[int, dict[int, int]]:
    """Row → the columns (with ``ok`` there) a relation kept off it, because where the
    other person ends would make it a conflict → that other column."""
    rows = ok.shape[0]
    row_of = _row_of(column_of, links.home.size)
    end = np.where(row_of >= 0, row_of, links.home)
    row_parent = links.parent[:rows]
    under: dict[int, list[int]] = {}  # position → the rows directly under it
    for x in np.flatnonzero(row_parent >= 0).tolist():
        under.setdefault(int(row_parent[x]), []).append(x)
    out: dict[int, dict[int, int]] = {}
    for i, k, kind in zip(
        links.first.tolist(), links.second.tolist(), links.kind.tolist(), strict=True
    ):
        y = int(end[k])
        if y < 0:
            continue
        xs: list[int] = []
        if kind & UNDER:
            xs += under.get(y, [])
        if kind & ABOVE:
            up = int(links.parent[y])
            if 0 <= up < rows:
                xs.append(up)
        for x in xs:
            if ok[x, i] and column_of[x] != i:
                out.setdefault(x, {}).setdefault(i, k)
    return out


def forced_movers(p: Problem) -> set[int]:
    """Columns that must move: their staying is in conflict with a pinned pair."""
    pinned = set(p.pinned)
    forced = {b[1] for a, b in p.conflicts if a in pinned and b[0] < 0}
    if p.links is not None and len(p.links) and pinned:
        at = dict((c, r) for r, c in p.pinned)
        for i, k, kind in zip(
            p.links.first.tolist(), p.links.second.tolist(), p.links.kind.tolist(), strict=True
        ):
            x, home = at.get(i), int(p.links.home[k])
            if x is None or home < 0 or k in at:
                continue
            if (kind & UNDER and p.links.parent[x] == home) or (
                kind & ABOVE and p.links.parent[home] == x
            ):
                forced.add(k)
    return forced - {c for _, c in p.pinned}


def greedy(p: Problem, k: int = 8) -> Solution:
    """The baseline: pinned pairs first, then, again and again, the best pair whose row and
    column are both free (highest fit; ties by row, then column). A mover's own row is kept
    for them until they move, then it is free.

    Without a sort of every pair: each free row keeps a short list, in order, of its free
    columns at or above a floor (the least of the best fits of ``k`` blocks of its columns,
    so at least one pair per block); a heap holds each row's head. A head whose column was
    taken meanwhile is skipped; a row whose list runs out lists again from the columns
    still free. So the pair taken is always the best free one, as a sort of all pairs taken
    one by one would give. Before all that, whoever a pin would leave in conflict where
    they stand is placed (``forced_movers``); ``Infeasible`` when one of them cannot be."""
    rows, cols = p.fit.shape
    column_of = np.full(rows, -1, dtype=np.int64)
    taken = np.zeros(cols, dtype=np.bool_)
    objective = 0.0
    for r, c in p.pinned:
        column_of[r] = c
        taken[c] = True
        objective += float(p.fit[r, c])
    ok = greedy_usable(p)
    # Whoever a pin leaves in conflict where they stand moves first, each time the best
    # free pair among them; a row someone holds today stays theirs until they move.
    forced = forced_movers(p)
    held = {r for r, c in p.stay if c not in forced and not taken[c]}
    while forced:
        free_rows = np.flatnonzero(column_of < 0)
        free_rows = np.array([r for r in free_rows.tolist() if r not in held], dtype=np.int64)
        movers = np.array(sorted(forced), dtype=np.int64)
        if not free_rows.size:
            raise Infeasible
        grid = np.ix_(free_rows, movers)
        part = np.where(ok[grid], p.fit[grid], -np.inf)
        if not np.isfinite(part).any():
            raise Infeasible
        flat = int(np.argmax(part.T))  # the best; ties: the first column, then row
        b, a = divmod(flat, free_rows.size)
        r, c = int(free_rows[a]), int(movers[b])
        column_of[r] = c
        taken[c] = True
        objective += float(p.fit[r, c])
        forced.discard(c)
    reserved = {r: c for r, c in p.stay if column_of[r] < 0 and not taken[c]}
    held_for: dict[int, list[int]] = {}
    for r, c in reserved.items():
        held_for.setdefault(c, []).append(r)
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
