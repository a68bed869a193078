"""The sparse, certified assignment (large rounds) equals the dense one: on random
instances with pins, forbidden pairs, a minimum fit and movers, through the branch and bound
of conflicts, and when the first graph is far too thin (the certificate adds pairs)."""

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.rotations import assignment
from tests.rotations.test_assignment import brute_force_with_conflicts, random_conflicts


@contextmanager
def path(sparse: bool, per_row: int = 2) -> Iterator[None]:
    """Every assignment sparse and certified (``per_row`` pairs a row at first), or every
    one dense."""
    saved = assignment.SPARSE_FROM, assignment.PER_ROW, assignment.SPARSE_WITH_MOVERS
    assignment.SPARSE_FROM = 0 if sparse else 1 << 62
    assignment.PER_ROW = per_row
    assignment.SPARSE_WITH_MOVERS = sparse
    try:
        yield
    finally:
        assignment.SPARSE_FROM, assignment.PER_ROW, assignment.SPARSE_WITH_MOVERS = saved


def instance(seed: int, rows: int, cols: int, movers: bool, pins: int, low: float):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    # Popular candidates and demanding rows, as in a real round: the best pairs crowd.
    fit = np.clip(
        rng.random((rows, 1)) * 0.3 + rng.random((1, cols)) * 0.5 + rng.random((rows, cols)) * 0.2,
        0,
        1,
    )
    fit = np.round(fit, int(rng.integers(1, 4)))
    allowed = rng.random((rows, cols)) < rng.uniform(0.2, 1.0)  # the rest forbidden
    k = min(rows, cols) // 3 if movers else 0
    stay = [(i, i) for i in range(k)]
    for i in range(k):
        allowed[i, i] = False
    free_r = [r for r in range(k, rows)]
    free_c = [c for c in range(k, cols)]
    pinned = list(zip(free_r[:pins], free_c[::-1][:pins], strict=False))
    return assignment.Problem(fit, allowed, min_fit=low, pinned=pinned, stay=stay)


def check(problem: assignment.Problem, s: assignment.Solution) -> None:
    placed = s.column_of[s.column_of >= 0]
    assert len(set(placed.tolist())) == len(placed)
    pinned = set(problem.pinned)
    usable = assignment.usable(problem)
    for r, c in enumerate(s.column_of.tolist()):
        if c >= 0:
            assert (r, c) in pinned or usable[r, c]
    moved = set(placed.tolist())
    for r, c in problem.stay:
        assert (c in moved) != (c in s.stays)
        if c in s.stays:
            assert s.column_of[r] < 0


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 100_000),
    st.integers(1, 30),
    st.integers(1, 40),
    st.booleans(),
    st.integers(0, 3),
    st.sampled_from([0.0, 0.4, 0.6]),
    st.integers(1, 6),
)
def test_sparse_equals_dense(
    seed: int, rows: int, cols: int, movers: bool, pins: int, low: float, per_row: int
) -> None:
    problem = instance(seed, rows, cols, movers, pins, low)
    with path(sparse=False):
        dense = assignment.solve(problem)
    with path(sparse=True, per_row=per_row):
        sparse = assignment.solve(problem)
    assert abs(sparse.objective - dense.objective) < 1e-9
    check(problem, sparse)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 100_000),
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 6),
    st.booleans(),
    st.booleans(),
)
def test_sparse_branch_and_bound_equals_brute_force(
    seed: int, rows: int, cols: int, n: int, movers: bool, pin: bool
) -> None:
    """The branch and bound forbids pairs and forces movers at each node: the sparse path
    honours both (its optimum equals brute force, and no conflict is broken)."""
    problem = instance(seed, rows, cols, movers, 1 if pin else 0, 0.0)
    problem = assignment.Problem(
        problem.fit,
        problem.allowed,
        pinned=problem.pinned,
        stay=problem.stay,
        conflicts=random_conflicts(seed, rows, cols, n),
    )
    best = brute_force_with_conflicts(problem)
    with path(sparse=True, per_row=1):
        if best is None:
            try:
                assignment.solve(problem)
            except assignment.Infeasible:
                return
            raise AssertionError("a solution where brute force finds none")
        exact = assignment.solve(problem)
    assert abs(exact.objective - best) < 1e-9
    assert assignment.violation(problem, exact) is None
    check(problem, exact)


def test_a_medium_round_is_certified_without_falling_back() -> None:
    """320 × 800 with crowding fits: above the size where the sparse path starts, five pairs
    a row at first; the certificate adds what is missing (no dense fallback: ``ROUNDS``
    rounds suffice) and the optimum equals SciPy's."""
    problem = instance(7, 320, 800, False, 3, 0.0)
    rows, cols = problem.fit.shape
    weight = -np.where(assignment.usable(problem), problem.fit, 0.0)
    saved = assignment.PER_ROW
    assignment.PER_ROW = 5
    try:
        found = assignment._certified_assignment(weight)
    finally:
        assignment.PER_ROW = saved
    assert found is not None
    rr, cc = found
    assert len(set(cc.tolist())) == len(cc)
    reference = assignment.reference_objective(problem.fit, problem.allowed)
    assert abs(-weight[rr, cc].sum() - reference) < 1e-9
    assert rows * cols >= assignment.SPARSE_FROM  # solve() itself takes the sparse path
    with path(sparse=False):
        dense = assignment.solve(problem)
    assert abs(assignment.solve(problem).objective - dense.objective) < 1e-9


def test_no_certificate_in_time_falls_back_to_dense() -> None:
    problem = instance(3, 40, 60, False, 0, 0.0)
    weight = -np.where(assignment.usable(problem), problem.fit, 0.0)
    saved = assignment.ROUNDS
    assignment.ROUNDS = 0
    try:
        assert assignment._certified_assignment(weight) is None
        rr, cc = assignment._minimum_assignment_of(weight)
    finally:
        assignment.ROUNDS = saved
    assert (
        abs(-weight[rr, cc].sum() - assignment.reference_objective(problem.fit, problem.allowed))
        < 1e-9
    )
