"""Surveys through the API on one seeded world: the workflow, one response per employee
(409), anonymity of the stored rows, results only after closing, breakdowns only for large
enough groups, audit and events, scope and roles."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.mentoring.factory import audit_count, events
from tests.talent.evaluation.world import API, YEAR, EvaluationWorld, answers


async def test_survey_workflow_anonymity_and_results(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await EvaluationWorld(app).setup()
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    body = {"agency_code": AGENCY_A, "title": "Survei Karier", "year": YEAR}
    created = await client.post(f"{API}/surveys", json=body, headers=hr)
    assert created.status_code == 201
    survey = created.json()
    sid = survey["id"]
    assert survey["state"] == "draft" and survey["question_set_version"] == 1
    assert [q["kind"] for q in survey["questions"]].count("likert") == 7

    first = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nips[0])
    url = f"{API}/surveys/{sid}/responses"
    # not open yet
    refused = await client.post(url, json={"scores": answers(0)}, headers=first)
    assert refused.status_code == 409
    assert (await client.post(f"{API}/surveys/{sid}/open", headers=hr)).status_code == 200
    assert (await client.post(f"{API}/surveys/{sid}/open", headers=hr)).status_code == 409
    # an incomplete or out-of-scale answer is a 422
    partial = dict(answers(0))
    partial.pop("mentoring")
    assert (await client.post(url, json={"scores": partial}, headers=first)).status_code == 422
    wrong = answers(0) | {"mentoring": 6}
    assert (await client.post(url, json={"scores": wrong}, headers=first)).status_code == 422
    # results only after closing
    assert (await client.get(f"{API}/surveys/{sid}/results", headers=hr)).status_code == 409
    for n, nip in enumerate(world.nips[:22]):
        me = auth(Role.EMPLOYEE, AGENCY_A, sub=nip)
        comment = f"Saran nomor {n}" if n % 3 == 0 else None
        sent = await client.post(url, json={"scores": answers(n), "comment": comment}, headers=me)
        assert sent.status_code == 201, sent.text
        assert set(sent.json()) == {"survey_id", "recorded"}
    again = await client.post(url, json={"scores": answers(1)}, headers=first)
    assert again.status_code == 409 and again.json()["type"].endswith("survey-already-answered")
    # an employee of another agency, or HR without a NIP, cannot answer
    other = auth(Role.EMPLOYEE, AGENCY_B, sub=world.b_nips[0])
    assert (await client.post(url, json={"scores": answers(0)}, headers=other)).status_code == 404
    assert (await client.post(url, json={"scores": answers(0)}, headers=hr)).status_code == 403
    shown = (await client.get(f"{API}/surveys/{sid}", headers=first)).json()
    assert shown["respondents"] == 22

    # who answered and what was answered share nothing but the survey
    async with unit_of_work(app.state.sessionmaker) as session:
        columns = set(
            (
                await session.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = 'survey_responses'"
                    )
                )
            ).scalars()
        )
        assert columns == {"id", "survey_id", "unit_id", "gender", "rank_group", "scores",
                           "comment"}  # fmt: skip
        hashes = await session.execute(text("SELECT respondent_hash FROM survey_respondents"))
        stored = [h for (h,) in hashes]
        assert len(stored) == 22 and all(len(h) == 32 for h in stored)
        ids = {str(e) for (e,) in await session.execute(text("SELECT id FROM employees"))}
        nips = set(world.nips)
        dump = " ".join(str(row) for row in await session.execute(
            text("SELECT * FROM survey_responses")))  # fmt: skip
        assert not any(i in dump for i in ids) and not any(n in dump for n in nips)
        before_close = {
            str(i) for (i,) in await session.execute(text("SELECT id FROM survey_responses"))
        }

    closed = await client.post(f"{API}/surveys/{sid}/close", headers=hr)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert (await client.post(url, json={"scores": answers(0)}, headers=first)).status_code == 409
    async with unit_of_work(app.state.sessionmaker) as session:
        after_close = {
            str(i) for (i,) in await session.execute(text("SELECT id FROM survey_responses"))
        }
        xmins = await session.execute(
            text("SELECT count(DISTINCT xmin::text) FROM survey_responses")
        )
        assert xmins.scalar() == 1  # rewritten together at closing: no trace of each answer
    assert len(after_close) == 22 and not after_close & before_close

    results = await client.get(f"{API}/surveys/{sid}/results", headers=first)
    assert results.status_code == 200
    r = results.json()
    assert r["respondents"] == 22 and r["published"]
    overall = r["overall"]
    expected = [answers(n) for n in range(22)]
    for q in overall["questions"]:
        values = [e[q["code"]] for e in expected]
        assert q["mean"] == pytest.approx(sum(values) / 22, abs=1e-3)
        assert sum(q["distribution"]) == 22
    for b in r["breakdowns"]:
        for g in b["groups"]:
            assert g["respondents"] >= r["min_group_size"]
    # 8 comments (n = 0, 3, …, 21): enough to show, sorted, never per group
    assert r["comments"] == sorted(f"Saran nomor {n}" for n in range(0, 22, 3))
    # unit breakdown: u1 has 14 respondents, u2 8: both shown
    units = next(b for b in r["breakdowns"] if b["name"] == "unit")
    assert sorted(g["respondents"] for g in units["groups"]) == [8, 14]
    assert {g["name"] for g in units["groups"]} == {"Bappeda", "BKPSDM"}

    # frozen: moving a respondent to another unit (or anything else later) changes nothing,
    # so results before and after cannot be differenced
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            text("UPDATE employees SET unit_id = :u, gender = 'M' WHERE nip = :nip"),
            {"u": world.units["u2"], "nip": world.nips[1]},
        )
    again_results = await client.get(f"{API}/surveys/{sid}/results", headers=first)
    assert again_results.json() == r

    assert await audit_count(app, "survey.") == 3
    kinds = [t for t, _ in await events(app, "survey.")]
    assert kinds == ["survey.created", "survey.opened", "survey.closed"]

    # scope: another agency sees nothing; list filters
    b_hr = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(f"{API}/surveys/{sid}", headers=b_hr)).status_code == 404
    assert (await client.get(f"{API}/surveys/{sid}/results", headers=b_hr)).status_code == 404
    assert (await client.get(f"{API}/surveys", headers=b_hr)).json()["items"] == []
    listed = (await client.get(f"{API}/surveys?year={YEAR}", headers=hr)).json()["items"]
    assert [s["id"] for s in listed] == [sid]
    assert (await client.get(f"{API}/surveys")).status_code == 401
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=world.nips[0])
    assert (await client.post(f"{API}/surveys", json=body, headers=employee)).status_code == 403


async def test_a_survey_of_an_agency_out_of_scope_or_unknown_is_404(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """The agency is resolved as everywhere else (``AgencyService.resolve``): another
    agency's and an unregistered one are the same 404 problem, and nothing is created."""
    await EvaluationWorld(app).setup()
    body = {"title": "Survei Karier", "year": YEAR}
    for code, headers in (
        (AGENCY_A, auth(Role.HR_OFFICER, AGENCY_B)),
        ("99.99", auth(Role.HR_OFFICER, "99.99")),
        ("99.99", auth(Role.ADMIN)),
    ):
        got = await client.post(f"{API}/surveys", json={**body, "agency_code": code},
                                headers=headers)  # fmt: skip
        assert got.status_code == 404, (code, got.text)
        assert got.headers["content-type"].startswith("application/problem+json")
        assert got.json()["type"].endswith("/problems/not-found")
    assert await audit_count(app, "survey.") == 0


async def test_a_survey_with_too_few_respondents_shows_nothing(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await EvaluationWorld(app).setup()
    await world.survey(client, auth, respondents=4)
    r = (await client.get(f"{API}/surveys/{world.survey_id}/results",
                          headers=auth(Role.HR_OFFICER, AGENCY_A))).json()  # fmt: skip
    assert r["respondents"] == 4 and not r["published"]
    assert r["overall"] is None and r["comments"] == []
    assert all(b["dropped"] and not b["groups"] for b in r["breakdowns"])
