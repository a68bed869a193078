"""The matching on instances small enough to enumerate: the optimum equals the best of
every assignment, is at least the greedy baseline, honours capacities, hard rules and
pins, explains unmatched mentees rightly, and is the same for the same input; pruning to
the top K with the repair never leaves a mentee out that a mentor could still take."""

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.mentoring.matching import (
    SCALE,
    Instance,
    Side,
    candidates,
    eligible_block,
    explain,
    flow_graph,
    match,
    pair_parts,
    parts_block,
    score_block,
    scored_block,
    shortlist,
    solve_graph,
)
from asn_career.mentoring.rules import DEFAULT_WEIGHTS, ProgramRules


def side(rng: np.random.Generator, n: int, *, offset: int, mentors: bool, comps: int = 4,
         fams: int = 3, capacity: tuple[int, int] = (1, 3)) -> Side:  # fmt: skip
    unit = rng.integers(0, 3, n).astype(np.int32)
    return Side(
        person=np.arange(offset, offset + n, dtype=np.int64),
        scale=np.ones(n, dtype=np.int8),
        ordinal=rng.integers(8 if mentors else 4, 14 if mentors else 10, n).astype(np.int16),
        years=rng.uniform(10 if mentors else 1, 30 if mentors else 12, n).astype(np.float32),
        unit=unit,
        parent=(unit // 2).astype(np.int32),
        education=rng.integers(-1, 3, n).astype(np.int32),
        competencies=rng.random((n, comps)) < 0.4,
        families=(np.eye(fams, dtype=bool)[rng.integers(0, fams, n)] if mentors
                  else rng.random((n, fams)) < 0.4),
        capacity=(rng.integers(capacity[0], capacity[1] + 1, n).astype(np.int32) if mentors
                  else np.zeros(n, dtype=np.int32)),
    )  # fmt: skip


def instance(seed: int, n: int, m: int, capacity: tuple[int, int] = (1, 3),
             **rules: object) -> Instance:  # fmt: skip
    rng = np.random.default_rng(seed)
    mentees = side(rng, n, offset=0, mentors=False)
    mentors = side(rng, m, offset=1000, mentors=True, capacity=capacity)
    return Instance(mentees, mentors, ProgramRules(**rules), dict(DEFAULT_WEIGHTS))  # type: ignore[arg-type]


def brute_force(inst: Instance) -> tuple[int, int]:
    """(most matches, best integer score among those) and (best integer score overall),
    enumerating every assignment."""
    n, m = len(inst.mentees), len(inst.mentors)
    ok = eligible_block(inst, 0, n)
    gain = np.rint(score_block(inst, 0, n).astype(np.float64) * SCALE).astype(np.int64) + 1
    pinned = {int(i): int(j) for i, j in inst.pinned}
    best_score, best_part = -1, (-1, -1)
    for choice in itertools.product(range(-1, m), repeat=n):
        load = np.zeros(m, dtype=int)
        total, count, valid = 0, 0, True
        for i, j in enumerate(choice):
            if i in pinned:
                valid &= j == pinned[i]
                load[pinned[i]] += 1
                continue
            if j < 0:
                continue
            if not ok[i, j]:
                valid = False
                break
            load[j] += 1
            total += int(gain[i, j])
            count += 1
        if not valid or (load > inst.mentors.capacity).any():
            continue
        best_score = max(best_score, total)
        best_part = max(best_part, (count, total))
    return best_score, best_part[1]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5), st.integers(1, 3),
       st.sampled_from(["score", "participation"]),
       st.sampled_from(["preferred", "required", "avoided", "ignored"]))  # fmt: skip
def test_the_optimum_is_the_best_assignment_and_beats_greedy(
    seed: int, n: int, m: int, objective: str, unit_rule: str
) -> None:
    inst = instance(seed, n, m, objective=objective, unit_rule=unit_rule, min_gap=1)
    if seed % 3 == 0 and n > 1:  # a pin of an eligible pair
        ok = eligible_block(inst, 0, n)
        rows, cols = np.nonzero(ok)
        if len(rows):
            inst = replace(inst, pinned=np.asarray([[rows[0], cols[0]]], dtype=np.int64))
    result = match(inst)
    best_score, best_participation = brute_force(inst)
    gains = int(sum(
        np.rint(float(s) * SCALE) + 1 for s, p in zip(result.scores, result.pinned, strict=True)
        if not p
    ))  # fmt: skip
    if objective == "score":
        assert gains == best_score
    else:
        assert gains == best_participation
    assert result.total >= result.greedy_total - 1e-6 or objective == "participation"
    assert result.matched >= result.greedy_matched or objective == "score"
    ok = eligible_block(inst, 0, n)
    load = np.bincount(result.mentors, minlength=m)
    assert (load <= inst.mentors.capacity).all()
    assert len(set(result.mentees.tolist())) == result.matched
    for i, j, p in zip(result.mentees, result.mentors, result.pinned, strict=True):
        assert p or ok[i, j]
    for i, why in result.unmatched.items():
        if why == "no_eligible_mentor":
            assert not ok[i].any()
        else:  # every eligible mentor is full
            assert ok[i].any() and (load[ok[i]] >= inst.mentors.capacity[ok[i]]).all()
    again = match(inst)
    assert (again.mentees == result.mentees).all() and (again.mentors == result.mentors).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 4))
def test_pruning_with_repair_leaves_nobody_out_a_mentor_could_take(seed: int, k: int) -> None:
    inst = instance(seed, 60, 15, capacity=(1, 2), min_gap=1)
    full, pruned = match(inst), match(inst, top_k=k)
    assert pruned.matched == full.matched  # the +1 per match: as many as fit
    assert pruned.total <= full.total + 1e-4
    assert pruned.candidate_edges <= full.candidate_edges


def test_the_flow_graph_solved_alone_gives_the_same_objective() -> None:
    inst = instance(7, 200, 40, min_gap=1)
    cand = candidates(inst)
    bare = solve_graph(flow_graph(200, 40, cand, inst.mentors.capacity, False))
    assert match(inst).flow_cost == bare.cost


def test_forbidden_pairs_are_never_matched_and_rules_hold() -> None:
    inst = instance(3, 30, 8, min_gap=2, unit_rule="required")
    result = match(inst)
    forbid = np.stack([result.mentees, result.mentors], axis=1)
    again = match(replace(inst, forbidden=forbid))
    chosen = set(zip(again.mentees.tolist(), again.mentors.tolist(), strict=True))
    assert not chosen & set(map(tuple, forbid.tolist()))
    for i, j in chosen:
        assert inst.mentees.unit[i] == inst.mentors.unit[j]
        assert inst.mentors.ordinal[j] - inst.mentees.ordinal[i] >= 2


def test_a_hand_instance_explained() -> None:
    # One mentee with focus {0, 1}; mentor A strong in 0 and 1 from another unit, mentor B
    # strong in 0 in the same unit. Preferred unit: A scores 0.4 + seniority 0.15, B 0.2 +
    # 0.15 + 0.15; A wins.
    def one(units: list[int], comps: list[list[bool]], ordinals: list[int], cap: int) -> Side:
        k = len(units)
        return Side(np.arange(k, dtype=np.int64) + cap * 100, np.ones(k, np.int8),
                    np.asarray(ordinals, np.int16), np.zeros(k, np.float32),
                    np.asarray(units, np.int32), np.asarray(units, np.int32),
                    np.full(k, -1, np.int32), np.asarray(comps, bool), np.zeros((k, 1), bool),
                    np.full(k, cap, np.int32))  # fmt: skip

    mentees = one([0], [[True, True]], [5], 0)
    mentors = one([1, 0], [[True, True], [True, False]], [8, 8], 1)
    inst = Instance(mentees, mentors, ProgramRules(min_gap=2), dict(DEFAULT_WEIGHTS))
    result = match(inst)
    assert result.mentors.tolist() == [0]
    assert result.total == pytest.approx(0.55)
    assert result.greedy_total == pytest.approx(0.55)
    (why,) = explain(inst, result.mentees, result.mentors)
    assert why["shared_competencies"] == [0, 1] and why["gap"] == 3 and not why["same_unit"]
    assert [j for j, _ in shortlist(inst, 0, 5, mentors.capacity)] == [0, 1]
    assert shortlist(inst, 0, 5, np.asarray([0, 1], np.int32))[0][0] == 1


def test_people_keep_apart_whatever_their_ids_look_like() -> None:
    # Ids that differ only in their high bits (as generated ones may) are still different
    # people, and the same employee on both sides is the same person.
    from collections import namedtuple
    from datetime import date
    from types import SimpleNamespace
    from uuid import UUID

    from asn_career.mentoring.matchings.service import _side

    row = namedtuple("row", "entry unit_id parent_id education scale ordinal appointment_date")
    same_low_bits = [UUID(int=(k << 100) | 7) for k in range(3)]
    rows = [row(SimpleNamespace(employee_id=e, focus=[]), None, None, None, "pns", 9,
                date(2010, 1, 1)) for e in same_low_bits]  # fmt: skip
    ids: dict[object, int] = {}
    mentees = _side(rows, "focus", {}, [set()] * 3, 0, lambda r: 0, date(2026, 1, 1), ids, {})  # type: ignore[arg-type]
    mentors = _side(rows[:1], "focus", {}, [set()], 0, lambda r: 1, date(2026, 1, 1), ids, {})  # type: ignore[arg-type]
    assert len(set(mentees.person.tolist())) == 3
    assert mentors.person.tolist() == [mentees.person[0]]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["preferred", "required", "avoided", "ignored"]),
       st.sampled_from(["rank_steps", "years"]))  # fmt: skip
def test_the_one_pass_score_is_the_weighted_sum_of_the_parts(
    seed: int, unit_rule: str, basis: str
) -> None:
    inst = instance(seed, 40, 12, unit_rule=unit_rule, seniority_basis=basis, min_gap=1)
    ok, total = scored_block(inst, 5, 40)
    parts = parts_block(inst, 5, 40)
    weighted = sum(np.float32(w) * parts[p] for p, w in inst.weights.items())
    assert np.allclose(total, weighted, atol=1e-5)
    assert (ok == eligible_block(inst, 5, 40)).all()
    rows, cols = np.nonzero(ok)
    pairwise = pair_parts(inst, rows.astype(np.int64) + 5, cols.astype(np.int64))
    for p in parts:
        assert np.allclose(pairwise[p], parts[p][rows, cols], atol=1e-6)
