"""Attacks on the anonymity of 360° reports, each tried and each failing.

The scenario (``scenario.py``): staff0's two public raters are suppressed (two, under the
minimum of three); staff2's third peer did not observe ``M1-b``, so that item has two peer
raters. staff3, staff4 and staff5 rate but are never rated: their NIPs must never appear.
"""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import AsyncClient
from sqlalchemy import text

from asn_career.core.auth import Role
from asn_career.core.observability import configure_logging
from asn_career.feedback.reports.schemas import GroupFigure, ReportOut
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.reports.scenario import Scenario, build_scenario
from tests.test_jobs import run_pending

API = "/api/v1/feedback/cycles"
ANONYMOUS_RATERS = ("staff3", "staff4", "staff5")
ROUNDING = 0.005


@pytest.fixture
async def scenario(app: FastAPI) -> Scenario:
    return await build_scenario(app)


def url(scenario: Scenario, key: str) -> str:
    return f"{API}/{scenario.cycle_id}/reports/{scenario.nip(key)}"


async def report(
    client: AsyncClient, scenario: Scenario, key: str, headers: dict[str, str]
) -> ReportOut:
    response = await client.get(url(scenario, key), headers=headers)
    assert response.status_code == 200, response.text
    return ReportOut.model_validate(response.json())


async def publish(
    app: FastAPI, client: AsyncClient, headers: dict[str, str], scenario: Scenario
) -> None:
    submitted = await client.post(f"{API}/{scenario.cycle_id}/publish", headers=headers)
    assert submitted.status_code == 202, submitted.text
    await run_pending(app)


def by_group(figures: list[GroupFigure]) -> dict[str, GroupFigure]:
    return {f.group: f for f in figures}


# --- differencing ---------------------------------------------------------------------------


async def test_overall_minus_the_shown_groups_recovers_nothing(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """The reader multiplies each item figure by its n (one score per rater and item) and
    subtracts the shown groups from overall, hoping for the suppressed public raters' sum
    (they gave 1 and 2 on every item). What is left is rounding."""
    body = await report(client, scenario, "staff0", auth(Role.HR_OFFICER, AGENCY_A))
    for dimension in body.dimensions:
        for item in dimension.items:
            groups = by_group(item.groups)
            overall = groups.pop("overall")
            assert overall.n is not None and overall.mean is not None
            shown = [g for name, g in groups.items() if name != "self" and not g.suppressed]
            residual = overall.mean * overall.n - sum(g.mean * g.n for g in shown if g.mean and g.n)
            assert abs(residual) <= ROUNDING * (overall.n + sum(g.n or 0 for g in shown))
            assert overall.n == sum(g.n or 0 for g in shown)
    # By hand, M1-a: supervisor 3, peers 3, 3, 4, 5 → overall 18/5 = 3.6 (with the public's
    # 1 and 2 it would be 21/7 = 3.0).
    m1a = by_group(body.dimensions[0].items[0].groups)
    assert (m1a["overall"].n, m1a["overall"].mean) == (5, 3.6)
    assert m1a["other"].suppressed and m1a["other"].n is None
    assert body.overall.n == 5  # the report's overall: five raters, the public left out


async def test_an_item_cannot_be_subtracted_from_its_dimension(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """staff2's M.1 has items M1-a (peers 4, 5, 3) and M1-b (peers 3, 5; the third did not
    observe it). Were M1-b's two-rater peer figure shown, or counted in M.1's peer figure,
    the two could be differenced down to one rater. It is suppressed and left out: M.1's
    peer figure is exactly M1-a's, and overall leaves M1-b's peer scores out too."""
    body = await report(client, scenario, "staff2", auth(Role.HR_OFFICER, AGENCY_A))
    m1 = body.dimensions[0]
    m1a, m1b = (by_group(item.groups) for item in m1.items)
    assert m1b["peer"].suppressed and m1b["peer"].n is None and m1b["peer"].mean is None
    assert (m1a["peer"].n, m1a["peer"].mean) == (3, 4.0)
    peer = by_group(m1.groups)["peer"]
    assert (peer.n, peer.mean, peer.sd) == (m1a["peer"].n, m1a["peer"].mean, m1a["peer"].sd)
    overall = by_group(m1.groups)["overall"]
    # supervisor 4 and 3, peers' M1-a 4, 5, 3: 19/5 = 3.8 (with M1-b's 3 and 5: 27/7).
    assert overall.mean == 3.8 and overall.n == 4
    assert (m1b["overall"].n, m1b["overall"].mean) == (1, 3.0)  # the supervisor alone
    # r_wg stands on the shown peer cells only (M1-a alone), never on the two-rater item.
    assert m1.rwg is not None


async def test_every_anonymous_figure_has_the_minimum(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    for key in ("staff0", "staff1", "staff2"):
        body = await report(client, scenario, key, auth(Role.HR_OFFICER, AGENCY_A))
        figures = [f for d in body.dimensions for f in d.groups]
        figures += [f for d in body.dimensions for i in d.items for f in i.groups]
        for figure in figures:
            if figure.group in ("peer", "subordinate", "public", "other"):
                assert figure.suppressed or (figure.n or 0) >= body.min_group_size
        for response in body.responses:
            if response.shown_as != response.group:
                assert response.responded is None  # a merged group's size stays hidden


async def test_suppressed_comments_are_nowhere(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    body = await report(client, scenario, "staff0", auth(Role.HR_OFFICER, AGENCY_A))
    assert "Pelayanan lambat sekali" not in json.dumps(body.model_dump(mode="json"))


# --- frozen after publishing ---------------------------------------------------------------


async def test_a_published_report_does_not_move_when_the_data_does(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    await publish(app, client, hr, scenario)
    before = {key: (await client.get(url(scenario, key), headers=hr)).content
              for key in ("staff0", "staff2")}  # fmt: skip
    summary_before = (await client.get(f"{API}/{scenario.cycle_id}/summary", headers=hr)).json()
    world = scenario.world
    async with app.state.sessionmaker() as session:
        # A score corrected, a late response added, a rater's record deleted (with every
        # answer of theirs), the subject renamed.
        await session.execute(
            text("UPDATE feedback_answers SET score = 1 WHERE request_id = :r"),
            {"r": scenario.requests[("staff0", "staff1")]},
        )
        late = uuid.uuid4()
        await session.execute(
            text(
                "INSERT INTO feedback_requests (id, cycle_id, subject_employee_id, "
                "rater_employee_id, relationship, status, origin, reason_code, reason) "
                "VALUES (:id, :c, :s, :r, 'peer', 'submitted', 'hr', 'late', 'Terlambat')"
            ),
            {"id": late, "c": scenario.cycle_id, "s": world.employees["staff0"],
             "r": world.employees["staff7"]},
        )  # fmt: skip
        await session.execute(
            text(
                "INSERT INTO feedback_answers (request_id, item_id, score) "
                "SELECT :id, id, 1 FROM feedback_items WHERE questionnaire_id = :q"
            ),
            {"id": late, "q": world.questionnaire_id},
        )
        await session.execute(
            text("DELETE FROM employees WHERE id = :id"), {"id": world.employees["staff5"]}
        )
        await session.execute(
            text("UPDATE employees SET name = 'Nama Baru' WHERE id = :id"),
            {"id": world.employees["staff0"]},
        )
        await session.commit()
    for key, body in before.items():
        assert (await client.get(url(scenario, key), headers=hr)).content == body
    summary_after = (await client.get(f"{API}/{scenario.cycle_id}/summary", headers=hr)).json()
    for name in ("leniency", "reliability", "heatmap", "straight_lined"):
        assert summary_after[name] == summary_before[name]


async def test_no_preview_while_open_so_submissions_cannot_be_differenced(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """Were previews allowed while the cycle is open, reading one before and one after a
    single submission would give that rater's scores."""
    scenario = await build_scenario(app, state="open")
    for headers in (auth(Role.HR_OFFICER, AGENCY_A), auth(Role.ADMIN)):
        response = await client.get(url(scenario, "staff0"), headers=headers)
        assert response.status_code == 409
        summary = await client.get(f"{API}/{scenario.cycle_id}/summary", headers=headers)
        assert summary.json()["leniency"] is None and summary.json()["heatmap"] is None


# --- who may see what ------------------------------------------------------------------------


async def test_another_agency_sees_nothing(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    await publish(app, client, auth(Role.HR_OFFICER, AGENCY_A), scenario)
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        headers = auth(role, AGENCY_B, sub=scenario.nip("staff0"))
        assert (await client.get(url(scenario, "staff0"), headers=headers)).status_code == 404
        summary = await client.get(f"{API}/{scenario.cycle_id}/summary", headers=headers)
        assert summary.status_code in (403, 404)
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(f"{API}/{scenario.cycle_id}/summary", headers=hr_b)).status_code == 404
    assert (
        await client.post(f"{API}/{scenario.cycle_id}/publish", headers=hr_b)
    ).status_code == 404


async def test_the_subject_sees_only_their_own_published_report(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    await publish(app, client, auth(Role.HR_OFFICER, AGENCY_A), scenario)
    staff0 = auth(Role.EMPLOYEE, AGENCY_A, sub=scenario.nip("staff0"))
    assert (await client.get(url(scenario, "staff0"), headers=staff0)).status_code == 200
    for other in ("staff1", "staff2"):
        assert (await client.get(url(scenario, other), headers=staff0)).status_code == 404


async def test_a_supervisor_sees_the_reporting_line(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """head's position is the one staff positions report to; staff3 (a supervisor role
    without a reporting line) sees nobody else's."""
    await publish(app, client, auth(Role.HR_OFFICER, AGENCY_A), scenario)
    head = auth(Role.SUPERVISOR, AGENCY_A, sub=scenario.nip("head"))
    for key in ("staff0", "staff1", "staff2"):
        assert (await client.get(url(scenario, key), headers=head)).status_code == 200
    outsider = auth(Role.SUPERVISOR, AGENCY_A, sub=scenario.nip("staff3"))
    assert (await client.get(url(scenario, "staff0"), headers=outsider)).status_code == 404


async def test_hr_sees_every_report_of_the_agency(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    await publish(app, client, auth(Role.HR_OFFICER, AGENCY_A), scenario)
    for headers in (auth(Role.HR_OFFICER, AGENCY_A), auth(Role.ADMIN)):
        for key in ("staff0", "staff1", "staff2"):
            assert (await client.get(url(scenario, key), headers=headers)).status_code == 200


# --- no route returns raw anonymous answers -----------------------------------------------------


def _attributed_answers(value: Any) -> Iterator[dict[str, Any]]:
    """Objects that carry both a rater and a score or answers."""
    if isinstance(value, dict):
        keys = " ".join(value)
        if "rater" in keys and ("score" in keys or "answer" in keys):
            yield value
        for inner in value.values():
            yield from _attributed_answers(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _attributed_answers(inner)


async def test_no_route_returns_raw_anonymous_answers(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """Every GET route of the app, as an admin (who may see most), with this scenario's
    objects in its path: no answer with its rater, and never a suppressed group's comment.
    Routes are read from the app, so routes added later are walked too."""
    admin = auth(Role.ADMIN)
    await publish(app, client, admin, scenario)
    peer_request = scenario.requests[("staff0", "staff3")]
    samples = {
        "cycle_id": str(scenario.cycle_id),
        "nip": scenario.nip("staff0"),
        "request_id": str(peer_request),
        "questionnaire_id": str(scenario.world.questionnaire_id),
        "token": "token-0a",
    }
    async with app.state.sessionmaker() as session:
        job_id = await session.scalar(text("SELECT id FROM jobs LIMIT 1"))
    samples["job_id"] = str(job_id)
    secret = "Pelayanan lambat sekali"  # a suppressed public rater's comment
    walked = 0
    for context in iter_route_contexts(app.routes):
        path = str(context.path_format)
        if "GET" not in (context.methods or ()) or not path.startswith("/api/v1/"):
            continue
        names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        if any(name not in samples for name in names):
            continue  # not a feedback object (employees' histories, imports …)
        response = await client.get(path.format(**samples), headers=admin)
        walked += 1
        assert secret not in response.text, path
        if response.headers.get("content-type", "").startswith("application/json"):
            assert list(_attributed_answers(response.json())) == [], path
    assert walked >= 3


# --- nothing names a rater: not errors, not logs, not events -------------------------------------


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """JSON logs on this test's captured stderr (configured after the capture began)."""
    import logging

    saved = structlog.get_config()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("DEBUG", True)
    structlog.configure(cache_logger_on_first_use=False)
    yield
    structlog.configure(**saved)
    root.handlers, root.level = saved_handlers, saved_level


async def test_no_error_or_log_line_names_a_rater(
    app: FastAPI,
    client: AsyncClient,
    auth: TokenFactory,
    scenario: Scenario,
    capsys: pytest.CaptureFixture[str],
    json_logs: None,
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    texts = []
    staff0 = auth(Role.EMPLOYEE, AGENCY_A, sub=scenario.nip("staff0"))
    for method, path, headers in (
        ("GET", url(scenario, "staff0"), hr),
        ("GET", url(scenario, "staff0"), staff0),  # 409: not published yet
        ("GET", f"{API}/{scenario.cycle_id}/summary", hr),
        ("POST", f"{API}/{scenario.cycle_id}/publish", hr),
        ("POST", f"{API}/{scenario.cycle_id}/publish", hr),  # 409: running
    ):
        texts.append((await client.request(method, path, headers=headers)).text)
    await run_pending(app)
    for method, path, headers in (
        ("GET", url(scenario, "staff0"), staff0),
        ("GET", url(scenario, "staff1"), staff0),  # 404
        ("POST", f"{API}/{scenario.cycle_id}/publish", hr),  # 409: published
        ("GET", f"{API}/{scenario.cycle_id}/summary", hr),
    ):
        texts.append((await client.request(method, path, headers=headers)).text)
    async with app.state.sessionmaker() as session:
        texts.append(
            str((await session.execute(text("SELECT payload::text FROM outbox_events"))).all())
        )
        texts.append(
            str((await session.execute(text("SELECT row_to_json(j)::text FROM jobs j"))).all())
        )
        texts.append(
            str(
                (
                    await session.execute(
                        text(
                            "SELECT changes::text, nip FROM audit_log WHERE action LIKE 'feedback%'"
                        )
                    )
                ).all()
            )
        )
    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    assert captured.err  # the requests were logged
    for key in ANONYMOUS_RATERS:
        nip = scenario.nip(key)
        for found in texts:
            assert nip not in found
