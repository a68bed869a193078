"""Pure rules: rank order, rank ranges, functional levels, tree paths."""

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_career.org import ranks
from asn_career.org.rules import (
    creates_reporting_cycle,
    creates_unit_cycle,
    functional_level_violation,
    next_technical_code,
    position_shape_violations,
    rank_range_violations,
)

any_rank = st.sampled_from(ranks.RANKS_PNS + ranks.RANKS_PPPK)


def test_the_scales_have_seventeen_ranks_each_in_order() -> None:
    assert len(ranks.RANKS_PNS) == len(ranks.RANKS_PPPK) == 17
    assert ranks.RANKS_PNS[0] == "I/a" and ranks.RANKS_PNS[-1] == "IV/e"
    assert ranks.RANKS_PPPK[0] == "I" and ranks.RANKS_PPPK[-1] == "XVII"
    assert [ranks.ordinal(c) for c in ranks.RANKS_PNS] == list(range(1, 18))
    assert [ranks.ordinal(c) for c in ranks.RANKS_PPPK] == list(range(1, 18))


def test_scale_of_and_unknown_codes() -> None:
    assert ranks.scale_of("III/a") == "pns"
    assert ranks.scale_of("IX") == "pppk"
    assert ranks.scale_of("III/f") is None
    assert ranks.scale_of("") is None
    with pytest.raises(ValueError, match="unknown rank"):
        ranks.ordinal("V/a")


def test_compare_within_and_across_scales() -> None:
    assert ranks.compare("III/a", "II/d") == 1
    assert ranks.compare("II/d", "III/a") == -1
    assert ranks.compare("IV/e", "IV/e") == 0
    assert ranks.compare("IX", "X") == -1
    with pytest.raises(ValueError, match="different scales"):
        ranks.compare("III/a", "III")
    with pytest.raises(ValueError, match="unknown rank"):
        ranks.compare("III/a", "nope")


def test_in_range() -> None:
    assert ranks.in_range("III/b", "III/a", "III/d")
    assert ranks.in_range("III/a", "III/a", None)
    assert not ranks.in_range("II/d", "III/a", "III/d")
    assert not ranks.in_range("IV/a", "III/a", "III/d")
    assert not ranks.in_range("IX", "III/a", "III/d")  # another scale never fits
    assert ranks.in_range("IX", None, None)


@given(any_rank, any_rank)
def test_compare_is_antisymmetric_and_matches_ordinals(a: str, b: str) -> None:
    if ranks.scale_of(a) != ranks.scale_of(b):
        with pytest.raises(ValueError, match="different scales"):
            ranks.compare(a, b)
        return
    assert ranks.compare(a, b) == -ranks.compare(b, a)
    assert (ranks.compare(a, b) <= 0) == (ranks.ordinal(a) <= ranks.ordinal(b))


@given(any_rank, any_rank)
def test_rank_range_is_valid_exactly_when_ordered_on_one_scale(low: str, high: str) -> None:
    problems = rank_range_violations(low, high)
    same_scale = ranks.scale_of(low) == ranks.scale_of(high)
    assert (not problems) == (same_scale and ranks.ordinal(low) <= ranks.ordinal(high))


def test_rank_range_reports_the_failing_bound() -> None:
    assert [p.type for p in rank_range_violations("IV/a", "III/a")] == ["rank_range_inverted"]
    assert [p.type for p in rank_range_violations("III/a", "X")] == ["rank_scale_mismatch"]
    unknown = rank_range_violations("Z", "III/a")
    assert [(p.field, p.type) for p in unknown] == [("min_rank", "unknown_rank")]
    assert rank_range_violations(None, "III/a") == []
    assert rank_range_violations(None, None) == []


@pytest.mark.parametrize(
    ("kind", "level", "problem"),
    [
        ("fungsional", "ahli_muda", None),
        ("fungsional", "terampil", None),
        ("fungsional", None, "functional_level_required"),
        ("pelaksana", None, None),
        ("administrator", None, None),
        ("pengawas", "ahli_muda", "functional_level_not_allowed"),
        ("jpt_pratama", "penyelia", "functional_level_not_allowed"),
    ],
)
def test_functional_level_only_for_fungsional(
    kind: str, level: str | None, problem: str | None
) -> None:
    violation = functional_level_violation(kind, level)
    assert (violation.type if violation else None) == problem


def test_tree_cycles() -> None:
    root, child, grandchild, other = (uuid.uuid4() for _ in range(4))
    assert creates_unit_cycle(child, [root, child, grandchild])  # under its own descendant
    assert creates_unit_cycle(child, [root, child])  # under itself
    assert not creates_unit_cycle(child, [other])
    assert creates_reporting_cycle(child, [root, child])
    assert not creates_reporting_cycle(child, [root])


def test_next_technical_code() -> None:
    assert next_technical_code([]) == "T.1"
    assert next_technical_code(["T.1", "T.2", "T.10"]) == "T.11"
    assert next_technical_code(["M.1", "junk"]) == "T.1"


@pytest.mark.parametrize(
    ("level", "min_rank", "max_rank", "problems"),
    [
        ("ahli_pertama", "III/a", "III/b", []),
        ("ahli_pertama", "III/a", "IV/a", [("max_rank", "rank_outside_functional_level")]),
        ("ahli_muda", "III/b", "III/d", [("min_rank", "rank_outside_functional_level")]),
        ("ahli_madya", "III/d", "IV/d", [("min_rank", "rank_outside_functional_level"),
                                         ("max_rank", "rank_outside_functional_level")]),
        ("ahli_utama", "IV/d", "IV/e", []),
        ("ahli_utama", None, "IV/e", []),
        ("ahli_pertama", "IX", "X", []),  # PPPK golongan: no table applied
        ("terampil", "II/b", "IV/e", []),  # skill track: no table applied
        ("ahli_pertama", "III/b", "III/a", [("max_rank", "rank_range_inverted")]),
    ],
)  # fmt: skip
def test_expertise_levels_keep_their_ranks(
    level: str, min_rank: str | None, max_rank: str | None, problems: list[tuple[str, str]]
) -> None:
    found = position_shape_violations("fungsional", level, min_rank, max_rank)
    assert [(p.field, p.type) for p in found] == problems


def test_a_missing_level_is_reported_before_the_rank_range() -> None:
    found = position_shape_violations("fungsional", None, "III/b", "III/a")
    assert [p.type for p in found] == ["functional_level_required", "rank_range_inverted"]
