"""Pure rules: the SKP matrix (all nine cells), source precedence, dates."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_career.profiles.histories import rules


@pytest.mark.parametrize(
    ("results", "behaviour", "predicate"),
    [
        ("above", "below", "kurang"),
        ("above", "as_expected", "baik"),
        ("above", "above", "sangat_baik"),
        ("as_expected", "below", "kurang"),
        ("as_expected", "as_expected", "baik"),
        ("as_expected", "above", "baik"),
        ("below", "below", "sangat_kurang"),
        ("below", "as_expected", "butuh_perbaikan"),
        ("below", "above", "butuh_perbaikan"),
    ],
)
def test_skp_matrix_every_cell(results: str, behaviour: str, predicate: str) -> None:
    assert rules.skp_predicate(results, behaviour) == predicate


def test_skp_labels_match_the_regulation() -> None:
    assert rules.PREDICATE_LABELS[rules.skp_predicate("above", "below")] == "Kurang/Misconduct"
    assert rules.PREDICATE_LABELS[rules.skp_predicate("above", "above")] == "Sangat Baik"
    assert rules.PREDICATE_LABELS[rules.skp_predicate("below", "above")] == "Butuh Perbaikan"


def test_skp_rejects_unknown_values() -> None:
    with pytest.raises(ValueError, match="unknown rating"):
        rules.skp_predicate("great", "below")


def test_current_level_prefers_source_then_date() -> None:
    d = date
    assert rules.current_level([]) is None
    # a newer self-assessment never beats an older assessment-centre result
    assert rules.current_level(
        [("self", d(2025, 5, 1), 5), ("assessment_center", d(2020, 1, 1), 2)]
    ) == (2, "assessment_center", d(2020, 1, 1))
    # within one source, the latest wins
    assert rules.current_level(
        [
            ("supervisor", d(2023, 1, 1), 2),
            ("supervisor", d(2024, 1, 1), 3),
            ("self", d(2025, 1, 1), 5),
        ]
    ) == (3, "supervisor", d(2024, 1, 1))
    assert rules.current_level(
        [("feedback_360", d(2022, 1, 1), 4), ("supervisor", d(2024, 1, 1), 1)]
    ) == (4, "feedback_360", d(2022, 1, 1))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(rules.SOURCE_PRECEDENCE),
            st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
            st.integers(min_value=1, max_value=5),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_current_level_comes_from_the_best_source_present(
    assessments: list[tuple[str, date, int]],
) -> None:
    result = rules.current_level(assessments)
    assert result is not None
    level, source, assessed_on = result
    best = min(rules.source_rank(s) for s, _, _ in assessments)
    assert rules.source_rank(source) == best
    assert assessed_on == max(d for s, d, _ in assessments if s == source)
    assert (source, assessed_on, level) in assessments


def test_training_forms_and_jp() -> None:
    assert all(rules.is_classroom(f) for f in rules.CLASSROOM_FORMS)
    assert not any(rules.is_classroom(f) for f in rules.NON_CLASSROOM_FORMS)
    assert rules.jp_to_minutes(2) == 90
    assert rules.jp_to_minutes(20) == 900


def test_graduation_bounds_and_indonesian_today() -> None:
    assert rules.graduation_year_bounds(date(1986, 9, 26), date(2025, 6, 1)) == (1991, 2025)
    # 16:00 UTC on 31 Dec is already 1 Jan in Jayapura (UTC+9)
    late = datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
    assert rules.today_in_indonesia(late) == date(2026, 1, 1)
