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
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

F = npt.NDArray[np.floating]
B = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Problem:
    fit: F  # rows × columns
    allowed: B  # rows × columns
    min_fit: float = 0.0
    pinned: Sequence[tuple[int, int]] = ()  # (row, column), placed whatever their fit
    stay: Sequence[tuple[int, int]] = ()  # (row, column): the column holds the row today


@dataclass
class Solution:
    column_of: I64  # per row: the column placed there, -1 when empty
    objective: float  # total fit of the moves (stays count nothing)
    stays: set[int] = field(default_factory=set)  # movers' columns that stayed


def usable(p: Problem) -> B:
    return np.asarray(p.allowed & (p.fit >= p.min_fit))


def solve(p: Problem) -> Solution:
    rows, cols = p.fit.shape
    column_of = np.full(rows, -1, dtype=np.int64)
    objective = 0.0
    pinned_rows = {r for r, _ in p.pinned}
    pinned_cols = {c for _, c in p.pinned}
    for r, c in p.pinned:
        column_of[r] = c
        objective += float(p.fit[r, c])
    free_rows = np.array([r for r in range(rows) if r not in pinned_rows], dtype=np.int64)
    free_cols = np.array([c for c in range(cols) if c not in pinned_cols], dtype=np.int64)
    stays = {(r, c) for r, c in p.stay if r not in pinned_rows and c not in pinned_cols}
    if free_rows.size and free_cols.size:
        if free_rows.size == rows and free_cols.size == cols:  # nothing pinned: no copy
            ok = usable(p)
            weight = np.where(ok, p.fit, 0.0).astype(np.float64, copy=False)
        else:
            sub = np.ix_(free_rows, free_cols)
            ok = usable(p)[sub]
            weight = np.where(ok, p.fit[sub], 0.0).astype(np.float64, copy=False)
        if stays:
            bonus = float(free_rows.size + 1)
            row_at = {int(r): k for k, r in enumerate(free_rows)}
            col_at = {int(c): k for k, c in enumerate(free_cols)}
            mover_cols = np.array([col_at[c] for _, c in stays], dtype=np.int64)
            weight[:, mover_cols] += np.where(ok[:, mover_cols], bonus, 0.0)
            for r, c in stays:
                weight[row_at[r], col_at[c]] = bonus
                ok[row_at[r], col_at[c]] = True
        rr, cc = linear_sum_assignment(weight, maximize=True)
        stay_set = {(int(r), int(c)) for r, c in stays}
        stayed: set[int] = set()
        for a, b in zip(rr, cc, strict=True):
            if not ok[a, b]:
                continue
            r, c = int(free_rows[a]), int(free_cols[b])
            if (r, c) in stay_set:
                stayed.add(c)
                continue
            column_of[r] = c
            objective += float(p.fit[r, c])
        return Solution(column_of, objective, stayed)
    return Solution(column_of, objective, set())


def greedy(p: Problem) -> Solution:
    """The baseline: pinned pairs first, then the usable pairs taken by fit, highest first,
    each when its row and column are free (ties by row, then column). Vectorised as rounds
    of the pairs that are best both in their row and in their column among what is free,
    which takes exactly the pairs the sorted one-by-one greedy takes. A mover's own row is
    kept for them until they move, then freed for the next round."""
    rows, cols = p.fit.shape
    column_of = np.full(rows, -1, dtype=np.int64)
    taken = np.zeros(cols, dtype=np.bool_)
    objective = 0.0
    for r, c in p.pinned:
        column_of[r] = c
        taken[c] = True
        objective += float(p.fit[r, c])
    reserved = {r: c for r, c in p.stay if column_of[r] < 0 and not taken[c]}
    ok = usable(p)
    # The free part of the matrix, compacted as rows fill and columns are taken.
    active_r = np.flatnonzero(column_of < 0)
    active_c = np.flatnonzero(~taken)

    def row_weights(r: int, cols: I64) -> npt.NDArray[np.float32]:
        return np.where(ok[r, cols], p.fit[r, cols], -np.inf).astype(np.float32)

    if active_r.size == rows and active_c.size == cols:  # nothing pinned: no copy of a part
        w = np.where(ok, p.fit, np.float32(-np.inf)).astype(np.float32, copy=False)
    else:
        sub = np.ix_(active_r, active_c)
        w = np.where(ok[sub], p.fit[sub], np.float32(-np.inf)).astype(np.float32, copy=False)
    waiting = np.isin(active_r, list(reserved))
    w[waiting] = -np.inf
    while active_r.size and active_c.size:
        best_col = np.argmax(w, axis=1)
        best_row = np.argmax(w, axis=0)
        at = np.arange(active_r.size)
        finite = np.isfinite(w[at, best_col])
        mutual = (best_row[best_col] == at) & finite
        if not mutual.any():
            break
        for k in np.flatnonzero(mutual):
            r, c = int(active_r[k]), int(active_c[best_col[k]])
            column_of[r] = c
            taken[c] = True
            objective += float(p.fit[r, c])
            for row in [row for row, col in reserved.items() if col == c]:
                del reserved[row]
        keep_c = ~taken[active_c]
        keep_r = ~mutual & (finite | waiting)
        active_r, active_c = active_r[keep_r], active_c[keep_c]
        w = w[np.ix_(keep_r, keep_c)]
        waiting = waiting[keep_r]
        for k in np.flatnonzero(waiting):
            if int(active_r[k]) not in reserved:  # its mover has moved: the row is free
                waiting[k] = False
                w[k] = row_weights(int(active_r[k]), active_c)
    return Solution(column_of, objective, set(reserved.values()))


def reference_objective(fit: F, allowed: B, min_fit: float = 0.0) -> float:
    """SciPy on the plain weight matrix (no pins, no movers): what ``solve`` must equal."""
    weight = np.where(allowed & (fit >= min_fit), fit, 0.0).astype(np.float64)
    rr, cc = linear_sum_assignment(weight, maximize=True)
    return float(weight[rr, cc].sum())
