"""The priority formula's pure parts."""

from decimal import Decimal

from asn_career.training.needs import rules
from asn_career.training.needs.rules import NeedFacts


def facts(**overrides: object) -> NeedFacts:
    values: dict[str, object] = {
        "position_level": 3,
        "target_level": None,
        "current_level": 1,
        "predicate": None,
        "position_kind": "pelaksana",
        "years_since_training": None,
        "hours_this_year": Decimal(0),
        "endorsed_request": False,
    }
    values.update(overrides)
    return NeedFacts(**values)  # type: ignore[arg-type]


def test_required_three_current_one_is_a_gap_of_two() -> None:
    assert rules.gap(facts()) == 2
    assert rules.priority_parts(facts())["gap"] == Decimal(2)


def test_a_missing_level_counts_as_level_one() -> None:
    assert rules.gap(facts(current_level=None)) == rules.gap(facts(current_level=1)) == 2


def test_a_met_level_is_no_gap() -> None:
    assert rules.gap(facts(current_level=4)) == 0


def test_a_target_position_adds_what_lies_beyond_the_current_gap() -> None:
    only_target = facts(position_level=None, target_level=3)
    assert rules.gap(only_target) == 2
    assert rules.priority_parts(only_target)["target_gap"] == Decimal("1.0")
    both = facts(target_level=5)
    assert rules.gap(both) == 4
    assert rules.priority_parts(both)["target_gap"] == rules.W_TARGET * 2
    assert rules.priority_parts(facts(target_level=2))["target_gap"] == 0


def test_an_skp_below_baik_is_a_need_on_the_positions_competencies_only() -> None:
    met = facts(current_level=3, predicate="butuh_perbaikan")
    assert rules.gap(met) == rules.PERFORMANCE_GAP
    assert rules.priority_parts(met)["performance"] == rules.W_PERFORMANCE
    assert rules.gap(facts(current_level=3, predicate="baik")) == 0
    target_only = facts(position_level=None, target_level=1, predicate="kurang")
    assert rules.gap(target_only) == 0


def test_structural_positions_weigh_more() -> None:
    weights = [
        rules.priority_parts(facts(position_kind=kind))["criticality"]
        for kind in ("jpt_pratama", "administrator", "pengawas", "fungsional", "pelaksana")
    ]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == 5
    assert rules.priority_parts(facts(position_kind=None))["criticality"] == 0


def test_a_long_time_without_training_weighs_more_up_to_the_cap() -> None:
    ages = [rules.priority_parts(facts(years_since_training=y))["training_age"] for y in range(7)]
    assert ages == sorted(ages) and ages[5] == ages[6] == rules.W_TRAINING_AGE
    never = rules.priority_parts(facts(years_since_training=None))["training_age"]
    assert never == rules.W_TRAINING_AGE


def test_twenty_jp_this_year_removes_the_hours_part() -> None:
    assert rules.hours_shortfall(Decimal(0)) == 1
    assert rules.hours_shortfall(Decimal(15)) == Decimal("0.25")
    assert rules.hours_shortfall(Decimal(20)) == rules.hours_shortfall(Decimal(31)) == 0
    assert rules.priority(facts(hours_this_year=Decimal(20))) < rules.priority(facts())


def test_an_endorsed_request_raises_the_priority_by_its_weight() -> None:
    assert rules.priority(facts(endorsed_request=True)) - rules.priority(facts()) == rules.W_REQUEST


def test_the_priority_is_the_rounded_sum_of_the_parts() -> None:
    example = facts(years_since_training=2, hours_this_year=Decimal("7.5"), target_level=4)
    # 2 + 0.5·1 + 0 + 0.5·0.2 + 0.5·2/5 + 0.5·12.5/20 + 0
    assert rules.priority(example) == Decimal("3.113")
    assert rules.priority(example) == rules.round_priority(
        sum(rules.priority_parts(example).values(), Decimal(0))
    )
