"""The answering rules alone: what a draft and a submission may hold."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from asn_career.feedback.responses.rules import (
    MAX_COMMENT_LENGTH,
    GivenAnswer,
    ItemRule,
    ReminderRule,
    item_rules_for_public,
    reminder_due,
    response_problems,
    status_after_save,
)

ITEMS = [
    ItemRule("A", required=True, comment_allowed=True, not_observed_allowed=True),
    ItemRule("B", required=True, comment_allowed=False, not_observed_allowed=False),
    ItemRule("C", required=False, comment_allowed=True, not_observed_allowed=True),
]


def kinds(answers: list[GivenAnswer], *, submit: bool = False) -> list[tuple[object, ...]]:
    return [(*p.loc, p.kind) for p in response_problems(ITEMS, answers, submit=submit)]


def test_a_valid_submission_has_no_problem() -> None:
    answers = [
        GivenAnswer("A", None, True, "Belum pernah melihat"),
        GivenAnswer("B", 5, False, None),
    ]
    assert kinds(answers, submit=True) == []


def test_each_rule_names_its_field() -> None:
    assert kinds([GivenAnswer("Z", 3, False, None)]) == [
        ("answers", 0, "item_code", "unknown_item")
    ]
    assert kinds([GivenAnswer("A", 3, False, None), GivenAnswer("A", 4, False, None)]) == [
        ("answers", 1, "item_code", "duplicate_item")
    ]
    assert kinds([GivenAnswer("A", 0, False, None)]) == [("answers", 0, "score", "score_range")]
    assert kinds([GivenAnswer("A", 6, False, None)]) == [("answers", 0, "score", "score_range")]
    assert kinds([GivenAnswer("B", None, True, None)]) == [
        ("answers", 0, "not_observed", "not_observed_forbidden")
    ]
    assert kinds([GivenAnswer("A", 2, True, None)]) == [
        ("answers", 0, "not_observed", "score_and_not_observed")
    ]
    assert kinds([GivenAnswer("A", None, False, None)]) == [
        ("answers", 0, "score", "score_missing")
    ]
    assert kinds([GivenAnswer("B", 2, False, "x")]) == [
        ("answers", 0, "comment", "comment_forbidden")
    ]
    long = "x" * (MAX_COMMENT_LENGTH + 1)
    assert kinds([GivenAnswer("A", 2, False, long)]) == [
        ("answers", 0, "comment", "comment_too_long")
    ]
    assert kinds([GivenAnswer("A", 2, False, "x" * MAX_COMMENT_LENGTH)]) == []


def test_a_submission_needs_every_required_item_and_one_score() -> None:
    assert kinds([GivenAnswer("A", 3, False, None)], submit=True) == [
        ("answers", "answer_required")
    ]
    assert kinds([GivenAnswer("A", 3, False, None)], submit=False) == []
    public = item_rules_for_public(ITEMS)
    nothing = [GivenAnswer("A", None, True, None), GivenAnswer("B", None, True, None)]
    assert [p.kind for p in response_problems(public, nothing, submit=True)] == ["no_score"]
    assert [p.kind for p in response_problems(public, nothing, submit=False)] == []


def test_public_raters_may_mark_any_item_not_observed() -> None:
    public = item_rules_for_public(ITEMS)
    assert all(item.not_observed_allowed for item in public)
    assert [i.comment_allowed for i in public] == [i.comment_allowed for i in ITEMS]


def test_status_after_a_save() -> None:
    assert status_after_save(0, submit=False) == "pending"
    assert status_after_save(2, submit=False) == "draft"
    assert status_after_save(2, submit=True) == "submitted"


answer = st.builds(
    GivenAnswer,
    item_code=st.sampled_from(["A", "B", "C"]),
    score=st.one_of(st.none(), st.integers(1, 5)),
    not_observed=st.booleans(),
    comment=st.one_of(st.none(), st.text(max_size=5)),
)


@given(st.lists(answer, max_size=5))
def test_a_draft_is_refused_exactly_when_one_answer_breaks_a_rule(
    answers: list[GivenAnswer],
) -> None:
    items = {item.code: item for item in ITEMS}
    codes = [a.item_code for a in answers]
    broken = len(set(codes)) != len(codes) or any(
        (a.score is None) == (not a.not_observed)  # neither, or both
        or (a.not_observed and not items[a.item_code].not_observed_allowed)
        or (a.comment is not None and not items[a.item_code].comment_allowed)
        for a in answers
    )
    assert bool(response_problems(ITEMS, answers, submit=False)) == broken


NOW = datetime(2026, 6, 1, tzinfo=UTC)


def due(
    *,
    cycle_state: str = "open",
    deadline: datetime = NOW + timedelta(days=2),
    opened_at: datetime | None = NOW - timedelta(days=10),
    status: str = "draft",
    created_at: datetime = NOW - timedelta(days=20),
    reminded_at: datetime | None = None,
) -> bool:
    return reminder_due(
        ReminderRule(), NOW, cycle_state=cycle_state, deadline=deadline, opened_at=opened_at,
        status=status, created_at=created_at, reminded_at=reminded_at,
    )  # fmt: skip


def test_reminders_due() -> None:
    assert due()
    assert not due(cycle_state="closed")
    assert not due(deadline=NOW)
    assert not due(status="submitted")
    assert not due(status="nominated")
    assert not due(reminded_at=NOW - timedelta(days=1))
    assert due(reminded_at=NOW - timedelta(days=3))
    far = NOW + timedelta(days=30)
    assert not due(deadline=far)  # begun, and the deadline is far: not yet
    assert due(deadline=far, status="pending")  # not begun ten days after opening
    assert not due(deadline=far, status="pending", opened_at=NOW - timedelta(days=1))
    assert not due(deadline=far, status="pending", reminded_at=NOW - timedelta(days=5))
    assert ReminderRule.of_days(7, 3) == ReminderRule()
