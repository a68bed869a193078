"""The fit parts: known values, and the grid (every employee × every position) equal to
the pairs scored one by one, on random inputs."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.rotations import rules, scoring


def inputs(seed: int, n: int, m: int) -> scoring.FitInputs:
    rng = np.random.default_rng(seed)
    k, f, u, p = 4, 3, 3, 5
    required = rng.integers(0, 6, (m, k)).astype(np.float32)
    required[0] = 0  # a position that requires nothing
    preferred = rng.random((m, f)) < 0.4
    preferred[-1] = False  # and one without preferred fields
    scale = rng.integers(-1, 2, m)
    return scoring.FitInputs(
        levels=rng.integers(0, 6, (n, k)).astype(np.float32),
        education=rng.random((n, f)) < 0.4,
        rank_scale=rng.integers(-1, 2, n).astype(np.int64),
        rank_ordinal=rng.integers(1, 18, n).astype(np.int64),
        worked_kinds=rng.random((n, u)) < 0.5,
        performance=rng.choice([0.0, 0.4, 0.5, 0.75, 1.0], n).astype(np.float32),
        interest_employee=rng.integers(0, n, p).astype(np.int64),
        interest_position=rng.integers(0, m, p).astype(np.int64),
        interest_score=rng.choice([1.0, 0.6], p).astype(np.float32),
        required=required,
        preferred=preferred,
        range_scale=scale.astype(np.int64),
        range_low=rng.integers(0, 9, m).astype(np.int64),
        range_high=rng.integers(9, 100, m).astype(np.int64),
        unit_kind=rng.integers(0, u, m).astype(np.int64),
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 9), st.integers(1, 7))
def test_the_grid_equals_the_pairs(seed: int, n: int, m: int) -> None:
    x = inputs(seed, n, m)
    weights = {
        "competency": 3,
        "education": 2,
        "rank": 1,
        "experience": 1,
        "interest": 1,
        "performance": 2,
    }
    grid, in_range = scoring.fit_matrix(x, weights)
    i, j = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    parts = scoring.pair_parts(x, i.ravel(), j.ravel())
    pairs = scoring.combine(parts, weights).reshape(n, m)
    np.testing.assert_allclose(grid, pairs, atol=1e-6)
    assert (in_range == (parts["rank"] > 0).reshape(n, m)).all()
    assert ((grid >= 0) & (grid <= 1 + 1e-6)).all()


def test_known_parts() -> None:
    x = scoring.FitInputs(
        levels=np.array([[3, 1], [5, 5]], dtype=np.float32),
        education=np.array([[True, False], [False, False]]),
        rank_scale=np.array([0, 0]),
        rank_ordinal=np.array([9, 14]),
        worked_kinds=np.array([[True, False], [False, False]]),
        performance=np.array([1.0, rules.NO_RATING_SCORE], dtype=np.float32),
        interest_employee=np.array([1]),
        interest_position=np.array([0]),
        interest_score=np.array([1.0], dtype=np.float32),
        required=np.array([[3, 2]], dtype=np.float32),
        preferred=np.array([[True, False]]),
        range_scale=np.array([0]),
        range_low=np.array([9]),
        range_high=np.array([12]),
        unit_kind=np.array([0]),
    )
    parts = scoring.pair_parts(x, np.array([0, 1]), np.array([0, 0]))
    assert np.allclose(parts["competency"], [0.8, 1.0])  # (3 + 1) / 5, capped at the need
    assert parts["education"].tolist() == [1.0, 0.0]
    assert parts["rank"].tolist() == [1.0, 0.0]  # IV/b is above III/d
    assert parts["experience"].tolist() == [0.0, 1.0]
    assert parts["interest"].tolist() == [0.0, 1.0]
    only_competency = scoring.combine(parts, {"competency": 1})
    assert np.allclose(only_competency, [0.8, 1.0])


def test_the_grid_with_fractional_levels_and_the_round_breakdowns() -> None:
    """Levels that are not whole numbers take the pair-by-pair competency sum (the matrix
    product counts whole levels only); a round's per-placement parts are what
    ``parts_out`` shows for the same pairs."""
    from asn_career.rotations.fit.service import parts_out
    from asn_career.rotations.rounds.service import _breakdowns

    x = inputs(5, 6, 4)
    x = scoring.FitInputs(**{**x.__dict__, "levels": x.levels + np.float32(0.5)})
    weights = {"competency": 2, "education": 1, "rank": 1, "performance": 1, "interest": 1}
    grid, _ = scoring.fit_matrix(x, weights)
    i, j = np.meshgrid(np.arange(x.n), np.arange(x.m), indexing="ij")
    parts = scoring.pair_parts(x, i.ravel(), j.ravel())
    np.testing.assert_allclose(grid, scoring.combine(parts, weights).reshape(x.n, x.m), atol=1e-6)
    shown = _breakdowns(parts, weights)
    for t in range(0, i.size, 5):
        one = {k: v[t] for k, v in parts.items()}
        assert shown[t] == [p.model_dump() for p in parts_out(one, weights)]
