"""The pure rules of the catalogue and of eligibility (``training.rules``)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from asn_career.training.rules import (
    Eligibility,
    Rung,
    course_shape_problems,
    ineligibility,
    rank_range_problem,
    repeated,
)

PNS = st.builds(Rung, st.just("PNS"), st.integers(1, 17))


def test_position_kinds_and_rank_range() -> None:
    open_course = Eligibility(frozenset(), None, None)
    assert ineligibility(open_course, None, None) == []
    kinds = Eligibility(frozenset({"pelaksana"}), None, None)
    assert ineligibility(kinds, "pelaksana", None) == []
    assert ineligibility(kinds, "fungsional", None) == ["position_kind"]
    assert ineligibility(kinds, None, None) == ["position_kind"]
    ranged = Eligibility(frozenset(), Rung("PNS", 9), Rung("PNS", 12))
    assert ineligibility(ranged, None, Rung("PNS", 9)) == []
    assert ineligibility(ranged, None, Rung("PNS", 12)) == []
    assert ineligibility(ranged, None, Rung("PNS", 8)) == ["rank"]
    assert ineligibility(ranged, None, Rung("PNS", 13)) == ["rank"]
    assert ineligibility(ranged, None, Rung("PPPK", 10)) == ["rank"]
    assert ineligibility(ranged, None, None) == ["rank"]
    both = Eligibility(frozenset({"pengawas"}), Rung("PNS", 9), None)
    assert ineligibility(both, "pelaksana", Rung("PNS", 1)) == ["position_kind", "rank"]


@given(PNS, PNS, PNS)
def test_inside_the_range_means_eligible(low: Rung, high: Rung, rank: Rung) -> None:
    rule = Eligibility(frozenset(), low, high)
    inside = low.ordinal <= rank.ordinal <= high.ordinal
    assert (ineligibility(rule, None, rank) == []) == inside


def test_rank_range_and_shape() -> None:
    assert rank_range_problem(None, Rung("PNS", 1)) is None
    assert rank_range_problem(Rung("PNS", 2), Rung("PPPK", 9)) == "scale"
    assert rank_range_problem(Rung("PNS", 13), Rung("PNS", 9)) == "order"
    assert rank_range_problem(Rung("PNS", 9), Rung("PNS", 9)) is None
    assert course_shape_problems(1, 30, None, None) == []
    kinds = [p.kind for p in course_shape_problems(5, 2, date(2026, 3, 5), date(2026, 3, 1))]
    assert kinds == ["participants_order", "date_order"]
    assert course_shape_problems(2, 2, date(2026, 3, 1), date(2026, 3, 1)) == []
    assert repeated(["M.1", "M.2", "M.1", "T.3", "T.3", "T.3"]) == ["M.1", "T.3"]
