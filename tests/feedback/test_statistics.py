"""The statistics of 360° feedback against worked examples computed by hand (the arithmetic
is in each docstring), and the properties they must keep whatever the data."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.feedback import statistics
from asn_career.feedback.statistics import (
    agreement_band,
    icc_oneway,
    mean_and_sd,
    rater_effects,
    rwg,
    rwg_j,
    straight_lined,
)

# --- rater effects: worked examples -------------------------------------------------------

# Three raters A, B, C each rate two people (one cell each) once:
#          person 1  person 2   rater mean   deviation from 3.5
#   A         5         4          4.5           +1.0
#   B         3         3          3.0           −0.5
#   C         4         2          3.0           −0.5
# grand mean 3.5; person means 4 and 3.
RATER = [0, 0, 1, 1, 2, 2]
CELL = [0, 1, 0, 1, 0, 1]
TOTAL = [5, 4, 3, 3, 4, 2]
COUNT = [1] * 6


def test_balanced_effects_by_hand() -> None:
    """In a complete balanced design (C cells, one score per rater and cell) the normal
    equations give mean(β) = 0 and β_r = C·(ȳ_r − ȳ)/(C + λ), with λ = κ·n_r/m_r = κ here
    (two scores over two people). κ = 2: β = 2/4 · (1, −½, −½) = (0.5, −0.25, −0.25), and
    α = person means − mean(β) = (4, 3)."""
    fit = rater_effects(RATER, CELL, CELL, TOTAL, COUNT, shrinkage=2.0)
    assert fit.rater == pytest.approx([0.5, -0.25, -0.25])
    assert fit.cell == pytest.approx([4.0, 3.0])
    assert fit.grand_mean == pytest.approx(3.5)
    assert list(fit.subjects_rated) == [2, 2, 2]
    assert not fit.estimated


def test_almost_no_shrinkage_recovers_the_raw_deviations() -> None:
    fit = rater_effects(RATER, CELL, CELL, TOTAL, COUNT, shrinkage=1e-9)
    assert fit.rater == pytest.approx([1.0, -0.5, -0.5], abs=1e-6)


def test_shrinkage_estimated_by_moments_by_hand() -> None:
    """From the κ = 2 fit (α = 4, 3) each rater's deviation per person u = y − α:
    A (1, 1), B (−1, 0), C (0, −1); rater means ū = (1, −½, −½).
    Within raters: SS = 0 + ½ + ½ = 1 over Σ(m − 1) = 3 → s²_w = ⅓.
    Between: var(ū) = (1 + ¼ + ¼)/2 = ¾, less mean(s²_w/m) = ⅙ → σ²_β = 7/12.
    κ = s²_w/σ²_β = 4/7; refitted, β_A = 2/(2 + 4/7) · 1 = 7/9."""
    fit = rater_effects(RATER, CELL, CELL, TOTAL, COUNT)
    assert fit.estimated
    assert fit.shrinkage == pytest.approx(4 / 7)
    assert fit.rater == pytest.approx([7 / 9, -7 / 18, -7 / 18])


def test_a_rater_of_one_person_is_not_calibrated_and_moves_nobody() -> None:
    """D rated person 1 only, harshly: D gets no effect, and A, B, C keep theirs."""
    fit = rater_effects(
        [*RATER, 3], [*CELL, 0], [*CELL, 0], [*TOTAL, 1], [*COUNT, 1], shrinkage=2.0
    )
    assert fit.rater == pytest.approx([0.5, -0.25, -0.25, 0.0])
    assert list(fit.subjects_rated) == [2, 2, 2, 1]


def test_sums_and_counts_are_the_same_as_single_scores() -> None:
    """A cell given as its sum and count fits exactly as the single scores would: A's two
    scores of person 1 (5 and 5) as one row of total 10, count 2, or as two rows."""
    rows = rater_effects([0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 0, 1], [10, 4, 3, 3], [2, 1, 1, 1],
                         shrinkage=1.0)  # fmt: skip
    single = rater_effects([0, 0, 0, 1, 1], [0, 0, 1, 0, 1], [0, 0, 1, 0, 1], [5, 5, 4, 3, 3],
                           [1] * 5, shrinkage=1.0)  # fmt: skip
    assert rows.rater == pytest.approx(single.rater)
    assert rows.cell == pytest.approx(single.cell)


def test_no_ratings_no_effects() -> None:
    fit = rater_effects([], [], [], [], [], n_raters=2, n_cells=3)
    assert list(fit.rater) == [0.0, 0.0]
    assert np.isnan(fit.cell).all()


def test_shrinkage_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        rater_effects(RATER, CELL, CELL, TOTAL, COUNT, shrinkage=0.0)


# --- rater effects: properties --------------------------------------------------------------


@st.composite
def balanced(draw: st.DrawFn) -> tuple[int, int, np.ndarray, int]:
    raters = draw(st.integers(3, 6))
    people = draw(st.integers(3, 8))
    true = np.array(
        draw(st.lists(st.floats(1.5, 4.0), min_size=people, max_size=people)), dtype=float
    )
    lenient = draw(st.integers(0, raters - 1))
    return raters, people, true, lenient


@settings(max_examples=60, deadline=None)
@given(balanced(), st.sampled_from([1e-6, 0.5, 2.0, None]))
def test_a_lenient_raters_plus_one_is_recovered(
    design: tuple[int, int, np.ndarray, int], shrinkage: float | None
) -> None:
    """Everyone rates everyone; one rater adds 1 point to every score. The lenient rater's
    effect stands above the others' by 1 · m/(m + κ) (m people rated): all of it as κ → 0."""
    raters, people, true, lenient = design
    grid_r, grid_p = np.meshgrid(np.arange(raters), np.arange(people), indexing="ij")
    r, p = grid_r.ravel(), grid_p.ravel()
    scores = true[p] + (r == lenient)
    fit = rater_effects(r, p, p, scores, np.ones_like(scores), shrinkage=shrinkage)
    others = np.delete(fit.rater, lenient)
    assert np.allclose(others, others[0], atol=1e-8)
    gap = fit.rater[lenient] - others[0]
    assert gap == pytest.approx(people / (people + fit.shrinkage), abs=1e-8)
    if shrinkage == 1e-6:
        assert gap == pytest.approx(1.0, abs=1e-5)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 6).flatmap(
        lambda raters: st.integers(3, 8).flatmap(
            lambda people: st.lists(
                st.integers(1, 5), min_size=raters * people, max_size=raters * people
            ).map(lambda s: np.array(s, dtype=float).reshape(raters, people))
        )
    )
)
def test_calibrating_a_balanced_design_keeps_the_ranking_of_people(scores: np.ndarray) -> None:
    """Everyone rates everyone: each person's calibrated mean is the raw mean minus the same
    constant (the mean rater effect), so the ranking of people cannot change."""
    raters, people = scores.shape
    r, p = np.meshgrid(np.arange(raters), np.arange(people), indexing="ij")
    fit = rater_effects(r.ravel(), p.ravel(), p.ravel(), scores.ravel(), np.ones(scores.size))
    calibrated = (scores - fit.rater[:, None]).mean(axis=0)
    raw = scores.mean(axis=0)
    assert np.ptp(calibrated - raw) < 1e-9
    shift = float((raw - calibrated).mean())
    ranked = np.argsort(raw, kind="stable")
    assert (np.argsort(np.round(calibrated + shift, 9), kind="stable") == ranked).all()


@st.composite
def sparse_design(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """Unbalanced: each person rated by 2–4 of 5 raters, 1–3 scores per cell."""
    raters, cells = 5, draw(st.integers(3, 7))
    rows: list[tuple[int, int, float, float]] = []
    for cell in range(cells):
        chosen = draw(st.lists(st.integers(0, raters - 1), min_size=2, max_size=4, unique=True))
        for rater in chosen:
            count = draw(st.integers(1, 3))
            total = sum(draw(st.lists(st.integers(1, 5), min_size=count, max_size=count)))
            rows.append((rater, cell, float(total), float(count)))
    r, c, t, n = (np.array(x) for x in zip(*rows, strict=True))
    return r.astype(int), c.astype(int), t, n


@settings(max_examples=60, deadline=None)
@given(sparse_design(), st.sampled_from([0.5, 2.0, 7.0]))
def test_conjugate_gradients_solve_the_dense_normal_equations(
    design: tuple[np.ndarray, ...], kappa: float
) -> None:
    """The same fit written out: design matrix [cell | rater] on single scores (a row per
    cell, weighted by its count, is the same least squares), ridge λ_r = κ·n_r/m_r on the
    rater columns of the raters who rated two people or more, solved densely."""
    rater, cell, total, count = design
    fit = rater_effects(rater, cell, cell, total, count, shrinkage=kappa, n_raters=5)
    m = np.array([len(set(cell[rater == k])) for k in range(5)])
    kept = m[rater] >= 2
    r, c, t, n = rater[kept], cell[kept], total[kept], count[kept]
    cells = np.unique(c)
    calibrated = np.flatnonzero(m >= 2)
    x = np.hstack([
        (c[:, None] == cells[None, :]).astype(float),
        (r[:, None] == calibrated[None, :]).astype(float),
    ])  # fmt: skip
    ridge = np.zeros(x.shape[1])
    n_r = np.array([n[r == k].sum() for k in calibrated])
    ridge[len(cells) :] = kappa * n_r / m[calibrated]
    normal = x.T @ (n[:, None] * x) + np.diag(ridge)
    solution = np.linalg.solve(normal, x.T @ t)
    expected = np.zeros(5)
    expected[calibrated] = solution[len(cells) :]
    assert fit.rater == pytest.approx(expected, abs=1e-7)
    assert fit.cell[cells] == pytest.approx(solution[: len(cells)], abs=1e-7)


# --- means and standard deviations -------------------------------------------------------------


def test_mean_and_sd_from_sums() -> None:
    """Scores 4, 4, 5, 3: sum 16, squares 66, n 4 → mean 4, s² = (66 − 64)/3 = ⅔."""
    mean, sd = mean_and_sd([16, 5, 0], [66, 25, 0], [4, 1, 0])
    assert mean[0] == 4.0 and sd[0] == pytest.approx(np.sqrt(2 / 3))
    assert mean[1] == 5.0 and np.isnan(sd[1])
    assert np.isnan(mean[2]) and np.isnan(sd[2])


# --- agreement ------------------------------------------------------------------------------------


def test_uniform_null_variance_of_a_five_point_scale() -> None:
    assert statistics.UNIFORM_NULL_VARIANCE == 2.0  # (5² − 1)/12


def test_rwg_by_hand() -> None:
    """Scores 4, 4, 5, 3: s² = ⅔ → r_wg = 1 − (⅔)/2 = ⅔. Scores 1, 5, 1, 5: s² = 16/3 > 2
    → 1 − 8/3 < 0, truncated to 0."""
    assert rwg([2 / 3, 16 / 3]) == pytest.approx([2 / 3, 0.0])


def test_rwg_j_by_hand() -> None:
    """Two items with variances ⅔ and 0: s̄² = ⅓, s̄²/σ² = ⅙;
    r_wg(J) = 2·(5/6) / (2·(5/6) + 1/6) = 10/11."""
    assert rwg_j([1 / 3], [2]) == pytest.approx([10 / 11])
    # s̄² ≥ σ²: 0 (not the formula's value, which can even exceed 1)
    assert rwg_j([2.0, 3.0], [3, 3]) == pytest.approx([0.0, 0.0])
    assert np.isnan(rwg_j([np.nan, 0.5], [0, 0])).all()


@given(st.integers(1, 5), st.integers(2, 12), st.integers(1, 8))
def test_identical_scores_agree_perfectly(score: int, raters: int, items: int) -> None:
    values = np.full(raters, float(score))
    variance = np.var(values, ddof=1)
    assert rwg([variance])[0] == 1.0
    assert rwg_j([variance], [items])[0] == 1.0


@pytest.mark.parametrize(
    ("value", "band"),
    [(0.0, "none"), (0.30, "none"), (0.31, "weak"), (0.50, "weak"), (0.51, "moderate"),
     (0.70, "moderate"), (0.71, "strong"), (0.90, "strong"), (0.91, "very_strong"),
     (1.0, "very_strong"), (None, None), (float("nan"), None)],
)  # fmt: skip
def test_agreement_bands_of_lebreton_and_senter(value: float | None, band: str | None) -> None:
    assert agreement_band(value) == band


# --- reliability ----------------------------------------------------------------------------


def test_icc_balanced_by_hand() -> None:
    """Three people rated (4, 5), (2, 3), (3, 4): means 4.5, 2.5, 3.5, grand 3.5.
    SSB = 2·(1 + 1 + 0) = 4, MSB = 4/2 = 2; SSW = 3·½ = 1.5, MSW = 1.5/3 = ½; k0 = 2.
    ICC(1) = (2 − ½)/(2 + ½) = 0.6; ICC(k) = (2 − ½)/2 = 0.75."""
    result = icc_oneway([0, 0, 1, 1, 2, 2], [4, 5, 2, 3, 3, 4])
    assert result.icc1 == pytest.approx(0.6)
    assert result.icck == pytest.approx(0.75)
    assert result.k0 == pytest.approx(2.0)
    assert (result.subjects, result.ratings) == (3, 6)


def test_icc_unbalanced_by_hand() -> None:
    """(4, 5) and (1, 2, 3): means 4.5 and 2, grand 3. SSB = 2·1.5² + 3·1² = 7.5 (df 1);
    SSW = ½ + 2 = 2.5 (df 3), MSW = ⅚; k0 = (5 − (4 + 9)/5)/1 = 2.4.
    ICC(1) = (7.5 − ⅚)/(7.5 + 1.4·⅚) = 10/13; ICC(k) = (7.5 − ⅚)/7.5 = 8/9.
    A person rated once takes no part."""
    result = icc_oneway([0, 0, 1, 1, 1, 2], [4, 5, 1, 2, 3, 5])
    assert result.icc1 == pytest.approx(10 / 13)
    assert result.icck == pytest.approx(8 / 9)
    assert result.k0 == pytest.approx(2.4)
    assert (result.subjects, result.ratings) == (2, 5)


def test_icc_undefined() -> None:
    assert icc_oneway([], []).icc1 is None
    assert icc_oneway([0, 0], [3, 4]).icc1 is None  # one person
    assert icc_oneway([0, 0, 1, 1], [3, 3, 3, 3]).icc1 is None  # no variance at all


# --- straight-lining ----------------------------------------------------------------------


def test_straight_lining() -> None:
    """Five equal scores: flagged; four: too few to tell; five with one different: not."""
    response = [0] * 5 + [1] * 4 + [2] * 5
    score = [3] * 5 + [2] * 4 + [4, 4, 4, 4, 5]
    assert list(straight_lined(response, score, 4)) == [True, False, False, False]


def test_histogram_counts_everything() -> None:
    counts = statistics.histogram([-3, -0.1, 0, 0.2, 5], [-1, -0.5, 0, 0.5, 1])
    assert list(counts) == [1, 1, 2, 1]
