"""The rater proposal alone (``feedback.raters``): who is chosen and why, the cap, the fair
spread and determinism, on hand-made organisations and on generated ones (hypothesis)."""

import random
import uuid
from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.feedback.raters import PEER_WINDOW, Existing, Options, Person, Plan, propose
from asn_career.feedback.rules import CAPPED_RELATIONSHIPS, LOAD_STATUSES, similar_level

CYCLE = "0b7f3f7e-6d4e-4b51-9d0b-2f1d7a3c9e11"
UNIT = uuid.UUID(int=1)
OTHER_UNIT = uuid.UUID(int=2)
HEAD_POS = uuid.UUID(int=100)
KABID_POS = uuid.UUID(int=101)
STAFF_POS = uuid.UUID(int=102)
ANALYST_POS = uuid.UUID(int=103)


def person(n: int, **fields: object) -> Person:
    values: dict[str, object] = {
        "id": uuid.UUID(int=10_000 + n),
        "nip": f"19800101200501{n:04d}",
        "name": f"Pegawai {n}",
        "unit_id": UNIT,
        "unit_name": "Bidang Mutasi",
        "position_id": STAFF_POS,
        "position_title": "Pengelola Data Kepegawaian",
        "position_kind": "pelaksana",
        "reports_to_position_id": KABID_POS,
        "reports_to_title": "Kepala Bidang Mutasi",
        "rank_code": "III/a",
    }
    values.update(fields)
    return Person(**values)  # type: ignore[arg-type]


def small_org() -> tuple[Person, Person, list[Person], list[Person]]:
    """A head (Kepala Dinas), a Kepala Bidang reporting to it, five staff and three analysts
    reporting to the Kepala Bidang, all but the head in one unit."""
    head = person(
        1,
        unit_id=OTHER_UNIT,
        unit_name="Sekretariat",
        position_id=HEAD_POS,
        position_title="Kepala Dinas",
        position_kind="jpt_pratama",
        reports_to_position_id=None,
        reports_to_title=None,
        rank_code="IV/c",
    )
    kabid = person(
        2,
        position_id=KABID_POS,
        position_title="Kepala Bidang Mutasi",
        position_kind="administrator",
        reports_to_position_id=HEAD_POS,
        reports_to_title="Kepala Dinas",
        rank_code="IV/a",
    )
    staff = [person(10 + i, rank_code="III/a" if i < 3 else "II/d") for i in range(5)]
    analysts = [
        person(
            20 + i,
            position_id=ANALYST_POS,
            position_title="Analis SDM Aparatur",
            position_kind="fungsional",
            rank_code="III/b",
        )
        for i in range(3)
    ]
    return head, kabid, staff, analysts


def by_subject(plan: Plan) -> dict[uuid.UUID, dict[str, list[uuid.UUID]]]:
    found: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = {}
    for p in plan.proposals:
        found.setdefault(p.subject_id, {}).setdefault(p.relationship, []).append(p.rater_id)
    return found


def test_self_supervisor_direct_reports_and_peers_with_why() -> None:
    head, kabid, staff, analysts = small_org()
    everyone = [head, kabid, *staff, *analysts]
    plan = propose(CYCLE, [kabid, staff[0], analysts[0]], everyone, [], Options())
    chosen = by_subject(plan)

    assert chosen[kabid.id]["self"] == [kabid.id]
    assert chosen[kabid.id]["supervisor"] == [head.id]
    assert len(chosen[kabid.id]["subordinate"]) == 4
    assert set(chosen[kabid.id]["subordinate"]) <= {p.id for p in [*staff, *analysts]}
    assert "peer" not in chosen[kabid.id]  # everyone else in the unit reports to them

    assert chosen[staff[0].id]["supervisor"] == [kabid.id]
    peers = set(chosen[staff[0].id]["peer"])
    # The other staff by kind (pelaksana, whatever their rank), the III/b analysts by rank.
    assert peers <= {p.id for p in staff[1:]} | {a.id for a in analysts}
    assert len(peers) == 4
    assert "subordinate" not in chosen[staff[0].id]

    analyst_peers = set(chosen[analysts[0].id]["peer"])
    allowed = {a.id for a in analysts[1:]} | {s.id for s in staff if s.rank_code == "III/a"}
    assert analyst_peers <= allowed, "II/d is two steps from III/b and not a fungsional"

    reasons = {(p.subject_id, p.relationship): p.reason for p in plan.proposals}
    supervisor = reasons[(kabid.id, "supervisor")]
    assert supervisor.code == "direct_supervisor"
    assert supervisor.text_id == (
        "Atasan langsung: memegang jabatan Kepala Dinas yang membawahkan jabatan "
        "Kepala Bidang Mutasi"
    )
    assert "Kepala Dinas" in supervisor.text_en
    assert reasons[(kabid.id, "subordinate")].code == "direct_report"
    peer_reasons = {p.reason.code for p in plan.proposals if p.subject_id == analysts[0].id}
    assert peer_reasons >= {"self", "direct_supervisor"}
    assert peer_reasons & {"peer_same_kind", "peer_similar_rank"}


def test_without_supervisor_and_below_minimum_say_why() -> None:
    head, kabid, staff, _ = small_org()
    loner = person(
        99,
        unit_id=uuid.UUID(int=3),
        unit_name="UPT Arsip",
        position_id=uuid.UUID(int=199),
        position_title="Arsiparis",
        position_kind="fungsional",
        reports_to_position_id=uuid.UUID(int=198),
        reports_to_title="Kepala UPT Arsip",
    )
    plan = propose(CYCLE, [head, loner], [head, kabid, *staff, loner], [], Options())
    missing = {m.subject.id: m.reason.code for m in plan.without_supervisor}
    assert missing == {head.id: "top_of_line", loner.id: "supervisor_vacant"}
    short = {f.subject.id: [r.code for r in f.reasons] for f in plan.below_minimum}
    assert short[loner.id] == ["no_peers", "no_direct_reports"]
    # The head has one direct report only (the Kepala Bidang) and no peer in its unit.
    assert short[head.id] == ["no_peers", "few_direct_reports"]
    texts = next(f for f in plan.below_minimum if f.subject.id == loner.id).reasons[0]
    assert texts.text_id == "Tidak ada rekan aktif dengan jenjang setara di unit UPT Arsip"


def test_the_cap_holds_for_peers_and_direct_reports_but_not_for_the_supervisor() -> None:
    head, kabid, staff, analysts = small_org()
    everyone = [head, kabid, *staff, *analysts]
    subjects = [kabid, *staff, *analysts]
    plan = propose(CYCLE, subjects, everyone, [], Options(cap=3))
    load = Counter(p.rater_id for p in plan.proposals)
    capped_raters = {p.rater_id for p in plan.proposals if p.relationship in CAPPED_RELATIONSHIPS}
    assert all(load[r] <= 3 for r in capped_raters)
    # The Kepala Bidang is the supervisor of eight people: asked about all of them anyway.
    supervised = [p for p in plan.proposals if p.relationship == "supervisor"]
    assert sum(1 for p in supervised if p.rater_id == kabid.id) == 8
    assert load[kabid.id] == 9  # and themselves
    assert plan.below_minimum, "with a cap of 3 somebody runs short"
    codes = {r.code for f in plan.below_minimum for r in f.reasons}
    assert codes & {"peers_at_capacity", "subordinates_at_capacity"}


def test_existing_requests_count_in_the_load_and_are_not_asked_again() -> None:
    _, kabid, staff, analysts = small_org()
    everyone = [kabid, *staff, *analysts]
    subject = staff[0]
    existing = [
        Existing(subject.id, subject.id, "self", "pending"),
        Existing(subject.id, staff[1].id, "peer", "submitted"),
        Existing(subject.id, staff[2].id, "peer", "declined"),  # asked, not counted
        # staff[3] already carries the cycle's whole cap elsewhere
        *[Existing(uuid.UUID(int=900 + i), staff[3].id, "peer", "pending") for i in range(3)],
    ]
    plan = propose(CYCLE, [subject], everyone, existing, Options(peers=4, cap=3))
    chosen = by_subject(plan)[subject.id]
    assert "self" not in chosen
    assert staff[1].id not in chosen["peer"] and staff[2].id not in chosen["peer"]
    assert staff[3].id not in chosen["peer"]
    assert len(chosen["peer"]) == 3  # one peer already there, three more make four


def test_the_spread_is_fair_within_a_unit() -> None:
    colleagues = [person(i) for i in range(10)]
    for peers in (2, 3, 4, 5):
        plan = propose(CYCLE, colleagues, colleagues, [], Options(peers=peers, cap=8))
        load = Counter(p.rater_id for p in plan.proposals if p.relationship == "peer")
        assert sum(load.values()) == 10 * peers
        assert max(load.values()) - min(load.values()) <= 1, load


# --- generated organisations -------------------------------------------------------------

KINDS = ("pelaksana", "fungsional", "pengawas", "administrator")
RANKS = ("II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a")


@st.composite
def organisations(draw: st.DrawFn) -> tuple[list[Person], list[Person], list[Existing], Options]:
    n = draw(st.integers(min_value=2, max_value=30))
    units = [uuid.UUID(int=500 + u) for u in range(draw(st.integers(1, 4)))]
    positions = [uuid.UUID(int=600 + p) for p in range(draw(st.integers(1, 8)))]
    reports_to = {
        p: draw(st.sampled_from([None, *[q for q in positions if q != p]])) for p in positions
    }
    people = [
        person(
            i,
            unit_id=draw(st.sampled_from([None, *units])),
            position_id=(pos := draw(st.sampled_from([None, *positions]))),
            position_kind=draw(st.sampled_from([None, *KINDS])),
            reports_to_position_id=reports_to[pos] if pos else None,
            rank_code=draw(st.sampled_from([None, *RANKS])),
        )
        for i in range(n)
    ]
    subjects = draw(st.lists(st.sampled_from(people), unique_by=lambda p: p.id, min_size=1))
    existing = [
        Existing(s.id, r.id, draw(st.sampled_from(["peer", "subordinate", "supervisor"])),
                 draw(st.sampled_from(sorted(LOAD_STATUSES | {"declined"}))))
        for s, r in draw(st.lists(st.tuples(st.sampled_from(subjects), st.sampled_from(people)),
                                  max_size=20, unique_by=lambda t: (t[0].id, t[1].id)))
        if s.id != r.id
    ]  # fmt: skip
    options = Options(
        peers=draw(st.integers(2, 8)),
        subordinates=draw(st.integers(0, 8)),
        cap=draw(st.integers(1, 8)),
        min_group_size=draw(st.integers(3, 6)),
    )
    return subjects, people, existing, options


def _eligible(
    subjects: list[Person], pool: list[Person]
) -> dict[tuple[uuid.UUID, str], list[uuid.UUID]]:
    """The rule restated: direct reports report to the subject's position; peers share the
    unit at a similar level and are neither the supervisor nor a direct report."""
    found: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = {}
    for s in subjects:
        reports = [
            p.id
            for p in pool
            if p.id != s.id and s.position_id and p.reports_to_position_id == s.position_id
        ]
        holders = [
            p.id
            for p in pool
            if s.reports_to_position_id and p.position_id == s.reports_to_position_id
        ]
        found[(s.id, "subordinate")] = reports
        found[(s.id, "peer")] = [
            p.id
            for p in pool
            if s.unit_id is not None
            and p.unit_id == s.unit_id
            and p.id != s.id
            and p.id not in reports
            and p.id not in holders
            and similar_level(s.position_kind, s.rank_code, p.position_kind, p.rank_code)
        ]
    return found


@settings(max_examples=150, deadline=None)
@given(organisations(), st.randoms(use_true_random=False))
def test_the_cap_holds_and_the_proposal_is_sound(
    org: tuple[list[Person], list[Person], list[Existing], Options], rnd: random.Random
) -> None:
    subjects, pool, existing, options = org
    plan = propose(CYCLE, subjects, pool, existing, options)
    load = Counter(e.rater_id for e in existing if e.status in LOAD_STATUSES)
    asked = {(e.subject_id, e.rater_id) for e in existing}
    for p in plan.proposals:
        if p.relationship in CAPPED_RELATIONSHIPS:
            assert load[p.rater_id] < options.cap, "a capped request to a rater at the cap"
        load[p.rater_id] += 1
        assert (p.subject_id, p.rater_id) not in asked, "asked twice about one subject"
        asked.add((p.subject_id, p.rater_id))
        assert (p.relationship == "self") == (p.subject_id == p.rater_id)
    # The spread: no peer or direct-report request could move to an eligible candidate of
    # its subject with two requests fewer (who is not asked and is under the cap).
    candidates = _eligible(subjects, pool)
    final_asked = {(e.subject_id, e.rater_id) for e in existing} | {
        (p.subject_id, p.rater_id) for p in plan.proposals
    }
    for p in plan.proposals:
        if p.relationship not in CAPPED_RELATIONSHIPS:
            continue
        assert p.rater_id in candidates[(p.subject_id, p.relationship)], "not eligible"
        for c in candidates[(p.subject_id, p.relationship)]:
            if (p.subject_id, c) not in final_asked and load[c] < options.cap:
                assert load[c] + 2 > load[p.rater_id], "an unfair spread left"
    per_subject = Counter((p.subject_id, p.relationship) for p in plan.proposals)
    had = Counter((e.subject_id, e.relationship) for e in existing if e.status != "declined")
    for s in subjects:
        assert per_subject[(s.id, "peer")] + had[(s.id, "peer")] <= max(
            options.peers, had[(s.id, "peer")]
        )
        assert per_subject[(s.id, "self")] <= 1


@settings(max_examples=100, deadline=None)
@given(organisations(), st.randoms(use_true_random=False))
def test_the_same_input_in_any_order_gives_the_same_proposal(
    org: tuple[list[Person], list[Person], list[Existing], Options], rnd: random.Random
) -> None:
    subjects, pool, existing, options = org
    first = propose(CYCLE, subjects, pool, existing, options)
    shuffled = [list(x) for x in (subjects, pool, existing)]
    for x in shuffled:
        rnd.shuffle(x)
    again = propose(CYCLE, shuffled[0], shuffled[1], shuffled[2], options)  # type: ignore[arg-type]
    assert again == first


def test_another_cycle_may_break_ties_differently_but_the_counts_agree() -> None:
    colleagues = [person(i) for i in range(12)]
    one = propose(CYCLE, colleagues, colleagues, [], Options())
    two = propose(str(uuid.UUID(int=7)), colleagues, colleagues, [], Options())
    assert one.counts() == two.counts()
    assert {(p.subject_id, p.rater_id) for p in one.proposals} != {
        (p.subject_id, p.rater_id) for p in two.proposals
    }


def test_a_subject_changed_position_is_proposed_from_what_was_stored() -> None:
    head, kabid, staff, analysts = small_org()
    moved = replace(staff[0], unit_id=OTHER_UNIT, reports_to_position_id=HEAD_POS)
    plan = propose(CYCLE, [moved], [head, kabid, *staff, *analysts], [], Options())
    assert by_subject(plan)[moved.id]["supervisor"] == [head.id]


def test_a_unit_larger_than_the_window_still_gets_its_peers_within_the_cap() -> None:
    teachers = [
        person(i, position_kind="fungsional", position_title="Guru Ahli Pertama")
        for i in range(3 * PEER_WINDOW)
    ]
    plan = propose(CYCLE, teachers, teachers, [], Options(peers=4, cap=6))
    load = Counter(p.rater_id for p in plan.proposals)
    per_subject = Counter(p.subject_id for p in plan.proposals if p.relationship == "peer")
    assert set(per_subject.values()) == {4}
    assert max(load.values()) <= 6
