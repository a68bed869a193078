"""The round's solver: equal to SciPy on the plain matrix, at least the greedy baseline,
deterministic, honouring pins, forbidden pairs, the minimum fit and movers; the greedy
baseline equal to the one-by-one sorted greedy."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.rotations import assignment


def random_problem(seed: int, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    fit = np.round(rng.random((rows, cols)), 2)
    allowed = rng.random((rows, cols)) < 0.7
    return fit, allowed


def sorted_greedy(fit: np.ndarray, ok: np.ndarray) -> float:
    rows, cols = np.nonzero(ok)
    order = sorted(zip(rows, cols, strict=True), key=lambda rc: (-fit[rc], rc[0], rc[1]))
    used_r: set[int] = set()
    used_c: set[int] = set()
    total = 0.0
    for r, c in order:
        if r not in used_r and c not in used_c:
            used_r.add(int(r))
            used_c.add(int(c))
            total += fit[r, c]
    return total


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 100_000), st.integers(1, 12), st.integers(1, 12), st.sampled_from([0, 0.3]))
def test_optimum_equals_scipy_and_beats_greedy(seed: int, rows: int, cols: int, low: float) -> None:
    fit, allowed = random_problem(seed, rows, cols)
    problem = assignment.Problem(fit, allowed, min_fit=low)
    exact = assignment.solve(problem)
    base = assignment.greedy(problem)
    assert abs(exact.objective - assignment.reference_objective(fit, allowed, low)) < 1e-9
    assert exact.objective >= base.objective - 1e-9
    assert abs(base.objective - sorted_greedy(fit, allowed & (fit >= low))) < 1e-9
    for solution in (exact, base):
        placed = solution.column_of[solution.column_of >= 0]
        assert len(set(placed.tolist())) == len(placed)  # one person per position
        for r, c in enumerate(solution.column_of):
            if c >= 0:
                assert allowed[r, c] and fit[r, c] >= low
    again = assignment.solve(problem)
    assert (again.column_of == exact.column_of).all()


def test_pins_come_first_even_below_the_minimum() -> None:
    fit = np.array([[0.9, 0.1], [0.8, 0.2]])
    allowed = np.ones((2, 2), dtype=bool)
    problem = assignment.Problem(fit, allowed, min_fit=0.5, pinned=[(0, 1)])
    exact = assignment.solve(problem)
    assert exact.column_of.tolist() == [1, 0]
    assert abs(exact.objective - 0.9) < 1e-9
    assert assignment.greedy(problem).column_of.tolist() == [1, 0]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100_000), st.integers(2, 7), st.integers(2, 7))
def test_movers_stay_or_move_and_their_rows_are_never_double(
    seed: int, rows: int, cols: int
) -> None:
    """Columns 0..k-1 hold rows 0..k-1 today; each ends placed elsewhere or staying, and a
    row kept by a stayer is given to nobody else. Checked against brute force."""
    fit, allowed = random_problem(seed, rows, cols)
    k = min(rows, cols) // 2
    stay = [(i, i) for i in range(k)]
    for i in range(k):
        allowed[i, i] = False  # own position: staying, not a move
    problem = assignment.Problem(fit, allowed, stay=stay)
    for solution in (assignment.solve(problem), assignment.greedy(problem)):
        placed = {int(c): r for r, c in enumerate(solution.column_of) if c >= 0}
        for r, c in stay:
            moved = c in placed
            assert moved != (c in solution.stays)
            if not moved:
                assert solution.column_of[r] < 0  # their own row stays theirs
    best = brute_force(fit, allowed, stay)
    assert abs(assignment.solve(problem).objective - best) < 1e-9


def brute_force(fit: np.ndarray, allowed: np.ndarray, stay: list[tuple[int, int]]) -> float:
    rows, cols = fit.shape
    stay_row = {c: r for r, c in stay}
    best = 0.0

    def walk(r: int, used: frozenset[int], total: float) -> None:
        nonlocal best
        if r == rows:
            # a mover who did not move stays, and needs their row empty
            for c, own in stay_row.items():
                if c not in used and own in filled:
                    return
            best = max(best, total)
            return
        walk(r + 1, used, total)
        for c in range(cols):
            if c not in used and allowed[r, c]:
                filled.add(r)
                walk(r + 1, used | {c}, total + fit[r, c])
                filled.discard(r)

    filled: set[int] = set()
    walk(0, frozenset(), 0.0)
    return best


def random_conflicts(
    seed: int, rows: int, cols: int, n: int
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """``n`` conflicts: a placement against another placement, or against a column's
    staying where it is."""
    rng = np.random.default_rng(seed + 1)
    out = []
    for _ in range(n):
        a = (int(rng.integers(rows)), int(rng.integers(cols)))
        c = int(rng.integers(cols))
        b = (-1, c) if rng.random() < 0.4 else (int(rng.integers(rows)), c)
        if b[1] != a[1] and b[0] != a[0]:
            out.append((a, b))
    return out


def brute_force_with_conflicts(problem: assignment.Problem) -> float | None:
    """Every placement: pins hold, a mover who does not move keeps their row, no conflict
    holds on both sides; the best total fit, or None when none is possible."""
    rows, cols = problem.fit.shape
    ok = assignment.usable(problem)
    pin = dict(problem.pinned)
    pinned_cols = set(pin.values())
    movers = {c: r for r, c in problem.stay if r not in pin and c not in pinned_cols}
    best: float | None = None
    column_of = [-1] * rows

    def walk(r: int, used: frozenset[int], total: float) -> None:
        nonlocal best
        if r == rows:
            if any(c not in used and column_of[own] >= 0 for c, own in movers.items()):
                return
            s = assignment.Solution(np.array(column_of, dtype=np.int64), total)
            if assignment.violation(problem, s) is None and (best is None or total > best):
                best = total
            return
        if r in pin:
            column_of[r] = pin[r]
            walk(r + 1, used | {pin[r]}, total + problem.fit[r, pin[r]])
            column_of[r] = -1
            return
        walk(r + 1, used, total)
        for c in range(cols):
            if c not in used and c not in pinned_cols and ok[r, c]:
                column_of[r] = c
                walk(r + 1, used | {c}, total + problem.fit[r, c])
                column_of[r] = -1

    walk(0, frozenset(), 0.0)
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 100_000),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 6),
    st.booleans(),
    st.booleans(),
)
def test_conflicts_inside_the_round_are_honoured_exactly(
    seed: int, rows: int, cols: int, n: int, movers: bool, pin: bool
) -> None:
    """With conflicts between placements (and placements against staying), the branch and
    bound equals brute force, never breaks a conflict, and the greedy baseline breaks none
    and stays at or below it."""
    fit, allowed = random_problem(seed, rows, cols)
    k = min(rows, cols) // 2 if movers else 0
    stay = [(i, i) for i in range(k)]
    for i in range(k):
        allowed[i, i] = False
    pinned = [(rows - 1, cols - 1)] if pin and rows - 1 >= k and cols - 1 >= k else []
    problem = assignment.Problem(
        fit, allowed, stay=stay, pinned=pinned, conflicts=random_conflicts(seed, rows, cols, n)
    )
    best = brute_force_with_conflicts(problem)
    if best is None:
        try:
            assignment.solve(problem)
        except assignment.Infeasible:
            return
        raise AssertionError("a solution where brute force finds none")
    exact = assignment.solve(problem)
    assert abs(exact.objective - best) < 1e-9
    assert assignment.violation(problem, exact) is None
    placed = {int(c) for c in exact.column_of if c >= 0}
    for r, c in stay:
        if c not in placed and (r, c) not in pinned:
            assert exact.column_of[r] < 0 and c in exact.stays
    try:  # the greedy breaks no conflict, a pin's included (it moves whom the pin needs
        # moved, or gives up)
        base = assignment.greedy(problem)
    except assignment.Infeasible:
        assert assignment.forced_movers(problem)
    else:
        assert assignment.violation(problem, base) is None
        assert base.objective <= exact.objective + 1e-9
    assert (assignment.solve(problem).column_of == exact.column_of).all()


def rounds_greedy(p: assignment.Problem) -> assignment.Solution:
    """The greedy baseline as it was before the heap (rounds of pairs best both in their
    row and in their column), kept as a reference the heap must equal."""
    rows, cols = p.fit.shape
    column_of = np.full(rows, -1, dtype=np.int64)
    taken = np.zeros(cols, dtype=np.bool_)
    objective = 0.0
    for r, c in p.pinned:
        column_of[r] = c
        taken[c] = True
        objective += float(p.fit[r, c])
    reserved = {r: c for r, c in p.stay if column_of[r] < 0 and not taken[c]}
    ok = assignment.greedy_usable(p)
    # The free part of the matrix, compacted as rows fill and columns are taken.
    active_r = np.flatnonzero(column_of < 0)
    active_c = np.flatnonzero(~taken)

    def row_weights(r: int, cols: np.ndarray) -> np.ndarray:
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
    return assignment.Solution(column_of, objective, set(reserved.values()))


def one_by_one_greedy(p: assignment.Problem) -> assignment.Solution:
    """Again and again the best free pair, by a scan of every pair: the plain greedy."""
    rows, cols = p.fit.shape
    fit = p.fit.astype(np.float32)
    ok = assignment.greedy_usable(p)
    column_of = np.full(rows, -1, dtype=np.int64)
    objective = 0.0
    for r, c in p.pinned:
        column_of[r] = c
        objective += float(p.fit[r, c])
    pinned_cols = {c for _, c in p.pinned}
    forced = {b[1] for a, b in p.conflicts if a in set(p.pinned) and b[0] < 0} - pinned_cols
    held = {r for r, c in p.stay if c not in forced and c not in pinned_cols}
    while forced:  # whom a pin leaves in conflict where they stand: placed first
        options = [
            (-fit[r, c], c, r)
            for c in forced
            for r in range(rows)
            if ok[r, c] and column_of[r] < 0 and r not in held
        ]
        if not options:
            raise assignment.Infeasible
        _, c, r = min(options)
        column_of[r] = c
        objective += float(p.fit[r, c])
        forced.discard(c)
    reserved = {r: c for r, c in p.stay if column_of[r] < 0 and c not in column_of}
    while True:
        free = [
            (-fit[r, c], r, c)
            for r in range(rows)
            for c in range(cols)
            if ok[r, c] and column_of[r] < 0 and r not in reserved and c not in column_of
        ]
        if not free:
            return assignment.Solution(column_of, objective, set(reserved.values()))
        _, r, c = min(free)
        column_of[r] = c
        objective += float(p.fit[r, c])
        reserved = {row: col for row, col in reserved.items() if col != c}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 100_000),
    st.integers(1, 14),
    st.integers(1, 14),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from([1, 2, 8]),
)
def test_the_heap_greedy_equals_the_rounds_greedy(
    seed: int, rows: int, cols: int, n: int, movers: bool, k: int
) -> None:
    """The greedy by a heap over each row's short list places exactly as a scan for the best
    free pair again and again (ties included: fits of two decimals), with pins, conflicts,
    movers, and lists as short as one pair (so that rows list again); and, without movers,
    exactly as the greedy by rounds of mutual best pairs did. (With movers the rounds freed
    a mover's row only after a whole round, which is not the plain greedy.)"""
    fit, allowed = random_problem(seed, rows, cols)
    stay = [(i, i) for i in range(min(rows, cols) // 2)] if movers else []
    for r, c in stay:
        allowed[r, c] = False
    pinned = [(rows - 1, cols - 1)] if seed % 3 == 0 and (rows - 1, cols - 1) not in stay else []
    problem = assignment.Problem(
        fit.astype(np.float32),
        allowed,
        min_fit=0.2 if seed % 2 else 0.0,
        pinned=pinned,
        stay=stay,
        conflicts=random_conflicts(seed, rows, cols, n),
    )
    try:
        plain = one_by_one_greedy(problem)
    except assignment.Infeasible:
        try:
            assignment.greedy(problem, k=k)
        except assignment.Infeasible:
            return
        raise AssertionError("the greedy placed what the plain greedy cannot") from None
    heap = assignment.greedy(problem, k=k)
    assert heap.column_of.tolist() == plain.column_of.tolist()
    assert heap.stays == plain.stays
    assert abs(heap.objective - plain.objective) < 1e-6
    if not movers and not assignment.forced_movers(problem):
        assert heap.column_of.tolist() == rounds_greedy(problem).column_of.tolist()
