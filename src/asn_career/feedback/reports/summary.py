"""The cycle-level statistics of the summary (HR): leniency distribution, reliability,
straight-lining and the unit × dimension heatmap. Pure numpy over the ``Analysis``.

Nothing here names a rater. The heatmap is built from the subjects' reported figures (shown
groups only), so it holds nothing a suppressed group contributed, and a cell needs at least
the cycle's minimum of people and of raters.
"""

import uuid
from typing import Any, Final

import numpy as np

from asn_career.feedback import statistics
from asn_career.feedback.reports.analysis import SUBMITTED, Analysis
from asn_career.feedback.reports.anonymity import RELATIONSHIP_INDEX, SELF

LENIENCY_EDGES: Final = (-1.0, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1.0)
"""Bins of rater effects (points on the 1–5 scale); the outer bins are open-ended and the
middle one, −0.25 to 0.25, holds the raters who rate about as the others do."""
LENIENCY_FLAG: Final = 0.5
DECIMALS: Final = 3


def _r(value: float | None) -> float | None:
    if value is None or value != value:
        return None
    return round(float(value), DECIMALS)


def _non_self_scored(analysis: Analysis) -> np.ndarray[Any, Any]:
    """Requests (indices) of submitted non-self responses with at least one score."""
    data = analysis.data
    scored = np.bincount(data.score_request, minlength=data.request_subject.size) > 0
    return np.flatnonzero(
        scored
        & (data.request_status == SUBMITTED)
        & (data.request_relationship != RELATIONSHIP_INDEX["self"])
    )


def leniency(analysis: Analysis) -> dict[str, Any]:
    requests = _non_self_scored(analysis)
    raters = np.unique(analysis.data.request_rater[requests])
    raters = raters[analysis.effects.subjects_rated[raters] >= statistics.MIN_SUBJECTS_RATED]
    effects = analysis.effects.rater[raters]
    counts = (
        statistics.histogram(effects, LENIENCY_EDGES)
        if effects.size
        else np.zeros(len(LENIENCY_EDGES) - 1, dtype=np.int64)
    )
    bins = []
    for n, count in enumerate(counts.tolist()):
        low = None if n == 0 else LENIENCY_EDGES[n]
        high = None if n == len(LENIENCY_EDGES) - 2 else LENIENCY_EDGES[n + 1]
        bins.append({"low": low, "high": high, "raters": count})
    return {
        "raters": int(raters.size),
        "shrinkage": _r(analysis.effects.shrinkage),
        "shrinkage_estimated": analysis.effects.estimated,
        "sd": _r(float(np.std(effects, ddof=1))) if effects.size > 1 else None,
        "lenient": int((effects > LENIENCY_FLAG).sum()),
        "severe": int((effects < -LENIENCY_FLAG).sum()),
        "bins": bins,
    }


def reliability(analysis: Analysis) -> dict[str, Any]:
    """ICC(1)/ICC(k) of the raw mean score each non-self response gave its subject."""
    data = analysis.data
    size = data.request_subject.size
    totals = np.bincount(data.score_request, weights=data.score.astype(float), minlength=size)
    counts = np.bincount(data.score_request, minlength=size)
    requests = _non_self_scored(analysis)
    result = statistics.icc_oneway(
        data.request_subject[requests], totals[requests] / counts[requests]
    )
    return {
        "icc1": _r(result.icc1),
        "icck": _r(result.icck),
        "k0": _r(result.k0),
        "subjects": result.subjects,
        "ratings": result.ratings,
    }


def straight_lined(analysis: Analysis) -> int:
    return int(analysis.straight_lined.sum())


def heatmap(analysis: Analysis) -> dict[str, Any]:
    """Unit × dimension: the mean over the unit's subjects of their others' calibrated
    mean, where at least ``min_group_size`` subjects and as many distinct raters stand
    behind the cell."""
    data = analysis.data
    minimum = data.cycle.min_group_size
    units: dict[uuid.UUID | None, int] = {}
    names: dict[uuid.UUID | None, str | None] = {}
    for subject in data.subjects:
        units.setdefault(subject.unit_id, len(units))
        names[subject.unit_id] = subject.unit_name
    unit_of = np.array([units[s.unit_id] for s in data.subjects], dtype=np.int64)
    n_units, n_dims = len(units), len(data.dimensions)
    figures = analysis.dimension_overall
    has = figures.count > 0
    value = np.where(has, figures.calibrated, 0.0)
    cell = (unit_of[:, None] * n_dims + np.arange(n_dims)[None, :])[has]
    subjects = np.bincount(cell, minlength=n_units * n_dims)
    totals = np.bincount(cell, weights=value[has], minlength=n_units * n_dims)

    shown = analysis.shown_request_dimension & (analysis.request_group > SELF)[:, None]
    q, d = np.nonzero(shown)
    rater_cell = unit_of[data.request_subject[q]] * n_dims + d
    distinct = np.unique(data.request_rater[q] * (n_units * n_dims) + rater_cell)
    raters = np.bincount(distinct % (n_units * n_dims), minlength=n_units * n_dims)

    unit_ids = list(units)
    cells = []
    for c in np.flatnonzero((subjects >= minimum) & (raters >= minimum)).tolist():
        unit, dim = divmod(c, n_dims)
        cells.append(
            {
                "unit_id": unit_ids[unit],
                "dimension_code": data.dimensions[dim].code,
                "calibrated_mean": round(float(totals[c] / subjects[c]), 2),
                "subjects": int(subjects[c]),
                "raters": int(raters[c]),
            }
        )
    return {
        "units": [{"unit_id": u, "unit_name": names[u]} for u in unit_ids],
        "dimensions": [
            {"kind": x.kind, "code": x.code, "name_id": x.name_id, "name_en": x.name_en}
            for x in data.dimensions
        ],
        "cells": cells,
    }
