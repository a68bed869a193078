"""The pure rules and the proposal of a development plan."""

import uuid
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.training.development_plans import rules
from asn_career.training.development_plans.drafting import (
    MAX_DRAFT_NEEDS,
    CourseOption,
    DraftFacts,
    Interest,
    NeedFact,
    Suggestion,
    best_course,
    jp_text,
    propose,
)


def course(
    code: str, competency: int, level: int, jp: int, *, eligible: bool = True,
    form: str = "training", starts_on: date | None = None,
) -> CourseOption:  # fmt: skip
    return CourseOption(uuid.uuid5(uuid.NAMESPACE_DNS, code), code, f"Kursus {code}", form,
                        Decimal(jp), starts_on, competency, level, eligible)  # fmt: skip


def need(competency: int, required: int | None, current: int | None, target: int | None = None,
         performance: bool = False) -> NeedFact:  # fmt: skip
    gap = max(rules.need_gap(current, required) if required else 0,
              rules.need_gap(current, target) if target else 0, int(performance))  # fmt: skip
    return NeedFact(competency, f"M.{competency}", f"Kompetensi {competency}", required, target,
                    current, gap, performance)  # fmt: skip


def test_the_workflow_and_the_sums() -> None:
    assert rules.may_edit("draft") and not rules.may_edit("approved")
    assert rules.may_approve("draft") and not rules.may_approve("approved")
    assert rules.may_reopen("approved") and not rules.may_reopen("draft")
    assert rules.need_gap(None, 3) == 2 and rules.need_gap(4, 3) == 0
    assert rules.jp_shortfall(Decimal("12.5")) == Decimal("7.5")
    assert rules.jp_shortfall(Decimal(24)) == 0
    assert [rules.quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 9, 12)] == [1, 1, 2, 3, 4]
    assert rules.activity_kind("e_learning") == "training"
    assert rules.activity_kind("internship") == "rotation_or_internship"
    assert rules.repeated_competencies(["M.1", "M.2", "M.1"]) == ["M.1"]
    assert (jp_text(Decimal(24)), jp_text(Decimal("7.5")), jp_text(Decimal("20.0"))) == (
        "24", "7,5", "20"
    )  # fmt: skip


def test_the_course_chosen_reaches_the_level_first_then_is_shortest() -> None:
    short_low = course("A", 1, 3, 8)
    long_high = course("B", 1, 4, 40)
    short_high = course("C", 1, 4, 16)
    barred = course("D", 1, 5, 4, eligible=False)
    options = [short_low, long_high, short_high, barred]
    assert best_course(options, 2, 4, set()) == short_high
    assert best_course(options, 2, 4, {short_high.course_id}) == long_high
    assert best_course(options, 2, 3, set()) == short_low
    assert best_course(options, 4, 5, set()) is None  # none above level 4 that may be taken


def test_nothing_known_still_proposes_the_yearly_20_jp() -> None:
    proposal = propose(DraftFacts(year=2026, position_title=None))
    assert (proposal.needs, proposal.activities) == ([], [])
    assert [(g.source, g.text) for g in proposal.goals] == [
        ("minimum_jp", "Memenuhi hak pengembangan kompetensi sedikitnya 20 JP pada tahun 2026 "
                       "(direncanakan 0 JP).")
    ]  # fmt: skip


def test_each_source_says_why() -> None:
    facts = DraftFacts(
        year=2026,
        position_title="Analis SDM",
        needs=[need(1, 3, 2), need(2, None, 1, target=3), need(3, 2, 3, performance=True)],
        suggestions=[
            Suggestion("M.1", "Kompetensi 1", "below_required_level", "Detail M.1", 1),
            Suggestion("BA.1", "Berorientasi Pelayanan", "blind_spot", "Detail BA.1", None),
        ],
        feedback_cycle="Umpan balik 2026",
        interests=[
            Interest("position", "Ingin menjadi analis kebijakan", "Analis Kebijakan"),
            Interest("unit", "Bappeda", None),
        ],
        courses=[course("K1", 1, 3, 24, starts_on=date(2026, 8, 3))],
    )
    proposal = propose(facts)
    assert [(n.competency_id, n.source, n.required_level) for n in proposal.needs] == [
        (1, "position", 3), (2, "target_position", 3), (3, "performance", 2)
    ]  # fmt: skip
    assert "umpan balik 360°" in proposal.needs[0].reason
    assert "SKP" in proposal.needs[2].reason
    kinds = [(a.kind, a.competency_id, a.source, a.target_quarter) for a in proposal.activities]
    assert kinds == [
        ("training", 1, "need", 3),
        ("coaching", 2, "need", None),
        ("coaching", 3, "need", None),
        ("coaching", None, "feedback_360", None),  # BA.1, a blind spot on a value
        ("rotation_or_internship", None, "career_interest", None),
    ]
    assert [g.source for g in proposal.goals] == [
        "need", "target_position", "need", "feedback_360", "minimum_jp"
    ]  # fmt: skip
    assert "Analis Kebijakan" in proposal.goals[1].text
    assert "(direncanakan 88 JP)" in proposal.goals[-1].text  # 24 + 8 + 8 + 8 + 40


levels = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def facts(draw: st.DrawFn) -> DraftFacts:
    needs = [
        need(c, draw(st.one_of(st.none(), st.integers(2, 5))), draw(levels),
             draw(st.one_of(st.none(), st.integers(2, 5))), draw(st.booleans()))
        for c in draw(st.lists(st.integers(1, 8), unique=True, max_size=8))
    ]  # fmt: skip
    needs = [n for n in needs if n.gap > 0 and (n.required_level or not n.performance)]
    courses = [
        course(f"C{i}", draw(st.integers(1, 8)), draw(st.integers(1, 5)), draw(st.integers(1, 60)),
               eligible=draw(st.booleans()))
        for i in range(draw(st.integers(0, 10)))
    ]  # fmt: skip
    suggestions = [
        Suggestion(f"M.{c}", "x", draw(st.sampled_from(["blind_spot", "lowest_rated"])), "d", c)
        for c in draw(st.lists(st.integers(1, 8), unique=True, max_size=3))
    ]
    return DraftFacts(year=2026, position_title="Analis", needs=needs, suggestions=suggestions,
                      courses=courses)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(facts())
def test_a_proposal_takes_each_course_once_and_only_those_open_to_the_employee(
    given_facts: DraftFacts,
) -> None:
    proposal = propose(given_facts)
    chosen = [a.course_id for a in proposal.activities if a.course_id is not None]
    assert len(chosen) == len(set(chosen))
    eligible = {c.course_id for c in given_facts.courses if c.eligible}
    assert set(chosen) <= eligible
    assert len(proposal.needs) == min(len(given_facts.needs), MAX_DRAFT_NEEDS)
    assert len({n.competency_id for n in proposal.needs}) == len(proposal.needs)
    for n in proposal.needs:
        assert rules.need_gap(n.current_level, n.required_level) > 0 or n.source == "performance"
    assert proposal.goals[-1].source == "minimum_jp"
    assert f"direncanakan {jp_text(proposal.planned_jp)} JP" in proposal.goals[-1].text
    assert propose(given_facts) == proposal  # deterministic
