"""The programme summary: coverage, load, sessions, satisfaction and growth against
comparable staff, each checked against the data built here; the summary and the matches
as CSV and XLSX; 401/403/404."""

import io
from datetime import date

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.profiles.models import CompetencyAssessment
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.mentoring.factory import mentoring_world
from tests.mentoring.helpers import API


async def test_summary_and_files(app: FastAPI, client: AsyncClient, auth: TokenFactory) -> None:
    world = await mentoring_world(app)
    nip = world.nips
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    body = {
        "agency_code": AGENCY_A,
        "name": "Mentoring 2026",
        "starts_on": "2026-01-01",
        "ends_on": "2026-10-31",
    }
    created = await client.post(f"{API}/programs", json=body, headers=hr)
    url = f"{API}/programs/{created.json()['id']}"
    for key in ("senior", "kabid2"):
        await client.post(f"{url}/mentors", json={"nip": nip[key], "capacity": 2}, headers=hr)
    for key in ("junior1", "junior3"):
        added = await client.post(
            f"{url}/mentees", json={"nip": nip[key], "focus": ["M.1", "M.2"]}, headers=hr
        )
        assert added.status_code == 201
    run = (await client.post(f"{url}/matchings", json={}, headers=hr)).json()
    await client.post(f"{API}/matchings/{run['id']}/publish", headers=hr)
    matches = (await client.get(f"{API}/matchings/{run['id']}/matches", headers=hr)).json()
    by_mentee = {m["mentee_nip"]: m for m in matches["items"]}
    assert by_mentee[nip["junior1"]]["mentor_nip"] == nip["senior"]
    m1 = f"{API}/matches/{by_mentee[nip['junior1']]['id']}"
    for side in ("mentor", "mentee"):
        await client.post(f"{m1}/accept", json={"side": side}, headers=hr)
    mentee = auth(Role.EMPLOYEE, AGENCY_A, sub=nip["junior1"])
    mentor = auth(Role.EMPLOYEE, AGENCY_A, sub=nip["senior"])
    today = date.today().isoformat()
    for minutes in (60, 90):
        logged = await client.post(
            f"{m1}/sessions",
            headers=mentee,
            json={"held_on": today, "duration_minutes": minutes, "topic": "RKPD"},
        )
        assert logged.status_code == 201, logged.text
    await client.post(f"{m1}/complete", headers=mentor)
    await client.post(f"{m1}/feedback", json={"rating": 5}, headers=mentee)
    await client.post(f"{m1}/feedback", json={"rating": 4}, headers=mentor)
    # junior1 grew in M.1 during the programme (2 → 3); junior2, a planner outside the
    # programme (the comparison), did not; an assessment after the end does not count.
    async with unit_of_work(app.state.sessionmaker) as session:
        m1_id = world.competencies["M.1"]
        for key, level, on in (
            ("junior1", 2, date(2025, 12, 1)),
            ("junior1", 3, date(2026, 6, 1)),
            ("junior2", 2, date(2025, 12, 1)),
            ("junior2", 4, date(2026, 11, 20)),
        ):
            session.add(
                CompetencyAssessment(
                    employee_id=world.employees[key],
                    competency_id=m1_id,
                    level=level,
                    source="assessment_center",
                    assessed_on=on,
                )
            )

    summary_url = f"{url}/summary"
    assert (await client.get(summary_url)).status_code == 401
    assert (await client.get(summary_url, headers=mentee)).status_code == 403
    assert (
        await client.get(summary_url, headers=auth(Role.HR_OFFICER, AGENCY_B))
    ).status_code == 404
    summary = (await client.get(summary_url, headers=hr)).json()
    assert summary["coverage"]["mentees"] == 2 and summary["coverage"]["matched"] == 1
    assert summary["coverage"]["proposed"] + summary["coverage"]["unmatched"] == 1
    assert summary["mentor_load"]["mentors"] == 2 and summary["mentor_load"]["capacity"] == 4
    assert summary["mentor_load"]["carried"] == 1 and summary["mentor_load"]["max_load"] == 1
    assert summary["sessions"] == {
        "pairs": 1,
        "sessions": 2,
        "mean_per_pair": 2.0,
        "mean_minutes_per_pair": 150.0,
        "pairs_without_session": 0,
    }
    assert {s["side"]: s["mean_rating"] for s in summary["satisfaction"]} == {
        "mentee": 5.0,
        "mentor": 4.0,
    }
    growth = {g["group"]: g for g in summary["growth"]}
    # junior1: M.1 2 → 3, M.2 unassessed (1 → 1): 0.5; comparison (junior2, the only other
    # planner not in the pools): M.1 2 → 2 (the 4 came after the end), M.2 1 → 1: 0.
    assert growth["mentees"]["mean_growth"] == pytest.approx(0.5)
    assert growth["mentees"]["people"] == 1 and growth["mentees"]["pairs"] == 2
    assert growth["comparison"]["people"] == 1 and growth["comparison"]["mean_growth"] == 0
    assert summary["growth_difference"] == pytest.approx(0.5)

    csv = await client.get(summary_url, params={"format": "csv"}, headers=hr)
    assert csv.headers["content-type"].startswith("text/csv")
    assert "growth,difference,mentees - comparison,0.5" in csv.text
    xlsx = await client.get(
        summary_url,
        headers=hr
        | {"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["A1"].value == "section"
    exported = await client.get(f"{url}/matches/file", headers=hr)
    lines = exported.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("mentee_nip,mentee_name,mentor_nip")
    assert any(
        nip["junior1"] in line and ",completed," in line and ",2,5,4," in line for line in lines
    )
    assert "RKPD" not in exported.text
    assert (await client.get(f"{url}/matches/file", headers=mentee)).status_code == 403
