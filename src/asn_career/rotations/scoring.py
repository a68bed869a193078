"""Fit of employees for positions, in named parts on [0, 1], vectorised with numpy.

``fit_matrix`` scores every employee against every position at once (employees ×
positions); ``pair_parts`` scores chosen pairs only (a candidate list, a round's
placements). Both run the same part functions, on a grid or on index pairs, and
``tests/rotations/test_scoring.py`` pins them together. No I/O.

Parts (``rules.FIT_PARTS``):
- competency: per required competency min(level, required) / required, weighted by the
  required level (unassessed counts 0); 1 for a position that requires none;
- education: 1 when an education field of the person is a preferred field of the
  position, 0 when not, ``NO_PREFERENCE_EDUCATION_SCORE`` when the position names none;
- rank: 1 within the position's rank range (same scale), 0 outside; 1 without a range;
- experience: 1 when the position's unit kind is one the person has not worked in yet
  (a broadening move), 0 otherwise;
- interest: 1 for a stated interest in the position, ``UNIT_INTEREST_SCORE`` in its unit;
- performance: the latest SKP predicate (``PREDICATE_SCORE``), the middle without one.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from asn_career.rotations import rules

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FitInputs:
    """Employees (n rows) and positions (m rows), as dense arrays over shared vocabularies
    of competencies (k), education fields (f) and unit kinds (u)."""

    levels: F32  # n × k current competency level, 0 when unassessed
    education: B  # n × f: the person's education fields
    rank_scale: I64  # n: 0 PNS, 1 PPPK, -1 no rank
    rank_ordinal: I64  # n
    worked_kinds: B  # n × u: unit kinds worked in (current position included)
    performance: F32  # n: performance part
    interest_employee: I64  # p: stated interests, as (employee, position, score) triples
    interest_position: I64  # p
    interest_score: F32  # p
    required: F32  # m × k required level, 0 when not required
    preferred: B  # m × f: preferred education fields
    range_scale: I64  # m: scale of the rank range, -1 without a range
    range_low: I64  # m: lowest ordinal (0 when open below)
    range_high: I64  # m: highest ordinal (99 when open above)
    unit_kind: I64  # m: index of the position's unit kind

    @property
    def n(self) -> int:
        return int(self.levels.shape[0])

    @property
    def m(self) -> int:
        return int(self.required.shape[0])


def _competency(x: FitInputs, i: I64, j: I64) -> F32:
    need = x.required.sum(axis=1)
    acc = np.zeros(np.broadcast_shapes(i.shape, j.shape), dtype=np.float32)
    for c in range(x.levels.shape[1]):
        acc += np.minimum(x.levels[i, c], x.required[j, c])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = acc / need[j]
    return np.where(need[j] > 0, share, np.float32(1.0)).astype(np.float32)


def _education(x: FitInputs, i: I64, j: I64, grid: bool) -> F32:
    match: B
    if grid:
        match = np.asarray((x.education.astype(np.float32) @ x.preferred.T.astype(np.float32)) > 0)
    else:
        match = np.asarray((x.education[i] & x.preferred[j]).any(axis=-1))
    has = has_preference(x)[j]
    neutral = np.float32(rules.NO_PREFERENCE_EDUCATION_SCORE)
    return np.where(has, match.astype(np.float32), neutral).astype(np.float32)


def has_preference(x: FitInputs) -> B:
    """Positions that name at least one preferred education field."""
    return np.asarray(x.preferred.any(axis=1))


def rank_in_range(x: FitInputs, i: I64, j: I64) -> B:
    """The person's rank lies in the position's range (always, for a position without one)."""
    open_range = x.range_scale[j] < 0
    same = x.rank_scale[i] == x.range_scale[j]
    within = (x.range_low[j] <= x.rank_ordinal[i]) & (x.rank_ordinal[i] <= x.range_high[j])
    return np.asarray(open_range | (same & within))


def _experience(x: FitInputs, i: I64, j: I64) -> F32:
    return (~x.worked_kinds[i, x.unit_kind[j]]).astype(np.float32)


def _interest(x: FitInputs, i: I64, j: I64, grid: bool) -> F32:
    if grid:
        out = np.zeros((x.n, x.m), dtype=np.float32)
        np.maximum.at(out, (x.interest_employee, x.interest_position), x.interest_score)
        return out
    table: dict[tuple[int, int], float] = {}
    for e, p, s in zip(x.interest_employee, x.interest_position, x.interest_score, strict=True):
        table[(int(e), int(p))] = max(table.get((int(e), int(p)), 0.0), float(s))
    return np.array(
        [table.get((int(a), int(b)), 0.0) for a, b in zip(i, j, strict=True)], dtype=np.float32
    )


def _parts(x: FitInputs, i: I64, j: I64, grid: bool) -> dict[str, F32]:
    shape = np.broadcast_shapes(i.shape, j.shape)
    return {
        "competency": _competency(x, i, j),
        "education": _education(x, i, j, grid),
        "rank": rank_in_range(x, i, j).astype(np.float32),
        "experience": _experience(x, i, j),
        "interest": _interest(x, i, j, grid),
        "performance": np.broadcast_to(x.performance[i], shape).astype(np.float32),
    }


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(max(0.0, weights.get(p, 0.0)) for p in rules.FIT_PARTS)
    return {p: max(0.0, weights.get(p, 0.0)) / total for p in rules.FIT_PARTS}


def combine(parts: Mapping[str, F32], weights: Mapping[str, float]) -> F32:
    w = normalised(weights)
    total = np.zeros_like(parts["competency"])
    for name in rules.FIT_PARTS:
        if w[name]:
            total += np.float32(w[name]) * parts[name]
    return total


def fit_matrix(x: FitInputs, weights: Mapping[str, float]) -> tuple[F32, B]:
    """Fit of every employee for every position (n × m), and the rank-in-range mask.

    The same parts as ``pair_parts``, computed over the whole grid with slices and in-place
    arithmetic (no index arrays, one n × m accumulator and one scratch matrix)."""
    w = normalised(weights)
    n, m = x.n, x.m
    scratch = np.empty((n, m), dtype=np.float32)
    # competency: levels are whole numbers 0–5, summed in 16 bits (a quarter of the memory
    # traffic of float64, half of float32), then scaled once
    need = x.required.sum(axis=1)
    levels = x.levels.astype(np.uint16)
    required = x.required.astype(np.uint16)
    met = np.zeros((n, m), dtype=np.uint16)
    small = np.empty((n, m), dtype=np.uint16)
    for c in range(levels.shape[1]):
        np.minimum(levels[:, c, None], required[None, :, c], out=small)
        met += small
    del small
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(need > 0, np.float32(w["competency"]) / need, np.float32(0.0))
    total = met.astype(np.float32)
    del met
    total *= scale.astype(np.float32)[None, :]
    total[:, need <= 0] = np.float32(w["competency"])
    # education
    match = (x.education.astype(np.float32) @ x.preferred.T.astype(np.float32)) > 0
    neutral = np.float32(rules.NO_PREFERENCE_EDUCATION_SCORE)
    has = has_preference(x)
    np.copyto(scratch, match)
    scratch[:, ~has] = neutral
    scratch *= np.float32(w["education"])
    total += scratch
    # rank
    rs, ro = x.rank_scale.astype(np.int8), x.rank_ordinal.astype(np.int8)
    ps, lo, hi = (a.astype(np.int8) for a in (x.range_scale, x.range_low, x.range_high))
    in_range = np.asarray(
        (ps < 0)[None, :]
        | (
            (rs[:, None] == ps[None, :])
            & (lo[None, :] <= ro[:, None])
            & (ro[:, None] <= hi[None, :])
        )
    )
    total += in_range * np.float32(w["rank"])
    # experience
    total += (~x.worked_kinds[:, x.unit_kind]) * np.float32(w["experience"])
    # interest (sparse: the highest stated score per pair)
    if x.interest_score.size:
        interest = np.zeros((n, m), dtype=np.float32)
        np.maximum.at(interest, (x.interest_employee, x.interest_position), x.interest_score)
        interest *= np.float32(w["interest"])
        total += interest
    # performance
    total += (x.performance * np.float32(w["performance"]))[:, None]
    return total, in_range


def pair_parts(x: FitInputs, i: I64, j: I64) -> dict[str, F32]:
    """The parts of the pairs (i[t], j[t])."""
    return _parts(x, np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64), grid=False)
