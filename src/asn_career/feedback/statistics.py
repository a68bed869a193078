"""The statistics of 360° feedback: rater effects, agreement, reliability, straight-lining.

Pure numpy: arrays in, arrays out, no I/O. Every function is vectorised over the whole
cycle (no Python loop over subjects or raters) and is tested against worked examples
(``tests/feedback/test_statistics.py``).

**Rater effects (leniency and severity).** Each non-self rating is modelled as an additive
two-way effect (a "rater-effect" or two-way crossed model, e.g. Hoyt 2000, *Psychological
Methods* 5(1); Myford & Wolfe 2003 for the rater-severity reading)::

    score(rater r, subject s, item of dimension d) = α[s, d] + β[r] + ε

``α[s, d]`` is what the subject is on the dimension as the raters see it (the grand mean
folded in), ``β[r]`` the rater's leniency (positive) or severity (negative), ε the rest.
The least-squares fit with a ridge penalty on β (Hoerl & Kennard 1970) is a penalised
likelihood / BLUP estimate with β as a random effect (Henderson 1975): a rater with few
ratings is shrunk toward 0, one who rated many people keeps nearly all of the deviation.
The penalty of rater r is ``κ · n_r / m_r`` (``n_r`` scores over ``m_r`` subjects), so the
estimate is the rater's mean deviation from the others who rated the same people, times
``m_r / (m_r + κ)``: κ is "how many subjects' worth of evidence the prior is worth". κ is
estimated from the cycle by an empirical-Bayes moment step (the ratio of the rater ×
subject interaction variance to the between-rater variance, as in the one-way random
effects ANOVA; Searle, Casella & McCulloch 1992, ch. 3), or given.

Only raters who rated at least two people take part (``MIN_SUBJECTS_RATED``): with one
person, a rater's severity and their view of that person cannot be told apart. Such raters
(every public rater among them) are never calibrated and do not move anyone's calibration:
were they in the model, the level they happen to rate at would anchor the people they
rated, and through them shift every other rater's effect. Effects are therefore relative
to the calibrated raters of the same cycle: the penalty centres them (Σ λ_r β_r = 0).

The normal equations are solved exactly on sufficient statistics: a rater's scores of one
subject and dimension enter as their sum and count, which is equivalent to least squares on
the single scores because α and β are constant within that cell. α is eliminated (its
block is diagonal), and the Schur complement in β — symmetric positive definite for κ > 0 —
is solved by conjugate gradients (Hestenes & Stiefel 1952), each product being two
``bincount`` passes over the cells. Self-ratings never enter: they are neither used to
estimate effects nor calibrated.

Calibrated score = score − β[r].

**Agreement.** r_wg for one item and r_wg(J) for J parallel items (James, Demaree & Wolf
1984, *J. Applied Psychology* 69(1)) against the uniform ("rectangular") null
distribution of an A-point scale, σ²_EU = (A² − 1) / 12 (= 2 for A = 5), truncated to
[0, 1] as LeBreton & Senter (2008, *Organizational Research Methods* 11(4)) recommend when
the observed variance exceeds the null. Their bands name the agreement.

**Reliability.** ICC(1) and ICC(k) of one-way random-effects ANOVA, subjects as targets and
raters nested in them (Shrout & Fleiss 1979, ICC(1,1) and ICC(1,k); Bliese 2000), with the
unbalanced group size k0 = (N − Σ n_i² / N) / (a − 1) (Snedecor & Cochran 1989, §13.8).

**Straight-lining.** A response of at least 5 scored items that are all the same (zero
variance; Kim et al. 2019, *Social Science Computer Review* 37(2)).
"""

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

SCALE_POINTS: Final = 5
UNIFORM_NULL_VARIANCE: Final = (SCALE_POINTS**2 - 1) / 12
"""σ²_EU of the rectangular null distribution of a 5-point scale: (5² − 1) / 12 = 2."""

DEFAULT_SHRINKAGE: Final = 2.0
"""κ when the cycle is too small to estimate it: a rater who rated two people keeps half
of their apparent leniency, one who rated eight keeps 80 %."""
SHRINKAGE_BOUNDS: Final = (0.5, 50.0)
"""The estimated κ is kept within these: never (almost) no shrinkage, never (almost) all."""
MIN_SUBJECTS_RATED: Final = 2
"""A rater's effect is estimated only from ratings of at least this many people."""

STRAIGHT_LINE_MIN_ITEMS: Final = 5


# --- rater effects ------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterEffects:
    """The fitted two-way model."""

    rater: FloatArray
    """β per rater index: positive lenient, negative severe (0 for raters with no rows, or
    who rated fewer than ``MIN_SUBJECTS_RATED`` people: they are not calibrated)."""
    subjects_rated: FloatArray
    """m per rater index: how many people each rater rated (0: no rows)."""
    cell: FloatArray
    """α per cell (subject × dimension) index, the grand mean folded in (NaN: no rows of
    calibrated raters)."""
    grand_mean: float
    shrinkage: float
    """The κ used (estimated or given)."""
    estimated: bool
    """Whether κ was estimated from the data."""
    iterations: int
    """Conjugate-gradient iterations of the final solve."""


def _as_int(values: ArrayLike) -> IntArray:
    return np.asarray(values, dtype=np.int64)


def _as_float(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _solve_effects(
    rater: IntArray,
    cell: IntArray,
    total: FloatArray,
    count: FloatArray,
    n_raters: int,
    n_cells: int,
    penalty: FloatArray,
    tol: float,
    max_iter: int,
) -> tuple[FloatArray, FloatArray, int]:
    """β and α of the ridge-penalised two-way model, by conjugate gradients on the Schur
    complement ``A = diag(n + λ) − M W⁻¹ Mᵀ`` (M: rater × cell counts, W: cell counts)."""
    cell_weight = np.bincount(cell, weights=count, minlength=n_cells)
    cell_sum = np.bincount(cell, weights=total, minlength=n_cells)
    rater_weight = np.bincount(rater, weights=count, minlength=n_raters)
    rater_sum = np.bincount(rater, weights=total, minlength=n_raters)
    safe_weight = np.where(cell_weight > 0, cell_weight, 1.0)
    diagonal = rater_weight + penalty
    active = diagonal > 0
    diagonal = np.where(active, diagonal, 1.0)

    def product(x: FloatArray) -> FloatArray:
        per_cell = np.bincount(cell, weights=count * x[rater], minlength=n_cells) / safe_weight
        full = diagonal * x - np.bincount(rater, weights=count * per_cell[cell], minlength=n_raters)
        return np.where(active, full, 0.0)

    b = np.asarray(
        rater_sum
        - np.bincount(rater, weights=count * (cell_sum / safe_weight)[cell], minlength=n_raters),
        dtype=np.float64,
    )
    b = np.where(active, b, 0.0)
    x: FloatArray = np.zeros(n_raters)
    r: FloatArray = b.copy()
    # Jacobi-preconditioned CG: the diagonal varies with how much each rater rated.
    z = r / diagonal
    p = z.copy()
    rz = float(r @ z)
    scale = max(float(np.sqrt(b @ b)), 1e-300)
    iterations = 0
    while iterations < max_iter and np.sqrt(r @ r) > tol * scale:
        ap = product(p)
        step = rz / float(p @ ap)
        x += step * p
        r -= step * ap
        z = r / diagonal
        rz_next = float(r @ z)
        p = z + (rz_next / rz) * p
        rz = rz_next
        iterations += 1
    x = np.where(active, x, 0.0)
    alpha = (cell_sum - np.bincount(cell, weights=count * x[rater], minlength=n_cells)) / (
        safe_weight
    )
    alpha = np.where(cell_weight > 0, alpha, np.nan)
    return x, alpha, iterations


def _moment_shrinkage(
    rater: IntArray,
    subject: IntArray,
    cell: IntArray,
    total: FloatArray,
    count: FloatArray,
    alpha: FloatArray,
    n_raters: int,
) -> float | None:
    """κ = σ²(rater × subject) / σ²(rater) by the method of moments, or None when the data
    cannot tell (fewer than three raters who rated two people or more).

    A rater's deviation from the consensus on one subject is ``u[r, s]`` (the score-weighted
    mean over the subject's dimensions of ``score − α``). Within a rater, the spread of
    ``u`` over subjects estimates the interaction variance s²_w; between raters, the
    variance of their mean deviations is σ²_β + s²_w / m_r, so σ²_β is what remains."""
    deviation = total - count * alpha[cell]
    pair_key = rater * (int(subject.max(initial=0)) + 1) + subject
    pairs, pair_of_row = np.unique(pair_key, return_inverse=True)
    pair_dev = np.bincount(pair_of_row, weights=deviation) / np.bincount(pair_of_row, weights=count)
    pair_rater = pairs // (int(subject.max(initial=0)) + 1)
    m = np.bincount(pair_rater, minlength=n_raters).astype(np.float64)
    rater_mean = np.bincount(pair_rater, weights=pair_dev, minlength=n_raters) / np.where(
        m > 0, m, 1.0
    )
    within_ss = np.bincount(
        pair_rater, weights=(pair_dev - rater_mean[pair_rater]) ** 2, minlength=n_raters
    )
    several = m >= 2
    if int(several.sum()) < 3:
        return None
    within = float(within_ss[several].sum() / (m[several] - 1).sum())
    between = float(np.var(rater_mean[several], ddof=1)) - float(np.mean(within / m[several]))
    low, high = SHRINKAGE_BOUNDS
    if between <= 0:
        return high
    return float(np.clip(within / between, low, high))


def rater_effects(
    rater: ArrayLike,
    subject: ArrayLike,
    cell: ArrayLike,
    total: ArrayLike,
    count: ArrayLike,
    *,
    n_raters: int | None = None,
    n_cells: int | None = None,
    shrinkage: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> RaterEffects:
    """Fit ``score = α[cell] + β[rater] + ε`` with β shrunk toward 0 (see the module).

    One row per (rater, cell) with ratings: ``rater`` and ``cell`` are indices (a cell is
    one subject × dimension; ``subject`` is the subject of the row's cell), ``total`` the sum
    of that rater's scores in the cell and ``count`` how many. Self-ratings must not be
    passed. ``shrinkage``: κ, or None to estimate it from the data (``DEFAULT_SHRINKAGE``
    when the data cannot tell).
    """
    rater_i, subject_i, cell_i = _as_int(rater), _as_int(subject), _as_int(cell)
    total_f, count_f = _as_float(total), _as_float(count)
    r_count = int(n_raters if n_raters is not None else rater_i.max(initial=-1) + 1)
    c_count = int(n_cells if n_cells is not None else cell_i.max(initial=-1) + 1)
    # m_r: how many subjects each rater rated; raters of fewer than two leave the model.
    width = int(subject_i.max(initial=0)) + 1
    pairs = np.unique(rater_i * width + subject_i)
    subjects_rated = np.bincount(pairs // width, minlength=r_count).astype(np.float64)
    keep = subjects_rated[rater_i] >= MIN_SUBJECTS_RATED
    rater_i, subject_i, cell_i = rater_i[keep], subject_i[keep], cell_i[keep]
    total_f, count_f = total_f[keep], count_f[keep]
    weight = float(count_f.sum())
    grand_mean = float(total_f.sum() / weight) if weight > 0 else float("nan")
    if weight == 0:
        return RaterEffects(
            np.zeros(r_count), subjects_rated, np.full(c_count, np.nan), grand_mean,
            shrinkage if shrinkage is not None else DEFAULT_SHRINKAGE, False, 0,
        )  # fmt: skip
    rater_weight = np.bincount(rater_i, weights=count_f, minlength=r_count)
    per_subject = rater_weight / np.where(subjects_rated > 0, subjects_rated, 1.0)

    def solve(kappa: float) -> tuple[FloatArray, FloatArray, int]:
        return _solve_effects(
            rater_i, cell_i, total_f, count_f, r_count, c_count,
            kappa * per_subject, tol, max_iter,
        )  # fmt: skip

    estimated = shrinkage is None
    kappa = DEFAULT_SHRINKAGE if shrinkage is None else float(shrinkage)
    if kappa <= 0:
        raise ValueError("shrinkage must be positive: without it the model is not identified")
    beta, alpha, iterations = solve(kappa)
    if shrinkage is None:
        found = _moment_shrinkage(rater_i, subject_i, cell_i, total_f, count_f, alpha, r_count)
        if found is None:
            estimated = False
        elif not np.isclose(found, kappa):
            kappa = found
            beta, alpha, iterations = solve(kappa)
    return RaterEffects(beta, subjects_rated, alpha, grand_mean, kappa, estimated, iterations)


# --- sums, means, standard deviations -----------------------------------------------------


def mean_and_sd(
    total: ArrayLike, squares: ArrayLike, count: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Mean and sample standard deviation (n − 1) from sums, sums of squares and counts:
    NaN where there is no value (mean) or fewer than two (sd)."""
    s, q, n = _as_float(total), _as_float(squares), _as_float(count)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, s / n, np.nan)
        variance = np.where(n > 1, (q - s * s / np.where(n > 0, n, 1.0)) / (n - 1), np.nan)
    return mean, np.sqrt(np.clip(variance, 0.0, None))


def sample_variance(total: ArrayLike, squares: ArrayLike, count: ArrayLike) -> FloatArray:
    """Sample variance (n − 1), NaN with fewer than two values."""
    _, sd = mean_and_sd(total, squares, count)
    return sd * sd


# --- agreement ----------------------------------------------------------------------------

AgreementBand = Literal["none", "weak", "moderate", "strong", "very_strong"]
AGREEMENT_BANDS: Final[tuple[tuple[float, AgreementBand], ...]] = (
    (0.30, "none"),
    (0.50, "weak"),
    (0.70, "moderate"),
    (0.90, "strong"),
    (1.00, "very_strong"),
)
"""LeBreton & Senter (2008, table 3): .00–.30 lack of agreement, .31–.50 weak, .51–.70
moderate, .71–.90 strong, .91–1.00 very strong. A value belongs to the first band whose
upper bound it does not exceed."""


def rwg(variance: ArrayLike, null_variance: float = UNIFORM_NULL_VARIANCE) -> FloatArray:
    """r_wg = 1 − s²_x / σ²_E for one item (James, Demaree & Wolf 1984, eq. 1), truncated to
    [0, 1]; NaN where the variance is NaN (fewer than two raters)."""
    v = _as_float(variance)
    return np.clip(1.0 - v / null_variance, 0.0, 1.0)


def rwg_j(
    mean_variance: ArrayLike, items: ArrayLike, null_variance: float = UNIFORM_NULL_VARIANCE
) -> FloatArray:
    """r_wg(J) for J parallel items (James, Demaree & Wolf 1984, eq. 3)::

        r_wg(J) = J (1 − s̄²/σ²) / (J (1 − s̄²/σ²) + s̄²/σ²)

    ``mean_variance`` is s̄², the mean of the items' sample variances. When s̄² ≥ σ² the
    formula leaves [0, 1] (it can even exceed 1); as LeBreton & Senter (2008) advise, the
    value is then 0. NaN where J = 0 or s̄² is NaN."""
    ratio = _as_float(mean_variance) / null_variance
    j = _as_float(items)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)
    value = np.where(ratio >= 1.0, 0.0, value)
    value = np.where(ratio <= 0.0, 1.0, value)  # identical scores on every item
    return np.where((j > 0) & np.isfinite(ratio), np.clip(value, 0.0, 1.0), np.nan)


def agreement_band(value: float | None) -> AgreementBand | None:
    """The LeBreton & Senter band of an r_wg value (None for None or NaN)."""
    if value is None or value != value:
        return None
    for upper, band in AGREEMENT_BANDS:
        if value <= upper:
            return band
    return "very_strong"


# --- reliability --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reliability:
    icc1: float | None
    """ICC(1): how much of one rating is the subject (one rater's reliability)."""
    icck: float | None
    """ICC(k): the reliability of a subject's mean over k0 raters."""
    k0: float | None
    """The (unbalanced) number of raters per subject the figures assume."""
    subjects: int
    ratings: int


def icc_oneway(group: ArrayLike, value: ArrayLike) -> Reliability:
    """ICC(1) and ICC(k) of one-way random-effects ANOVA (Shrout & Fleiss 1979; Bliese
    2000), ``group`` the subject index of each rating and ``value`` the rating::

        MSB = Σ n_i (ȳ_i − ȳ)² / (a − 1)      MSW = Σ (y − ȳ_i)² / (N − a)
        k0 = (N − Σ n_i² / N) / (a − 1)
        ICC(1) = (MSB − MSW) / (MSB + (k0 − 1) MSW)      ICC(k) = (MSB − MSW) / MSB

    Only subjects with two ratings or more take part. None where undefined (fewer than
    two such subjects, or no variance at all). ICC(1) can be negative (less agreement
    between a subject's raters than between anyone's); it is returned as computed."""
    g, y = _as_int(group), _as_float(value)
    if g.size == 0:
        return Reliability(None, None, None, 0, 0)
    n = np.bincount(g).astype(np.float64)
    keep = n[g] >= 2
    g, y = g[keep], y[keep]
    _, g = np.unique(g, return_inverse=True)
    n = np.bincount(g).astype(np.float64)
    a, total = int(n.size), float(n.sum())
    if a < 2:
        return Reliability(None, None, None, a, int(total))
    means = np.bincount(g, weights=y) / n
    grand = float(y.mean())
    msb = float((n * (means - grand) ** 2).sum()) / (a - 1)
    msw = float(((y - means[g]) ** 2).sum()) / (total - a)
    k0 = (total - float((n * n).sum()) / total) / (a - 1)
    denominator = msb + (k0 - 1) * msw
    icc1 = (msb - msw) / denominator if denominator > 0 else None
    icck = (msb - msw) / msb if msb > 0 else None
    return Reliability(icc1, icck, k0, a, int(total))


# --- straight-lining ----------------------------------------------------------------------


def straight_lined(
    response: ArrayLike,
    score: ArrayLike,
    n_responses: int | None = None,
    min_items: int = STRAIGHT_LINE_MIN_ITEMS,
) -> NDArray[np.bool_]:
    """Per response index: at least ``min_items`` scored items, all the same (zero variance).
    Not-observed items carry no score and are not passed."""
    r, s = _as_int(response), _as_float(score)
    size = int(n_responses if n_responses is not None else r.max(initial=-1) + 1)
    count = np.bincount(r, minlength=size).astype(np.float64)
    total = np.bincount(r, weights=s, minlength=size)
    squares = np.bincount(r, weights=s * s, minlength=size)
    # Zero variance: n·Σx² = (Σx)², exact for small integer scores.
    flagged: NDArray[np.bool_] = (count >= min_items) & (count * squares == total * total)
    return flagged


# --- distributions ------------------------------------------------------------------------


def histogram(values: ArrayLike, edges: ArrayLike) -> IntArray:
    """Counts per bin, the first and last bins open-ended (every value is counted)."""
    v, e = _as_float(values), _as_float(edges)
    inner = np.clip(np.searchsorted(e, v, side="right") - 1, 0, e.size - 2)
    return np.bincount(inner, minlength=e.size - 1).astype(np.int64)
