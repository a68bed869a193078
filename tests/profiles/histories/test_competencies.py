"""Competency assessments: a time series whose current level follows source precedence
(assessment_center > feedback_360 > supervisor > self), kept in employee_competency_levels."""

from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.org.models import Competency
from asn_career.profiles.models import CurrentCompetency, Employee
from tests.profiles.histories.conftest import Headers, World, post_ok, url


def _assessment(code: str, level: int, source: str, on: str, **extra: Any) -> dict[str, Any]:
    return {"competency": code, "level": level, "source": source, "assessed_on": on, **extra}


async def _stored_levels(app: FastAPI, nip: str) -> dict[str, tuple[int, str, str]]:
    async with unit_of_work(app.state.sessionmaker) as session:
        rows = await session.execute(
            select(Competency.code, CurrentCompetency.level, CurrentCompetency.source,
                   CurrentCompetency.assessed_on)
            .join(Competency, Competency.id == CurrentCompetency.competency_id)
            .join(Employee, Employee.id == CurrentCompetency.employee_id)
            .where(Employee.nip == nip)
        )  # fmt: skip
        return {r[0]: (r[1], r[2], r[3].isoformat()) for r in rows}


async def _current(client: AsyncClient, nip: str, headers: Headers) -> dict[str, Any]:
    response = await client.get(url(nip, "competencies/current"), headers=headers)
    assert response.status_code == 200, response.text
    return {item["competency"]: item for item in response.json()["items"]}


async def test_current_level_follows_source_precedence(
    app: FastAPI, client: AsyncClient, world: World, hr_a: Headers, admin: Headers
) -> None:
    nip = world.staff
    self_newest = await post_ok(
        client, nip, "competencies", _assessment("M.1", 5, "self", "2025-03-01"), hr_a
    )
    assert (await _current(client, nip, hr_a))["M.1"]["source"] == "self"
    await post_ok(
        client, nip, "competencies", _assessment("M.1", 2, "supervisor", "2023-01-01"), hr_a
    )
    await post_ok(
        client, nip, "competencies", _assessment("M.1", 3, "supervisor", "2024-01-01"), hr_a
    )
    current = (await _current(client, nip, hr_a))["M.1"]
    assert (current["level"], current["source"], current["assessed_on"]) == (
        3, "supervisor", "2024-01-01",
    )  # fmt: skip
    feedback = await post_ok(
        client, nip, "competencies", _assessment("M.1", 4, "feedback_360", "2022-01-01"), hr_a
    )
    assert (await _current(client, nip, hr_a))["M.1"]["source"] == "feedback_360"
    centre = await post_ok(
        client, nip, "competencies",
        _assessment("M.1", 2, "assessment_center", "2020-06-01", notes="Assessment centre BKN"),
        hr_a,
    )  # fmt: skip
    current = (await _current(client, nip, hr_a))["M.1"]
    assert (current["level"], current["source"]) == (2, "assessment_center")
    assert current["name_id"] == "Integritas"
    assert await _stored_levels(app, nip) == {"M.1": (2, "assessment_center", "2020-06-01")}

    # removing the best source falls back to the next one
    item = url(nip, f"competencies/{centre['id']}")
    assert (await client.delete(item, headers=hr_a)).status_code == 204
    assert await _stored_levels(app, nip) == {"M.1": (4, "feedback_360", "2022-01-01")}

    # moving an assessment to another competency recomputes both
    moved = await client.patch(
        url(nip, f"competencies/{feedback['id']}"), json={"competency": "M.3"}, headers=hr_a
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["competency"] == "M.3"
    assert await _stored_levels(app, nip) == {
        "M.1": (3, "supervisor", "2024-01-01"),
        "M.3": (4, "feedback_360", "2022-01-01"),
    }
    # the last assessment of a competency gone → no current level
    await client.delete(url(nip, f"competencies/{feedback['id']}"), headers=hr_a)
    assert "M.3" not in await _stored_levels(app, nip)

    # within a source, the latest assessment wins, also after an update of the date
    await client.patch(
        url(nip, f"competencies/{self_newest['id']}"), json={"source": "supervisor"}, headers=hr_a
    )
    assert (await _stored_levels(app, nip))["M.1"] == (5, "supervisor", "2025-03-01")

    listed = await client.get(url(nip, "competencies"), headers=hr_a)
    dates = [a["assessed_on"] for a in listed.json()["items"]]
    assert dates == sorted(dates, reverse=True)

    audit = await client.get(
        "/api/v1/audit", params={"entity_type": "competency_assessment"}, headers=admin
    )
    actions = {e["action"] for e in audit.json()["items"]}
    assert actions == {
        "competency_assessment.created",
        "competency_assessment.updated",
        "competency_assessment.deleted",
    }


async def test_competency_codes_and_values(
    client: AsyncClient, world: World, hr_a: Headers
) -> None:
    ok = await post_ok(
        client, world.staff, "competencies", _assessment("T.1", 3, "supervisor", "2024-01-01"),
        hr_a,
    )  # fmt: skip
    assert ok["competency"] == "T.1"
    await post_ok(
        client, world.staff, "competencies", _assessment("SK.1", 2, "self", "2024-01-01"), hr_a
    )
    tomorrow = (date.today() + timedelta(days=3)).isoformat()
    bad: list[tuple[dict[str, Any], str]] = [
        (_assessment("T.2", 3, "supervisor", "2024-01-01"), "competency"),  # agency B's
        (_assessment("M.9", 3, "supervisor", "2024-01-01"), "competency"),
        (_assessment("integrity", 3, "supervisor", "2024-01-01"), "competency"),
        (_assessment("M.1", 6, "supervisor", "2024-01-01"), "level"),
        (_assessment("M.1", 0, "supervisor", "2024-01-01"), "level"),
        (_assessment("M.1", 3, "peer", "2024-01-01"), "source"),
        (_assessment("M.1", 3, "supervisor", tomorrow), "assessed_on"),
    ]
    for body, field in bad:
        response = await client.post(url(world.staff, "competencies"), json=body, headers=hr_a)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["loc"][:2] == ["body", field], response.text


async def test_employee_self_assessment_only(
    client: AsyncClient, world: World, hr_a: Headers, as_staff: Headers
) -> None:
    path = url(world.staff, "competencies")
    own = await post_ok(
        client, world.staff, "competencies", _assessment("M.2", 4, "self", "2024-05-01"), as_staff
    )
    for source in ("supervisor", "feedback_360", "assessment_center"):
        response = await client.post(
            path, json=_assessment("M.2", 4, source, "2024-05-01"), headers=as_staff
        )
        assert response.status_code == 403, source
    # someone else's profile is invisible
    response = await client.post(
        url(world.other, "competencies"), json=_assessment("M.2", 4, "self", "2024-05-01"),
        headers=as_staff,
    )  # fmt: skip
    assert response.status_code == 404
    # own self-assessment: change and remove; never turn it into another source
    item = url(world.staff, f"competencies/{own['id']}")
    assert (await client.patch(item, json={"level": 3}, headers=as_staff)).status_code == 200
    assert (
        await client.patch(item, json={"source": "assessment_center"}, headers=as_staff)
    ).status_code == 403
    # HR's assessment of the same person stays out of reach
    hr_made = await post_ok(
        client, world.staff, "competencies",
        _assessment("M.2", 2, "assessment_center", "2024-01-01"), hr_a,
    )  # fmt: skip
    hr_item = url(world.staff, f"competencies/{hr_made['id']}")
    assert (await client.patch(hr_item, json={"level": 5}, headers=as_staff)).status_code == 403
    assert (await client.delete(hr_item, headers=as_staff)).status_code == 403
    assert (await client.delete(item, headers=as_staff)).status_code == 204
    # reading own histories and current levels is fine
    assert (await client.get(path, headers=as_staff)).status_code == 200
    assert (await _current(client, world.staff, as_staff))["M.2"]["source"] == "assessment_center"


async def test_supervisor_assesses_their_line_with_source_supervisor(
    client: AsyncClient, world: World, as_chief: Headers, hr_a: Headers
) -> None:
    staff = url(world.staff, "competencies")
    made = await post_ok(
        client, world.staff, "competencies", _assessment("M.4", 3, "supervisor", "2024-02-01"),
        as_chief,
    )  # fmt: skip
    for source in ("self", "feedback_360", "assessment_center"):
        response = await client.post(
            staff, json=_assessment("M.4", 3, source, "2024-02-01"), headers=as_chief
        )
        assert response.status_code == 403, source
    item = url(world.staff, f"competencies/{made['id']}")
    assert (await client.patch(item, json={"level": 4}, headers=as_chief)).status_code == 200
    assert (await client.patch(item, json={"source": "self"}, headers=as_chief)).status_code == 403
    # outside the reporting line: not visible
    response = await client.post(
        url(world.other, "competencies"), json=_assessment("M.4", 3, "supervisor", "2024-02-01"),
        headers=as_chief,
    )  # fmt: skip
    assert response.status_code == 404
    # on their own profile a supervisor is an employee: self-assessments only
    own = url(world.chief, "competencies")
    response = await client.post(
        own, json=_assessment("M.4", 3, "supervisor", "2024-02-01"), headers=as_chief
    )
    assert response.status_code == 403
    await post_ok(
        client, world.chief, "competencies", _assessment("M.4", 3, "self", "2024-02-01"), as_chief
    )
    assert (await client.delete(item, headers=as_chief)).status_code == 204


async def test_401_and_other_agency(
    client: AsyncClient, world: World, hr_a: Headers, hr_b: Headers
) -> None:
    made = await post_ok(
        client, world.staff, "competencies", _assessment("M.1", 3, "supervisor", "2024-02-01"),
        hr_a,
    )  # fmt: skip
    assert (await client.get(url(world.staff, "competencies"))).status_code == 401
    assert (await client.get(url(world.staff, "competencies/current"))).status_code == 401
    for path in ("competencies", "competencies/current", f"competencies/{made['id']}"):
        assert (await client.get(url(world.staff, path), headers=hr_b)).status_code == 404
    item = url(world.staff, f"competencies/{made['id']}")
    assert (await client.patch(item, json={"level": 1}, headers=hr_b)).status_code == 404
    assert (await client.delete(item, headers=hr_b)).status_code == 404
