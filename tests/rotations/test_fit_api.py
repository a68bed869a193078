"""``GET /positions/{position_id}/candidates`` and ``GET /rotations/placement-fit``."""

from datetime import timedelta

import numpy as np
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.histories.repository import HistoryRepository
from asn_career.profiles.models import CompetencyAssessment, Education
from asn_career.rotations import rules as rotation_rules
from asn_career.rotations import scoring
from asn_career.rotations.fit.service import FitService
from asn_career.rotations.rules import add_months
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.rotations.world import TODAY, World, rotation_world


async def people(w: World) -> None:
    await w.person(
        "lawyer",
        "staf_layanan",
        months=30,
        education="Ilmu Hukum",
        levels={"M.1": 3, "M.3": 2, "M.5": 3},
        skp=("above", "above"),
        rank="III/a",
    )
    await w.person(
        "admin",
        "staf_kec",
        months=30,
        education="Administrasi",
        levels={"M.1": 1},
        rank="III/b",
        skp=("below", "below"),
    )
    await w.person("senior", "kasi_layanan", months=30, rank="IV/c", education="Ilmu Hukum")
    await w.person("new", "head", months=3, education="Ilmu Hukum", rank="III/a")
    await w.person(
        "holder",
        "analis_hukum",
        months=30,
        education="ilmu hukum ",
        levels={"M.1": 2},
        rank="III/c",
        interests=[{"target_position_id": "staf_hukum"}],
    )
    await w.person("b", "b")


async def test_candidates_ranked_with_their_parts(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await rotation_world(app)
    await people(w)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    url = f"/api/v1/positions/{w.positions['staf_hukum']}/candidates"
    response = await client.get(url, headers=hr)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["nip"] for i in items] == [w.nips["lawyer"], w.nips["holder"], w.nips["admin"]]
    lawyer = items[0]
    parts = {p["name"]: p for p in lawyer["parts"]}
    assert parts["competency"]["score"] == 1.0 and parts["education"]["score"] == 1.0
    assert parts["experience"]["score"] == 1.0 and parts["performance"]["score"] == 1.0
    assert parts["interest"]["score"] == 0.0
    assert abs(sum(p["contribution"] for p in lawyer["parts"]) - lawyer["fit"]) < 0.05
    holder = {p["name"]: p["score"] for p in items[1]["parts"]}
    # the same field written otherwise, a unit kind already worked in, a stated interest
    assert holder["education"] == 1.0 and holder["experience"] == 0.0
    assert holder["interest"] == 1.0
    everyone = await client.get(url, params={"eligible_only": "false"}, headers=hr)
    by_nip = {i["nip"]: i for i in everyone.json()["items"]}
    assert not by_nip[w.nips["senior"]]["eligible"]
    assert not by_nip[w.nips["senior"]]["rank_in_range"]
    assert by_nip[w.nips["new"]]["reasons"] == ["too_soon"]
    assert w.nips["b"] not in by_nip
    first = await client.get(url, params={"limit": 2}, headers=hr)
    rest = await client.get(url, params={"cursor": first.json()["next_cursor"]}, headers=hr)
    assert [i["nip"] for i in first.json()["items"] + rest.json()["items"]] == [
        i["nip"] for i in items
    ]
    # the agency's weights change the order
    await client.put(
        f"/api/v1/rotations/policy?agency={AGENCY_A}",
        headers=hr,
        json={
            "weights": {
                k: 0 for k in ("competency", "education", "rank", "experience", "performance")
            }
            | {"interest": 1}
        },
    )
    tuned = await client.get(url, headers=hr)
    assert tuned.json()["items"][0]["nip"] == w.nips["holder"]
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=auth(Role.EMPLOYEE, AGENCY_A))).status_code == 403
    assert (await client.get(url, headers=auth(Role.HR_OFFICER, AGENCY_B))).status_code == 404


async def test_placement_fit_names_the_poor_fits_and_better_positions(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    w = await rotation_world(app)
    await people(w)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    url = "/api/v1/rotations/placement-fit"
    response = await client.get(url, headers=hr)
    assert response.status_code == 200, response.text
    found = {i["nip"]: i for i in response.json()["items"]}
    lawyer = found[w.nips["lawyer"]]
    assert lawyer["poor"] == ["education"]
    assert [b["position_id"] for b in lawyer["better"]] == [str(w.positions["staf_hukum"])]
    assert lawyer["better"][0]["fit"] > lawyer["fit"]
    assert found[w.nips["admin"]]["poor"] == ["competency"]
    assert w.nips["holder"] not in found or "education" not in found[w.nips["holder"]]["poor"]
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=auth(Role.SUPERVISOR, AGENCY_A))).status_code == 403
    other = await client.get(
        url, params={"agency": AGENCY_A}, headers=auth(Role.HR_OFFICER, AGENCY_B)
    )
    assert other.status_code == 404


async def test_own_placements_equal_the_per_pair_scoring(app: FastAPI) -> None:
    """The set-based entry point (one statement, the holders against their own positions)
    gives, person by person, what the full loading and ``pair_parts`` give."""
    w = await rotation_world(app)
    await people(w)
    principal = Principal(subject="t", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    today = today_in_indonesia()
    async with unit_of_work(app.state.sessionmaker) as session:
        fit = FitService(session, principal)
        policy = await fit.policies.effective(AGENCY_A)
        loaded = await fit.load(AGENCY_A, policy, today)
        held = [(t, loaded.position_index[p["position_id"]]) for t, p in enumerate(loaded.people)
                if p["position_id"] in loaded.position_index]  # fmt: skip
        i = np.array([h[0] for h in held], dtype=np.int64)
        j = np.array([h[1] for h in held], dtype=np.int64)
        parts = scoring.pair_parts(loaded.inputs, i, j)
        has = scoring.has_preference(loaded.inputs)[j]
        expected = {
            loaded.people[t]["employee_id"]: (
                bool(has[s] and parts["education"][s] < rotation_rules.POOR_FIT),
                bool(parts["competency"][s] < rotation_rules.POOR_FIT),
                float(parts["competency"][s]),
                float(parts["education"][s]),
            )
            for s, t in enumerate(i)
        }
        own = await fit.own_placements(AGENCY_A, today)
        n = len(own.employee_ids)
        pairs = np.arange(n, dtype=np.int64)
        own_parts = scoring.pair_parts(own.inputs, pairs, pairs)
        found = {
            e: (
                bool(own.poor_education[t]),
                bool(own.poor_competency[t]),
                float(own_parts["competency"][t]),
                float(own_parts["education"][t]),
            )
            for t, e in enumerate(own.employee_ids)
        }
    assert len(expected) >= 5
    assert found == expected
    assert any(v[0] for v in found.values()) and any(v[1] for v in found.values())


async def test_own_placements_as_of_a_past_day(app: FastAPI) -> None:
    """A year ago: the position held then, the levels assessed by then and the education
    finished by then. ``grad`` graduated this year; ``learner`` was assessed on M.1 at 1
    and not on M.5 then; ``mover`` held a position preferring another field."""
    w = await rotation_world(app)
    then = add_months(TODAY, -12)
    await w.person("grad", "staf_layanan", months=30, education="Administrasi")
    await w.person("learner", "staf_kec", months=30, education="Administrasi")
    await w.person("mover", "analis_hukum", months=3, history=["staf_layanan"],
                   education="Ilmu Hukum")  # fmt: skip
    await w.person("b", "b")
    assessments = [
        ("grad", "M.5", 3, then - timedelta(days=30), "assessment_center"),
        ("learner", "M.1", 1, then - timedelta(days=60), "supervisor"),
        ("learner", "M.1", 2, TODAY - timedelta(days=10), "assessment_center"),
        ("learner", "M.5", 2, TODAY - timedelta(days=10), "assessment_center"),
    ] + [
        ("mover", code, level, then - timedelta(days=30), "assessment_center")
        for code, level in (("M.1", 3), ("M.3", 2), ("M.5", 3))
    ]
    async with unit_of_work(app.state.sessionmaker) as session:
        for key, code, level, on, source in assessments:
            session.add(CompetencyAssessment(
                employee_id=w.employees[key], competency_id=w.competencies[code], level=level,
                assessed_on=on, source=source,
            ))  # fmt: skip
        await session.flush()
        await HistoryRepository(session).refresh_current_levels(
            {(w.employees[k], w.competencies[c]) for k, c, *_ in assessments}
        )
        await session.execute(
            update(Education)
            .where(Education.employee_id == w.employees["grad"])
            .values(graduation_year=TODAY.year)
        )
    principal = Principal(subject="t", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    names = {v: k for k, v in w.employees.items()}
    found = {}
    async with unit_of_work(app.state.sessionmaker) as session:
        for day in (TODAY, then):
            own = await FitService(session, principal).own_placements(AGENCY_A, day)
            found[day] = {
                names[e]: (bool(own.poor_education[t]), bool(own.poor_competency[t]))
                for t, e in enumerate(own.employee_ids)
            }
    fine = (False, False)
    assert found[TODAY] == {"grad": fine, "learner": fine, "mover": fine}
    assert found[then] == {
        "grad": (True, False), "learner": (False, True), "mover": (True, False),
    }  # fmt: skip
