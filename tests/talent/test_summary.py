"""``GET /employees/{nip}/career-summary`` (now in ``talent.summary``): profiles' part with
last year's 9-box and index, live mentoring matches and the employee's own open 360° rater
tasks; who sees which part; a fixed number of statements whatever the matches and tasks.
Also the employee's own ``/nine-box`` and ``/professionalism-index``."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event, select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Cycle, Request
from asn_career.mentoring.models import Match, Matching, Mentee, Mentor, Program
from asn_career.mentoring.rules import DEFAULT_WEIGHTS
from asn_career.org.rules import today_in_indonesia
from asn_career.talent import rules
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.talent.world import World, talent_world

LAST = today_in_indonesia().year - 1  # the summary's year


def summary_url(nip: str) -> str:
    return f"/api/v1/employees/{nip}/career-summary"


@dataclass
class Seeded:
    world: World
    soon: datetime
    later: datetime
    matches: dict[str, uuid.UUID]


async def _seed(app: FastAPI) -> Seeded:
    w = await talent_world(app)
    await w.person(
        "star", "staf", skp={LAST: "sangat_baik", LAST - 1: "baik"},
        levels={"M.1": 2, "M.2": 2}, feedback={"M.1": 2.0, "M.2": 2.0},
        education=["S1"],
    )  # fmt: skip
    await w.person("boss", "kasi", skp={LAST: "sangat_baik"}, levels={"M.1": 3, "M.2": 2})
    await w.person("solid", "analis", skp={LAST: "baik"}, levels={"M.1": 2, "M.2": 2})
    await w.person("weak", "staf", skp={LAST: "kurang"}, levels={"M.1": 1, "M.2": 1})
    await w.person("idle", None, skp={LAST: "baik"})
    await w.person("other", "b", skp={LAST: "baik"}, levels={"M.1": 1})
    e = w.employees
    now = datetime.now(UTC)
    soon, later = now + timedelta(days=3), now + timedelta(days=10)
    matches: dict[str, uuid.UUID] = {}
    async with unit_of_work(app.state.sessionmaker) as session:
        program = Program(agency_code=AGENCY_A, name="Mentoring", starts_on=date(2027, 1, 1),
                          ends_on=date(2027, 6, 30), weights=dict(DEFAULT_WEIGHTS))  # fmt: skip
        session.add(program)
        await session.flush()
        mentors = {k: Mentor(program_id=program.id, employee_id=e[k], added_by="hr")
                   for k in ("boss", "star", "weak")}  # fmt: skip
        mentees = {k: Mentee(program_id=program.id, employee_id=e[k], focus_source="given")
                   for k in ("star", "solid", "weak")}  # fmt: skip
        published = Matching(program_id=program.id, agency_code=AGENCY_A, status="published",
                             objective="score", published_at=now)  # fmt: skip
        unpublished = Matching(program_id=program.id, agency_code=AGENCY_A, status="proposed",
                               objective="score")  # fmt: skip
        session.add_all([*mentors.values(), *mentees.values(), published, unpublished])
        await session.flush()
        for key, run, mentor, mentee, state in (
            ("boss_star", published, "boss", "star", "active"),
            ("star_solid", published, "star", "solid", "proposed"),
            ("star_weak_done", published, "star", "weak", "completed"),  # not live
            ("weak_star_hidden", unpublished, "weak", "star", "proposed"),  # not published
        ):
            match = Match(program_id=program.id, matching_id=run.id, agency_code=AGENCY_A,
                          mentor_id=mentors[mentor].id, mentee_id=mentees[mentee].id,
                          score=0.5, parts={}, state=state)  # fmt: skip
            session.add(match)
            await session.flush()
            matches[key] = match.id

        def cycle(name: str, state: str, deadline: datetime) -> Cycle:
            return Cycle(agency_code=AGENCY_A, name=name, period_start=date(LAST, 1, 1),
                         period_end=date(LAST, 12, 31), questionnaire_id=w.questionnaire,
                         deadline=deadline, state=state, opened_at=now)  # fmt: skip

        first, second, shut = (
            cycle("360 A", "open", later),
            cycle("360 B", "open", soon),
            cycle("360 C", "closed", soon),
        )
        session.add_all([first, second, shut])
        await session.flush()
        for c, rater, subject, status in (
            (first, "star", "solid", "pending"),
            (first, "star", "weak", "draft"),
            (second, "star", "boss", "pending"),
            (first, "star", "idle", "submitted"),  # done
            (shut, "star", "solid", "pending"),  # the cycle is closed
            (first, "boss", "star", "pending"),  # star is rated, not rating
            (second, "solid", "star", "pending"),
        ):
            session.add(Request(cycle_id=c.id, subject_employee_id=e[subject],
                                rater_employee_id=e[rater], relationship="peer", origin="hr",
                                reason_code="peer", reason="Rekan", status=status))  # fmt: skip
    return Seeded(w, soon, later, matches)


@pytest.fixture
async def seeded(app: FastAPI) -> Seeded:
    return await _seed(app)


@contextmanager
def counting(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_the_summary_holds_every_part(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, seeded: Seeded
) -> None:
    w = seeded.world
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    got = await client.get(summary_url(w.nips["star"]), headers=hr)
    assert got.status_code == 200, got.text
    body = got.json()
    # profiles' part, as before
    assert body["profile"]["nip"] == w.nips["star"]
    assert body["position"]["id"] == str(w.positions["staf"])
    assert {g["code"] for g in body["competency_gaps"]} == {"M.1"}
    assert body["training"]["entitlement_jp"] == 20 and "histories" in body
    # last year's 9-box, as /nine-box gives it
    assert body["nine_box"] == {
        "year": LAST, "box": 9,
        "action": {"en": rules.BOX_ACTIONS[9][0], "id": rules.BOX_ACTIONS[9][1]},
        "insufficient_data": None, "reason_en": None, "reason_id": None,
    }  # fmt: skip
    index = (
        await client.get(f"/api/v1/employees/{w.nips['star']}/professionalism-index", headers=hr)
    ).json()
    assert body["professionalism_index"] == {
        "year": LAST, "total": index["total"], "category": index["category"],
        "category_label": index["category_label"],
        "qualification": 15, "competency": index["competency"]["points"],
        "performance": index["performance"]["points"],
        "discipline": index["discipline"]["points"],
    }  # fmt: skip
    # mentoring: live matches of published runs only
    m = body["mentoring"]
    assert (m["as_mentor_active"], m["as_mentor_proposed"]) == (0, 1)
    assert (m["as_mentee_active"], m["as_mentee_proposed"]) == (1, 0)
    assert m["matches"] == [
        {"match_id": str(seeded.matches["boss_star"]), "state": "active", "side": "mentee",
         "partner_nip": w.nips["boss"], "partner_name": "Pegawai boss", "partner_role": "mentor"},
        {"match_id": str(seeded.matches["star_solid"]), "state": "proposed", "side": "mentor",
         "partner_nip": w.nips["solid"], "partner_name": "Pegawai solid",
         "partner_role": "mentee"},
    ]  # fmt: skip
    # feedback: star's own open requests as rater in open cycles, never whom
    f = body["feedback_tasks"]
    assert f["open_requests"] == 3
    assert datetime.fromisoformat(f["next_deadline"]) == seeded.soon
    assert [(c["cycle_name"], c["open_requests"]) for c in f["cycles"]] == [
        ("360 B", 1), ("360 A", 2),
    ]  # fmt: skip
    told = str(f)
    for key in ("solid", "weak", "boss", "idle"):
        assert w.nips[key] not in told and f"Pegawai {key}" not in told

    # no box: the reason instead
    idle = (await client.get(summary_url(w.nips["idle"]), headers=hr)).json()
    assert idle["nine_box"]["box"] is None and idle["nine_box"]["action"] is None
    assert idle["nine_box"]["insufficient_data"] == "no_position"
    assert idle["mentoring"]["matches"] == [] and idle["feedback_tasks"]["open_requests"] == 0
    assert idle["feedback_tasks"]["next_deadline"] is None


async def test_who_sees_the_summary_and_its_parts(
    client: AsyncClient, auth: TokenFactory, seeded: Seeded
) -> None:
    w = seeded.world
    star = w.nips["star"]
    # the employee themself: everything
    me = auth(Role.EMPLOYEE, AGENCY_A, sub=star)
    mine = await client.get(summary_url(star), headers=me)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["nine_box"]["box"] == 9 and body["professionalism_index"] is not None
    assert body["mentoring"]["as_mentee_active"] == 1
    assert body["feedback_tasks"]["open_requests"] == 3
    # ... and no one else's summary
    assert (await client.get(summary_url(w.nips["solid"]), headers=me)).status_code == 404
    # a supervisor up the line sees the profile part only
    boss = auth(Role.SUPERVISOR, AGENCY_A, sub=w.nips["boss"])
    staff = await client.get(summary_url(star), headers=boss)
    assert staff.status_code == 200, staff.text
    part = staff.json()
    assert part["profile"]["nip"] == star
    assert [part[k] for k in ("nine_box", "professionalism_index", "mentoring",
                              "feedback_tasks")] == [None] * 4  # fmt: skip
    own = (await client.get(summary_url(w.nips["boss"]), headers=boss)).json()
    assert own["nine_box"]["box"] is not None
    assert own["feedback_tasks"]["open_requests"] == 1  # boss rates star in 360 A
    # another agency's HR: 404, as for any employee they may not see
    other = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(summary_url(star), headers=other)).status_code == 404
    assert (await client.get(summary_url(star))).status_code == 401


async def test_own_nine_box_and_index(
    client: AsyncClient, auth: TokenFactory, seeded: Seeded
) -> None:
    w = seeded.world
    star, boss = w.nips["star"], w.nips["boss"]
    me = auth(Role.EMPLOYEE, AGENCY_A, sub=star)
    supervisor = auth(Role.SUPERVISOR, AGENCY_A, sub=boss)
    for tail in ("nine-box", "professionalism-index"):
        own = await client.get(f"/api/v1/employees/{star}/{tail}", headers=me)
        assert own.status_code == 200, own.text
        assert own.json()["nip"] == star
        # not another employee's, not even one's staff's for a supervisor
        assert (
            await client.get(f"/api/v1/employees/{w.nips['solid']}/{tail}", headers=me)
        ).status_code == 404
        assert (
            await client.get(f"/api/v1/employees/{star}/{tail}", headers=supervisor)
        ).status_code == 404
        assert (
            await client.get(f"/api/v1/employees/{boss}/{tail}", headers=supervisor)
        ).status_code == 200
    assert (await client.get(f"/api/v1/employees/{star}/nine-box", headers=me)).json()["box"] == 9
    # the agency views stay HR's
    assert (await client.get("/api/v1/talent/nine-box", headers=me)).status_code == 403


async def test_a_fixed_number_of_statements(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, seeded: Seeded
) -> None:
    """More open tasks and matches, the same statements (no query per row)."""
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    w = seeded.world
    url = summary_url(w.nips["star"])
    with counting(app) as before:
        assert (await client.get(url, headers=hr)).status_code == 200
    async with unit_of_work(app.state.sessionmaker) as session:
        second = await session.scalar(select(Cycle.id).where(Cycle.name == "360 B"))
        for subject in ("solid", "weak", "idle"):
            session.add(Request(cycle_id=second, subject_employee_id=w.employees[subject],
                                rater_employee_id=w.employees["star"], relationship="peer",
                                origin="hr", reason_code="peer", reason="Rekan",
                                status="draft"))  # fmt: skip
        run = await session.scalar(select(Matching.id).where(Matching.status == "published"))
        mentor = await session.scalar(
            select(Mentor.id).where(Mentor.employee_id == w.employees["star"])
        )
        weak = await session.scalar(
            select(Mentee.id).where(Mentee.employee_id == w.employees["weak"])
        )
        program = await session.scalar(select(Program.id))
        session.add(Match(program_id=program, matching_id=run, agency_code=AGENCY_A,
                          mentor_id=mentor, mentee_id=weak, score=0.4, parts={},
                          state="active"))  # fmt: skip
    with counting(app) as after:
        got = await client.get(url, headers=hr)
    assert got.json()["feedback_tasks"]["open_requests"] == 6
    assert got.json()["mentoring"]["as_mentor_active"] == 1
    assert len(after) == len(before), (len(before), len(after))
