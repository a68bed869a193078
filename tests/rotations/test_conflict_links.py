"""Conflicts of interest as links between people (``assignment.Links``), checked on each
candidate placement instead of listed as pairs of outcomes: the same optimum as brute
force and the same greedy exclusions as the pairs they stand for; a round over a deep
reporting line hands the solver one entry per relation, not one per two linked rows; and
the greedy baseline moves whoever a pin leaves in conflict where they stand."""

import uuid
from types import SimpleNamespace
from typing import Any

import numpy as np
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.rotations import assignment, rules, scoring
from asn_career.rotations.fit.service import Loaded
from asn_career.rotations.rounds.service import Exclusions, RoundService
from tests.conftest import AGENCY_A
from tests.rotations.test_assignment import brute_force_with_conflicts, random_problem

Pairs = list[tuple[assignment.Pair, assignment.Pair]]


def random_links(seed: int, rows: int, cols: int, n: int) -> assignment.Links:
    """A random reporting forest over the rows and two more positions, homes among them
    (or none), and ``n`` relations of random kinds."""
    rng = np.random.default_rng(seed + 7)
    positions = rows + 2
    parent = np.full(positions, -1, dtype=np.int64)
    for q in range(1, positions):
        if rng.random() < 0.8:
            parent[q] = int(rng.integers(q))  # a forest: parents come earlier
    home = rng.integers(-1, positions, cols).astype(np.int64)
    first, second, kind = [], [], []
    for _ in range(n):
        i, k = (int(v) for v in rng.integers(cols, size=2))
        if i != k:
            first.append(i)
            second.append(k)
            kind.append(int(rng.integers(1, 4)))
    return assignment.Links(
        parent, home, np.array(first, np.int64), np.array(second, np.int64), np.array(kind)
    )


def as_pairs(links: assignment.Links, allowed: np.ndarray) -> Pairs:
    """The pairs of outcomes the links stand for, listed one by one, those with an
    outcome no rule allows left out (what the round did before: quadratic in a reporting
    line)."""
    rows = allowed.shape[0]
    out: Pairs = []
    parent = links.parent
    for i, k, kind in zip(links.first, links.second, links.kind, strict=True):
        i, k, kind = int(i), int(k), int(kind)
        for x in range(rows):
            for y in range(rows):
                if (kind & assignment.UNDER and parent[x] == y) or (
                    kind & assignment.ABOVE and parent[y] == x
                ):
                    out.append(((x, i), (y, k)))
            home = int(links.home[k])
            if home >= 0 and (
                (kind & assignment.UNDER and parent[x] == home)
                or (kind & assignment.ABOVE and parent[home] == x)
            ):
                out.append(((x, i), (-1, k)))
    return [(a, b) for a, b in out if allowed[a] and (b[0] < 0 or allowed[b])]


@settings(max_examples=120, deadline=None)
@given(
    st.integers(0, 100_000),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 4),
    st.booleans(),
)
def test_links_are_honoured_exactly_and_mean_the_listed_pairs(
    seed: int, rows: int, cols: int, n: int, pin: bool
) -> None:
    fit, allowed = random_problem(seed, rows, cols)
    links = random_links(seed, rows, cols, n)
    pinned = [(rows - 1, cols - 1)] if pin else []
    for pair in pinned:  # a round pins only pairs every rule allows
        allowed[pair] = True
    linked = assignment.Problem(fit, allowed, pinned=pinned, links=links)
    listed = assignment.Problem(fit, allowed, pinned=pinned, conflicts=as_pairs(links, allowed))
    best = brute_force_with_conflicts(listed)
    assert (assignment.greedy_usable(linked) == assignment.greedy_usable(listed)).all()
    assert assignment.forced_movers(linked) == assignment.forced_movers(listed)
    if best is None:
        for p in (linked, listed):
            try:
                assignment.solve(p)
            except assignment.Infeasible:
                continue
            raise AssertionError("a solution where brute force finds none")
        return
    exact = assignment.solve(linked)
    assert abs(exact.objective - best) < 1e-9
    assert assignment.violation(linked, exact) is None
    assert assignment.violation(listed, exact) is None
    try:
        base = assignment.greedy(linked)
    except assignment.Infeasible:
        assert assignment.forced_movers(linked)
    else:
        assert assignment.violation(linked, base) is None
        assert base.objective <= exact.objective + 1e-9


def test_the_greedy_moves_whom_a_pin_leaves_in_conflict_where_they_stand() -> None:
    """Column 0 holds row 0 today; column 1 is pinned to row 1, which may not stand with
    column 0 staying. Column 2 fits row 2 best, so a greedy that keeps column 0 where it
    stands until it moves takes (2, 2) and leaves the conflict: column 0 must move first."""
    fit = np.array([[0.0, 0.0, 0.5], [0.0, 0.4, 0.0], [0.1, 0.0, 0.9]])
    allowed = np.array([[False, False, True], [False, True, False], [True, False, True]])
    problem = assignment.Problem(
        fit, allowed, pinned=[(1, 1)], stay=[(0, 0)], conflicts=[((1, 1), (-1, 0))]
    )
    exact = assignment.solve(problem)
    base = assignment.greedy(problem)
    assert assignment.violation(problem, exact) is None
    assert assignment.violation(problem, base) is None
    assert base.column_of.tolist() == [2, 1, 0]


async def test_a_deep_reporting_line_costs_one_link_per_relation(app: FastAPI) -> None:
    """Forty positions in one line, each held by the subordinate of the one above, all in
    the pool and all rows (``include_vacated``): every holder may end neither under their
    subordinate of today nor above their boss. Listed as pairs of outcomes that was one
    pair per relation and per link of the line (about forty squared); as links it is two
    per person, and the solver still honours them."""
    depth = 40
    ids = [uuid.uuid4() for _ in range(depth)]
    people = [uuid.uuid4() for _ in range(depth)]
    positions = [
        SimpleNamespace(
            id=ids[t],
            reports_to_position_id=ids[t - 1] if t else None,
            holder_id=people[t],
        )
        for t in range(depth)
    ]
    loaded = Loaded(
        inputs=scoring.FitInputs(*([np.zeros(0)] * 15)),  # type: ignore[arg-type]
        people=[{"employee_id": e} for e in people],
        positions=positions,
        person_index={e: t for t, e in enumerate(people)},
        position_index={p: t for t, p in enumerate(ids)},
        policy=rules.DEFAULT_POLICY,
    )
    hr = Principal(subject="test", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    masks = Exclusions(depth, np.zeros(depth, dtype=np.bool_), None)
    async with unit_of_work(app.state.sessionmaker) as session:
        found: Any = await RoundService(session, hr)._conflicts(
            loaded, {p.id: p for p in positions}, masks
        )
    size = len(found)
    assert size <= 2 * depth, size
    rng = np.random.default_rng(3)
    fit = np.round(rng.random((depth, depth)), 2)
    allowed = ~np.eye(depth, dtype=np.bool_)
    problem = assignment.Problem(fit, allowed, stay=[(t, t) for t in range(depth)], links=found)
    exact = assignment.solve(problem)
    assert assignment.violation(problem, exact) is None
    placed = {int(c): r for r, c in enumerate(exact.column_of) if c >= 0}
    for t in range(1, depth):  # t reports to t - 1 today
        boss, sub = t - 1, t
        row_boss = placed.get(boss, boss)
        row_sub = placed.get(sub, sub)
        assert not (boss in placed and row_boss == row_sub + 1)  # boss directly under sub
