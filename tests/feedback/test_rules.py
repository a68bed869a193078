"""The shared rules of 360° feedback: transitions, who may change a request, peers' level."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_career.feedback.rules import (
    CYCLE_TRANSITION_EVENTS,
    CYCLE_TRANSITIONS,
    relationship_fits,
    request_removable,
    similar_level,
    transition_target,
)
from asn_career.org.ranks import RANKS_PNS, RANKS_PPPK


def test_transitions_follow_the_one_way_path() -> None:
    assert transition_target("draft", "open") == "open"
    assert transition_target("open", "close") == "closed"
    assert transition_target("closed", "publish") == "published"
    for state in ("draft", "open", "closed", "published"):
        for action in ("open", "close", "publish", "reopen"):
            allowed = CYCLE_TRANSITIONS.get(action, ("", ""))[0] == state
            assert (transition_target(state, action) is not None) == allowed
    assert set(CYCLE_TRANSITION_EVENTS) == set(CYCLE_TRANSITIONS)


@pytest.mark.parametrize(
    ("state", "status", "removable"),
    [
        ("draft", "pending", True),
        ("draft", "nominated", True),
        ("draft", "declined", True),
        ("draft", "submitted", False),
        ("open", "pending", True),
        ("open", "nominated", True),
        ("open", "draft", False),
        ("open", "declined", False),
        ("open", "submitted", False),
        ("closed", "pending", False),
        ("published", "pending", False),
    ],
)
def test_which_requests_may_be_removed(state: str, status: str, removable: bool) -> None:
    assert request_removable(state, status) is removable


def test_self_is_the_subject_alone() -> None:
    assert relationship_fits("self", rater_is_subject=True)
    assert not relationship_fits("self", rater_is_subject=False)
    assert not relationship_fits("peer", rater_is_subject=True)
    assert relationship_fits("supervisor", rater_is_subject=False)


def test_peers_are_of_the_same_kind_or_one_rank_step_apart() -> None:
    assert similar_level("pelaksana", "II/a", "pelaksana", "III/d")
    assert similar_level("pelaksana", "III/a", "fungsional", "III/b")
    assert not similar_level("pelaksana", "III/a", "fungsional", "III/c")
    assert not similar_level("pelaksana", "III/d", "fungsional", "IV/b")
    assert similar_level("fungsional", "III/d", "pengawas", "IV/a")  # across the golongan
    assert not similar_level(None, "III/a", None, "IX")  # PNS and PPPK scales never compare
    assert similar_level(None, "IX", "pelaksana", "X")
    assert not similar_level(None, None, None, None)
    assert not similar_level("pelaksana", None, None, "III/a")


KINDS = st.sampled_from([None, "pelaksana", "fungsional", "pengawas", "administrator"])
RANKS = st.sampled_from([None, "XX", *RANKS_PNS, *RANKS_PPPK])


@given(KINDS, RANKS, KINDS, RANKS)
def test_similar_level_is_symmetric(
    kind_a: str | None, rank_a: str | None, kind_b: str | None, rank_b: str | None
) -> None:
    assert similar_level(kind_a, rank_a, kind_b, rank_b) == similar_level(
        kind_b, rank_b, kind_a, rank_a
    )
