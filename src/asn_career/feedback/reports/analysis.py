"""Every figure of every report of a cycle, computed at once: numpy over the cycle's scores.

Pure: ``CycleData`` (what the repository loaded, as arrays) in, ``Analysis`` (arrays
subjects × items × groups, subjects × dimensions × groups, …) out; ``bodies.py`` turns one
subject's slice into the report. No loop runs per subject or per rater here.

Indices: ``s`` subject, ``i`` item, ``d`` dimension, ``g`` display group
(``anonymity.GROUPS``), ``q`` request, ``k`` score.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final

import numpy as np
from numpy.typing import NDArray

from asn_career.feedback import statistics
from asn_career.feedback.reports import anonymity
from asn_career.feedback.reports.anonymity import NOT_SELF, SELF

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

STATUS_CODES: Final[dict[str, int]] = {"pending": 0, "draft": 1, "submitted": 2, "declined": 3}
"""Request statuses a report counts (``nominated`` requests were never sent)."""
SUBMITTED: Final = STATUS_CODES["submitted"]
DECLINED: Final = STATUS_CODES["declined"]


@dataclass(frozen=True)
class CycleInfo:
    id: uuid.UUID
    name: str
    agency_code: str
    state: str
    min_group_size: int
    blind_spot_threshold: float
    published_at: datetime | None


@dataclass(frozen=True)
class Item:
    code: str
    dimension: int
    text_id: str
    text_en: str


@dataclass(frozen=True)
class Dimension:
    kind: str
    code: str
    name_id: str
    name_en: str


@dataclass(frozen=True)
class SubjectInfo:
    employee_id: uuid.UUID
    nip: str
    name: str
    unit_id: uuid.UUID | None
    unit_name: str | None
    position_title: str | None


@dataclass
class CycleData:
    """A cycle as arrays. Requests are every sent request (not nominations); scores and
    comments belong to submitted requests only; not-observed answers carry no score."""

    cycle: CycleInfo
    items: list[Item]
    dimensions: list[Dimension]
    subjects: list[SubjectInfo]
    required: IntArray
    """subjects × dimensions: the level the subject's position requires (0: none)."""
    request_subject: IntArray
    request_rater: IntArray
    """Rater index: one per employee who rates, one per public request."""
    request_relationship: IntArray
    """Index into ``rules.RELATIONSHIPS``."""
    request_status: IntArray
    """``STATUS_CODES``."""
    score_request: IntArray
    score_item: IntArray
    score: IntArray
    comment_request: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    comment_item: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    comment_text: list[str] = field(default_factory=list)

    @property
    def n_raters(self) -> int:
        return int(self.request_rater.max(initial=-1)) + 1


@dataclass
class Figures:
    """Figures over some cells: count (raters), mean, sd and calibrated mean."""

    count: IntArray
    mean: FloatArray
    sd: FloatArray
    calibrated: FloatArray

    @classmethod
    def of(
        cls, count: FloatArray, total: FloatArray, squares: FloatArray, effects: FloatArray
    ) -> "Figures":
        mean, sd = statistics.mean_and_sd(total, squares, count)
        with np.errstate(invalid="ignore", divide="ignore"):
            calibrated = np.where(count > 0, (total - effects) / count, np.nan)
        return cls(count.astype(np.int64), mean, sd, calibrated)


@dataclass
class Analysis:
    data: CycleData
    effects: statistics.RaterEffects
    responded: IntArray
    """subjects × relationships: submitted responses."""
    invited: IntArray
    """subjects × relationships: requests sent."""
    display: IntArray
    """subjects × relationships: the display group (or ``SUPPRESSED``)."""
    merged: BoolArray
    """subjects: whether an ``other`` figure (shown or suppressed) belongs in the report."""
    item_shown: BoolArray
    """subjects × items × groups."""
    items: Figures
    """subjects × items × groups (only shown cells counted)."""
    item_overall: Figures
    """subjects × items."""
    dimensions: Figures
    """subjects × dimensions × groups; count = distinct raters behind the figure."""
    dimension_scores: IntArray
    """subjects × dimensions × groups: scores behind the figure."""
    dimension_overall: Figures
    """subjects × dimensions."""
    overall: Figures
    """subjects."""
    rwg: FloatArray
    """subjects × dimensions: r_wg(J) over the shown anonymous raters."""
    overall_rwg: FloatArray
    """subjects."""
    straight_lined: BoolArray
    """requests: a submitted response flagged as straight-lined."""
    shown_request_dimension: BoolArray
    """requests × dimensions: the request has a shown score on the dimension."""
    request_group: IntArray
    """requests: the display group of a submitted request (or ``SUPPRESSED``)."""

    def slice(self, subjects: IntArray) -> "Analysis":
        """The same analysis with its per-subject arrays cut to ``subjects`` (in that
        order): what building a few reports needs, without converting every subject's."""

        def cut(figures: Figures) -> Figures:
            return Figures(
                figures.count[subjects], figures.mean[subjects], figures.sd[subjects],
                figures.calibrated[subjects],
            )  # fmt: skip

        return replace(
            self,
            responded=self.responded[subjects],
            invited=self.invited[subjects],
            display=self.display[subjects],
            merged=self.merged[subjects],
            item_shown=self.item_shown[subjects],
            items=cut(self.items),
            item_overall=cut(self.item_overall),
            dimensions=cut(self.dimensions),
            dimension_scores=self.dimension_scores[subjects],
            dimension_overall=cut(self.dimension_overall),
            overall=cut(self.overall),
            rwg=self.rwg[subjects],
            overall_rwg=self.overall_rwg[subjects],
        )


def _bins(index: IntArray, size: int, *weights: FloatArray | None) -> list[FloatArray]:
    return [np.bincount(index, weights=w, minlength=size).astype(np.float64) for w in weights]


def analyse(data: CycleData, *, shrinkage: float | None = None) -> Analysis:
    """Every figure of every subject's report (see the module and ``anonymity``)."""
    n_subjects, n_items = len(data.subjects), len(data.items)
    n_dims, n_groups = len(data.dimensions), len(anonymity.GROUPS)
    n_relationships = anonymity.OTHER
    n_requests = int(data.request_subject.size)
    min_size = data.cycle.min_group_size
    item_dim = np.array([item.dimension for item in data.items], dtype=np.int64)
    one_hot = np.zeros((n_items, n_dims))
    one_hot[np.arange(n_items), item_dim] = 1.0

    # Who responded, and under which group each response is shown.
    submitted = data.request_status == SUBMITTED
    pair = data.request_subject * n_relationships + data.request_relationship
    size = n_subjects * n_relationships
    responded = np.bincount(pair[submitted], minlength=size).reshape(n_subjects, -1)
    invited = np.bincount(pair, minlength=size).reshape(n_subjects, -1)
    display = anonymity.display_groups(responded, min_size)
    merged = anonymity.merged_into_other(responded, min_size)
    request_group = np.where(
        submitted,
        display[data.request_subject, data.request_relationship],
        anonymity.SUPPRESSED,
    )

    # Rater effects from every non-self rating, as (request, dimension) sums and counts.
    k_request, k_item = data.score_request, data.score_item
    k_score = data.score.astype(np.float64)
    k_dim = item_dim[k_item]
    k_rd = k_request * n_dims + k_dim
    rd_count, rd_total = _bins(k_rd, n_requests * n_dims, None, k_score)
    cells = np.flatnonzero(rd_count)
    cell_request = cells // n_dims
    not_self = data.request_relationship[cell_request] != anonymity.RELATIONSHIP_INDEX["self"]
    cells, cell_request = cells[not_self], cell_request[not_self]
    cell_subject = data.request_subject[cell_request]
    effects = statistics.rater_effects(
        data.request_rater[cell_request],
        cell_subject,
        cell_subject * n_dims + cells % n_dims,
        rd_total[cells],
        rd_count[cells],
        n_raters=data.n_raters,
        n_cells=n_subjects * n_dims,
        shrinkage=shrinkage,
    )
    request_effect = np.where(
        data.request_relationship == anonymity.RELATIONSHIP_INDEX["self"],
        0.0,
        effects.rater[data.request_rater] if data.n_raters else 0.0,
    )

    # Item cells per (subject, item, group); a cell is shown with enough raters.
    k_group = request_group[k_request]
    valid = k_group >= 0
    k_subject = data.request_subject[k_request]
    k_cell = (k_subject * n_items + k_item) * n_groups + k_group
    shape = (n_subjects, n_items, n_groups)
    size = n_subjects * n_items * n_groups
    k_effect = request_effect[k_request]
    count, total, squares, effect = (
        b.reshape(shape)
        for b in _bins(
            k_cell[valid], size, None, k_score[valid], (k_score * k_score)[valid],
            k_effect[valid],
        )
    )  # fmt: skip
    item_shown = anonymity.shown_cells(count, min_size)
    count, total, squares, effect = (
        np.where(item_shown, a, 0.0) for a in (count, total, squares, effect)
    )
    items = Figures.of(count, total, squares, effect)
    not_self = list(NOT_SELF)
    item_overall = Figures.of(
        *(a[:, :, not_self].sum(axis=2) for a in (count, total, squares, effect))
    )

    # Dimensions pool their shown items; n counts the distinct raters behind the figure.
    pooled = [np.einsum("sig,id->sdg", a, one_hot) for a in (count, total, squares, effect)]
    k_shown = np.zeros(valid.size, dtype=bool)
    k_shown[valid] = item_shown.reshape(-1)[k_cell[valid]]
    shown_rd = np.zeros(n_requests * n_dims, dtype=bool)
    shown_rd[k_rd[k_shown]] = True
    flagged = np.flatnonzero(shown_rd)
    f_request, f_dim = flagged // n_dims, flagged % n_dims
    f_subject, f_group = data.request_subject[f_request], request_group[f_request]
    raters = np.bincount(
        (f_subject * n_dims + f_dim) * n_groups + f_group, minlength=n_subjects * n_dims * n_groups
    ).reshape(n_subjects, n_dims, n_groups)
    dimensions = Figures.of(*pooled)
    dimension_scores = dimensions.count
    dimensions.count = raters
    dimension_overall = Figures.of(*(a[:, :, not_self].sum(axis=2) for a in pooled))
    others = f_group != SELF
    dimension_overall.count = np.bincount(
        f_subject[others] * n_dims + f_dim[others], minlength=n_subjects * n_dims
    ).reshape(n_subjects, n_dims)

    overall = Figures.of(*(a[:, :, not_self].sum(axis=(1, 2)) for a in pooled))
    shown_request = shown_rd.reshape(n_requests, n_dims).any(axis=1) if n_dims else shown_rd
    overall_requests = shown_request & (request_group > SELF)
    overall.count = np.bincount(
        data.request_subject[overall_requests], minlength=n_subjects
    ).astype(np.int64)

    # Agreement: r_wg(J) over the shown anonymous raters, item variances pooled.
    anonymous = list(anonymity.ANONYMOUS_SHOWN)
    a_count, a_total, a_squares = (a[:, :, anonymous].sum(axis=2) for a in (count, total, squares))
    variance = statistics.sample_variance(a_total, a_squares, a_count)
    has_variance = np.isfinite(variance)
    variance0 = np.where(has_variance, variance, 0.0)
    j = has_variance.astype(np.float64) @ one_hot
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_variance = (variance0 @ one_hot) / j
        overall_mean_variance = variance0.sum(axis=1) / has_variance.sum(axis=1)
    rwg = statistics.rwg_j(mean_variance, j)
    overall_rwg = statistics.rwg_j(overall_mean_variance, has_variance.sum(axis=1))

    lined = statistics.straight_lined(k_request, data.score, n_requests) & submitted
    return Analysis(
        data=data,
        effects=effects,
        responded=responded,
        invited=invited,
        display=display,
        merged=merged,
        item_shown=item_shown,
        items=items,
        item_overall=item_overall,
        dimensions=dimensions,
        dimension_scores=dimension_scores,
        dimension_overall=dimension_overall,
        overall=overall,
        rwg=rwg,
        overall_rwg=overall_rwg,
        straight_lined=lined,
        shown_request_dimension=shown_rd.reshape(n_requests, n_dims),
        request_group=request_group,
    )
