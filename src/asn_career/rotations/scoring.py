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


def rank_in_range(x: FitInputs, i: I64, j: I64, keys: tuple[I64, I64] | None = None) -> B:
    """The person's rank lies in the position's range (always, for a position without one):
    for the pairs (i, j), or, given ``keys`` (ranks as scales and ordinals), for every
    position against every such rank (m × len(keys))."""
    if keys is not None:
        scale, ordinal = keys[0][None, :], keys[1][None, :]
        ps, lo, hi = x.range_scale[:, None], x.range_low[:, None], x.range_high[:, None]
        return np.asarray((ps < 0) | ((scale == ps) & (lo <= ordinal) & (ordinal <= hi)))
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
    """Fit of every employee for every position (n × m), and the rank-in-range mask: the
    transposes of ``fit_grid`` (views, no copy)."""
    fit, in_range = fit_grid(x, weights)
    return fit.T, in_range.T


def _one_hot(codes: I64, width: int) -> F32:
    out = np.zeros((width, codes.size), dtype=np.float32)
    out[codes, np.arange(codes.size)] = 1.0
    return out


def fit_grid(x: FitInputs, weights: Mapping[str, float]) -> tuple[F32, B]:
    """Fit of every position for every employee (m × n, C order: the rows of a round), and
    the rank-in-range mask (m × n).

    Every part but the interest is linear in a few small per-person features, so the whole
    grid is one matrix product ``A @ B`` (m × K by K × n, K about a hundred), the stated
    interests (sparse) added after:
    - competency: min(level, required) = Σ_t [level ≥ t][required ≥ t] over t = 1…5 (whole
      levels), the position's side scaled by weight / need (weight alone when it needs none);
    - education, rank: per distinct education-field set (rank) of the people, the part of
      each position, picked by a one-hot of the person's set (rank);
    - experience: a one-hot of the position's unit kind against the kinds not worked in;
    - performance: the person's score against a column of ones.
    All terms are non-negative, so the float32 sums carry no cancellation."""
    w = normalised(weights)
    n, m = x.n, x.m
    a_parts: list[F32] = []
    b_parts: list[F32] = []
    # competency
    need = x.required.sum(axis=1)
    levels, required = x.levels, x.required
    top = int(required.max()) if required.size else 0
    whole = bool(
        np.array_equal(levels, np.round(levels)) and np.array_equal(required, np.round(required))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(need > 0, np.float32(w["competency"]) / need, np.float32(0.0))
    scale = scale.astype(np.float32)
    if whole:
        for t in range(1, top + 1):
            a_parts.append(((required >= t) * scale[:, None]).astype(np.float32))
            b_parts.append((levels >= t).T.astype(np.float32))
    constant = np.where(need > 0, np.float32(0.0), np.float32(w["competency"]))
    a_parts.append(constant.astype(np.float32)[:, None])
    b_parts.append(np.ones((1, n), dtype=np.float32))
    # education: per distinct field set of the people
    sets, which = np.unique(x.education, axis=0, return_inverse=True)
    which = np.asarray(which, dtype=np.int64).reshape(-1)
    match = (x.preferred.astype(np.float32) @ sets.T.astype(np.float32)) > 0
    table = np.where(
        has_preference(x)[:, None], match, np.float32(rules.NO_PREFERENCE_EDUCATION_SCORE)
    )
    a_parts.append((table * np.float32(w["education"])).astype(np.float32))
    b_parts.append(_one_hot(which, sets.shape[0]))
    # rank: per distinct (scale, ordinal) of the people
    rank_keys, rank_of = np.unique(
        np.stack([x.rank_scale, x.rank_ordinal], axis=1), axis=0, return_inverse=True
    )
    rank_of = np.asarray(rank_of, dtype=np.int64).reshape(-1)
    rank_table = rank_in_range(
        x,
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        keys=(rank_keys[:, 0], rank_keys[:, 1]),
    )  # m × distinct ranks
    a_parts.append(rank_table * np.float32(w["rank"]))
    b_parts.append(_one_hot(rank_of, rank_keys.shape[0]))
    # experience
    kinds = x.worked_kinds.shape[1]
    a_parts.append(_one_hot(x.unit_kind, kinds).T * np.float32(w["experience"]))
    b_parts.append((~x.worked_kinds).T.astype(np.float32))
    # performance
    a_parts.append(np.full((m, 1), np.float32(w["performance"]), dtype=np.float32))
    b_parts.append(x.performance.astype(np.float32)[None, :])
    a = np.ascontiguousarray(np.concatenate(a_parts, axis=1), dtype=np.float32)
    b = np.ascontiguousarray(np.concatenate(b_parts, axis=0), dtype=np.float32)
    total = np.asarray(a @ b, dtype=np.float32)
    if not whole:  # fractional levels: the competency part pair by pair
        acc = np.zeros((m, n), dtype=np.float32)
        for c in range(levels.shape[1]):
            acc += np.minimum(required[:, c, None], levels[None, :, c])
        acc *= scale[:, None]
        total += acc
    # interest (sparse: the highest stated score per pair)
    if x.interest_score.size and w["interest"]:
        key = x.interest_position * n + x.interest_employee
        order = np.lexsort((-x.interest_score, key))
        first = np.ones(order.size, dtype=np.bool_)
        first[1:] = key[order][1:] != key[order][:-1]
        best = order[first]  # per pair, its highest stated score
        total[x.interest_position[best], x.interest_employee[best]] += x.interest_score[
            best
        ] * np.float32(w["interest"])
    in_range = np.take(rank_table, rank_of, axis=1)
    return total, np.asarray(in_range, dtype=np.bool_)


def poor_placement(x: FitInputs, i: I64, j: I64) -> tuple[B, B]:
    """Of the pairs (i[t], j[t]): a poor fit by education (the position states a preference
    and the education part is below ``rules.POOR_FIT``) and by competencies (that part
    below it) — the placement-fit report's judgement."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    education = _education(x, i, j, grid=False)
    poor_education = has_preference(x)[j] & (education < rules.POOR_FIT)
    return np.asarray(poor_education), np.asarray(_competency(x, i, j) < rules.POOR_FIT)


def pair_parts(x: FitInputs, i: I64, j: I64) -> dict[str, F32]:
    """The parts of the pairs (i[t], j[t])."""
    return _parts(x, np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64), grid=False)
