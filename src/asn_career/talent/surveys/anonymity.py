"""Which breakdown groups of a survey's results may be published. Pure: no I/O.

The protections of the 360° reports (``feedback.reports.anonymity``), carried over to a
survey broken down by unit, gender and rank group:

- a group with fewer than ``min_group_size`` respondents is merged into ``other``; when
  ``other`` is itself too small, the next smallest group joins it (complementary
  suppression), until ``other`` is empty or large enough; a breakdown left with one group
  says nothing the overall figure does not, and is dropped;
- every published figure is the sum over a set of *cells* (respondents who belong to
  exactly the same published figures, so that no combination can tell them apart). A set
  of fewer than ``min_group_size`` respondents must not be obtainable by adding and
  subtracting published figures: not as the difference of two
  figures (a unit of 6 inside a gender group of 7), nor of more (unit A + women − everyone
  when no man works outside A). The check is exact: such a set is made of cells with fewer
  than the minimum each, at most ``min_group_size − 1`` of them, and it is obtainable iff its
  indicator lies in the row space of the published figures (orthogonal to their null space).
  Every such set is tried; while one is found, the smallest published group holding part
  of it is merged into ``other`` and the check runs again;
- results exist only once the survey is closed, and are frozen then (``surveys.results``):
  no later answer, correction or deletion can be differenced against them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Final

import numpy as np
from numpy.typing import NDArray

from asn_career.talent.surveys.rules import OTHER

MAX_COMBINATIONS: Final = 400_000
"""Sets tried per check; beyond it the finest breakdown is dropped instead (conservative)."""
TOLERANCE: Final = 1e-8


@dataclass
class Breakdown:
    """One breakdown's published groups: label → the respondents (row indexes)."""

    name: str
    groups: dict[str, NDArray[np.bool_]] = field(default_factory=dict)
    dropped: bool = False


def _merge(b: Breakdown, label: str) -> None:
    mask = b.groups.pop(label)
    b.groups[OTHER] = b.groups.get(OTHER, np.zeros_like(mask)) | mask


def _settle(b: Breakdown, minimum: int) -> None:
    """Small groups into ``other``; ``other`` too small takes the next smallest group."""
    for label in [k for k, m in b.groups.items() if k != OTHER and m.sum() < minimum]:
        _merge(b, label)
    while OTHER in b.groups and 0 < b.groups[OTHER].sum() < minimum:
        rest = [(int(m.sum()), k) for k, m in b.groups.items() if k != OTHER]
        if not rest:
            break
        _merge(b, min(rest)[1])
    if OTHER in b.groups and not b.groups[OTHER].any():
        del b.groups[OTHER]
    if len(b.groups) <= 1:
        b.groups = {}
        b.dropped = True


def _isolated_cells(
    masks: NDArray[np.bool_], cells: NDArray[np.int64], minimum: int
) -> list[int] | None:
    """Cells (indexes) whose union, of fewer than ``minimum`` respondents, the published
    figures (``masks``: figures × respondents) reveal; None when none do. Raises
    OverflowError when there are too many sets to try."""
    n_cells = int(cells.max()) + 1
    counts = np.bincount(cells, minlength=n_cells)
    # figures × cells: a figure covers whole cells (cells are finer than every group)
    covered = np.zeros((masks.shape[0], n_cells))
    for f in range(masks.shape[0]):
        covered[f] = np.bincount(cells[masks[f]], minlength=n_cells) > 0
    _, s, vt = np.linalg.svd(covered)
    rank = int((s > TOLERANCE * max(1.0, float(s.max(initial=0)))).sum())
    null = vt[rank:].T  # cells × nullity
    if null.shape[1] == 0:
        small = np.flatnonzero((counts > 0) & (counts < minimum))
        return [int(small[0])] if small.size else None
    candidates = [int(c) for c in np.flatnonzero((counts > 0) & (counts < minimum))]
    tried = 0
    for size in range(1, minimum):
        for combo in combinations(candidates, size):
            tried += 1
            if tried > MAX_COMBINATIONS:
                raise OverflowError
            if counts[list(combo)].sum() >= minimum:
                continue
            if np.abs(null[list(combo)].sum(axis=0)).max() < 1e-6:
                return list(combo)
    return None


def publishable(
    labels: Mapping[str, Sequence[str]], minimum: int
) -> tuple[list[Breakdown], NDArray[np.bool_]]:
    """The groups of each breakdown that may be published, and the overall mask.

    ``labels``: breakdown name → each respondent's label, in the same respondent order."""
    n = len(next(iter(labels.values()))) if labels else 0
    overall = np.ones(n, dtype=bool)
    breakdowns = []
    for name, values in labels.items():
        arr = np.asarray(values, dtype=object)
        b = Breakdown(name, {str(k): arr == k for k in sorted(set(arr.tolist()))})
        _settle(b, minimum)
        breakdowns.append(b)
    if n < minimum:
        for b in breakdowns:
            b.groups, b.dropped = {}, True
        return breakdowns, overall
    while True:
        figures = np.asarray([overall] + [m for b in breakdowns for m in b.groups.values()])
        # Respondents in exactly the same published figures are indistinguishable: the
        # cells any combination of figures is made of.
        _, cells = np.unique(figures.T, axis=0, return_inverse=True)
        cells = np.asarray(cells, dtype=np.int64).reshape(-1)
        try:
            found = _isolated_cells(figures, cells, minimum)
        except OverflowError:
            finest = max(breakdowns, key=lambda b: len(b.groups))
            finest.groups, finest.dropped = {}, True
            continue
        if found is None:
            return breakdowns, overall
        in_found = np.isin(cells, found)
        holders = [
            (int(m.sum()), label == OTHER, b.name, label, b)
            for b in breakdowns
            for label, m in b.groups.items()
            if (m & in_found).any()
        ]
        plain = [h for h in holders if not h[1]]
        if plain:
            _, _, _, label, b = min(plain, key=lambda h: h[:4])
            _merge(b, label)
            _settle(b, minimum)
        else:  # only ``other`` groups hold it: drop the breakdown with the smallest one
            _, _, _, _, b = min(holders, key=lambda h: h[:4])
            b.groups, b.dropped = {}, True
