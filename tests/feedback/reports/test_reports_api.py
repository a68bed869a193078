"""The reports' routes: publishing (a job), one subject's report, the cycle summary. Each:
its valid case, 401, 403 for a caller it is not for, 404 for another agency's cycle, 409
for the wrong state."""

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select, text

from asn_career.core.auth import Role
from asn_career.core.outbox import OutboxEvent
from asn_career.feedback.models import Cycle, Report
from asn_career.feedback.reports.schemas import CycleSummaryOut, ReportOut
from asn_career.profiles.models import CompetencyAssessment, CurrentCompetency
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import feedback_world
from tests.feedback.reports.scenario import Scenario, build_scenario
from tests.test_jobs import run_pending

API = "/api/v1/feedback/cycles"


@pytest.fixture
async def scenario(app: FastAPI) -> Scenario:
    return await build_scenario(app)


def report_url(scenario: Scenario, key: str, cycle_id: uuid.UUID | None = None) -> str:
    return f"{API}/{cycle_id or scenario.cycle_id}/reports/{scenario.nip(key)}"


async def publish(
    app: FastAPI, client: AsyncClient, headers: dict[str, str], cycle_id: uuid.UUID
) -> dict[str, Any]:
    submitted = await client.post(f"{API}/{cycle_id}/publish", headers=headers)
    assert submitted.status_code == 202, submitted.text
    assert submitted.json()["kind"] == "feedback.publish"
    await run_pending(app)
    job = await client.get(submitted.headers["location"], headers=headers)
    assert job.json()["status"] == "succeeded", job.text
    result: dict[str, Any] = job.json()
    return result


def code(response: Any) -> str:
    """The problem's code, the last segment of its ``type``."""
    return str(response.json()["type"]).rsplit("/", 1)[-1].replace("-", "_")


def hr(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.HR_OFFICER, AGENCY_A)


def employee(auth: TokenFactory, scenario: Scenario, key: str) -> dict[str, str]:
    return auth(Role.EMPLOYEE, AGENCY_A, sub=scenario.nip(key))


# --- publishing -----------------------------------------------------------------------------


async def test_publish_freezes_reports_and_writes_assessments(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    job = await publish(app, client, hr(auth), scenario.cycle_id)
    assert job["result"] == {"cycle_id": str(scenario.cycle_id), "reports": 3, "assessments": 6}
    assert job["progress"] == {"done": 3, "total": 3}

    async with app.state.sessionmaker() as session:
        cycle = await session.get(Cycle, scenario.cycle_id)
        assert cycle is not None and cycle.state == "published" and cycle.published_at
        assert cycle.version == 2
        assert await session.scalar(select(func.count()).select_from(Report)) == 3
        # One feedback_360 assessment per subject and competency, level from the calibrated
        # others' mean as the report shows it; the current levels kept as profiles keep them.
        staff0 = scenario.world.employees["staff0"]
        rows = (
            await session.execute(
                text(
                    "SELECT c.code, a.level, a.source, a.assessed_on FROM competency_assessments a "
                    "JOIN competencies c ON c.id = a.competency_id WHERE a.employee_id = :e "
                    "ORDER BY c.code"
                ),
                {"e": staff0},
            )
        ).all()
        report = ReportOut.model_validate(
            (await session.scalars(select(Report.body).where(Report.subject_employee_id == staff0)))
            .one()
        )  # fmt: skip
        expected = {
            d.code: min(5, max(1, int(d.others_calibrated_mean + 0.5)))
            for d in report.dimensions
            if d.kind == "competency" and d.others_calibrated_mean is not None
        }
        assert {code: level for code, level, _, _ in rows} == expected
        assert {source for _, _, source, _ in rows} == {"feedback_360"}
        current = (
            await session.scalars(
                select(CurrentCompetency).where(CurrentCompetency.employee_id == staff0)
            )
        ).all()
        assert sorted(c.level for c in current) == sorted(expected.values())
        assert {c.source for c in current} == {"feedback_360"}
        audited = await session.scalar(
            text(
                "SELECT count(*) FROM audit_log WHERE action = 'competency_assessment.created' "
                "AND nip = :nip AND actor = :actor"
            ),
            {"nip": scenario.nip("staff0"), "actor": f"hr_officer@{AGENCY_A}"},
        )
        assert audited == 2
        assert await session.scalar(
            text("SELECT count(*) FROM audit_log WHERE action = 'feedback_cycle.published'")
        ) == 1  # fmt: skip
        events = (await session.scalars(select(OutboxEvent).order_by(OutboxEvent.event_type))).all()
        kinds = [e.event_type for e in events]
        assert kinds.count("feedback.cycle.published") == 1
        assert kinds.count("feedback.report.published") == 3
        cycle_event = next(e for e in events if e.event_type == "feedback.cycle.published")
        assert cycle_event.payload["reports"] == 3
        for event in events:  # who may read a report, never what it says
            assert not {"mean", "score", "level", "body"} & set(event.payload)
        assert await session.scalar(select(func.count()).select_from(CompetencyAssessment)) == 6


async def test_a_higher_source_keeps_the_current_level(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """An assessment-centre level outranks feedback_360: publishing adds the 360° one to
    the history and leaves the current level alone."""
    nip = scenario.nip("staff0")
    created = await client.post(
        f"/api/v1/employees/{nip}/competencies",
        json={"competency": "M.1", "level": 5, "source": "assessment_center",
              "assessed_on": "2026-01-05"},
        headers=auth(Role.ADMIN),
    )  # fmt: skip
    assert created.status_code == 201, created.text
    await publish(app, client, hr(auth), scenario.cycle_id)
    current = await client.get(
        f"/api/v1/employees/{nip}/competencies/current", headers=auth(Role.ADMIN)
    )
    levels = {c["competency"]: (c["level"], c["source"]) for c in current.json()["items"]}
    assert levels["M.1"] == (5, "assessment_center")
    assert levels["M.2"][1] == "feedback_360"


async def test_publish_needs_a_closed_cycle(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    scenario = await build_scenario(app, state="open")
    refused = await client.post(f"{API}/{scenario.cycle_id}/publish", headers=hr(auth))
    assert refused.status_code == 409
    assert code(refused) == "feedback_cycle_not_closed"
    indonesian = await client.post(
        f"{API}/{scenario.cycle_id}/publish", headers={**hr(auth), "Accept-Language": "id"}
    )
    assert "ditutup" in indonesian.json()["detail"]


async def test_publish_twice_is_refused(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    first = await client.post(f"{API}/{scenario.cycle_id}/publish", headers=hr(auth))
    assert first.status_code == 202
    running = await client.post(f"{API}/{scenario.cycle_id}/publish", headers=hr(auth))
    assert running.status_code == 409
    assert code(running) == "feedback_publish_running"
    await run_pending(app)
    again = await client.post(f"{API}/{scenario.cycle_id}/publish", headers=hr(auth))
    assert again.status_code == 409
    assert code(again) == "feedback_cycle_published"


async def test_publish_callers(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    url = f"{API}/{scenario.cycle_id}/publish"
    assert (await client.post(url)).status_code == 401
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        assert (await client.post(url, headers=auth(role, AGENCY_A))).status_code == 403
    assert (await client.post(url, headers=auth(Role.HR_OFFICER, AGENCY_B))).status_code == 404
    missing = f"{API}/{uuid.uuid4()}/publish"
    assert (await client.post(missing, headers=hr(auth))).status_code == 404


async def test_api_keys_need_the_feedback_scopes(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    async def key(*scopes: str) -> dict[str, str]:
        created = await client.post(
            "/api/v1/api-keys",
            json={"name": f"kunci {len(scopes)}", "agencies": [AGENCY_A], "scopes": list(scopes)},
            headers=auth(Role.ADMIN),
        )
        assert created.status_code == 201, created.text
        return {"X-API-Key": created.json()["key"]}

    reader, writer = await key("feedback:read"), await key("jobs:read", "feedback:write")
    summary = f"{API}/{scenario.cycle_id}/summary"
    assert (await client.get(summary, headers=reader)).status_code == 200
    assert (await client.get(summary, headers=writer)).status_code == 403
    publish_url = f"{API}/{scenario.cycle_id}/publish"
    assert (await client.post(publish_url, headers=reader)).status_code == 403
    assert (await client.post(publish_url, headers=writer)).status_code == 202


# --- one report ---------------------------------------------------------------------------------


async def test_hr_previews_a_closed_cycle(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    response = await client.get(report_url(scenario, "staff0"), headers=hr(auth))
    assert response.status_code == 200, response.text
    report = ReportOut.model_validate(response.json())
    assert report.preview is True and report.published_at is None
    assert report.subject.nip == scenario.nip("staff0")
    assert report.subject.name == "Pegawai staff0"
    assert [d.code for d in report.dimensions] == ["M.1", "M.2", "BA.1"]
    m1 = report.dimensions[0]
    assert m1.required_level == 3 and m1.name_id == "Integritas"
    assert [g.group for g in m1.groups] == ["self", "supervisor", "peer", "other", "overall"]
    self_, supervisor, peer, other, overall = m1.groups
    # Self M1-a 5, M1-b 5; supervisor 3, 3; peers (3,4), (3,3), (4,3), (5,5).
    assert (self_.n, self_.mean, self_.calibrated_mean) == (1, 5.0, None)
    assert (supervisor.n, supervisor.mean) == (1, 3.0)
    assert (peer.n, peer.mean) == (4, 3.75)
    assert peer.sd == pytest.approx(0.89, abs=0.005)  # s of 3,4,3,3,4,3,5,5
    assert other.suppressed and other.mean is None  # the two public raters
    assert (overall.n, overall.mean) == (5, 3.6)  # (6 + 30)/10: public left out
    assert m1.self_mean == 5.0 and m1.others_mean == 3.6
    assert m1.others_calibrated_mean is not None
    assert m1.self_minus_others == pytest.approx(5.0 - m1.others_calibrated_mean)
    assert m1.flag == "blind_spot" and "M.1" in report.blind_spots
    assert m1.rwg is not None and m1.agreement is not None
    assert [(r.group, r.invited, r.responded, r.shown_as) for r in report.responses] == [
        ("self", 1, 1, "self"),
        ("supervisor", 1, 1, "supervisor"),
        ("peer", 6, 4, "peer"),
        ("public", 2, None, "suppressed"),
    ]
    assert [(c.group, c.text) for c in report.comments] == [
        ("self", "Saya sudah bekerja keras"),
        ("supervisor", "Perlu lebih teliti"),
        ("peer", "Komunikasinya baik"),
        ("peer", "Membantu rekan kerja"),
    ]
    assert report.develop_next and report.develop_next[0].reason == "blind_spot"
    assert "penilai lain" in report.develop_next[0].detail_id
    assert "," in report.develop_next[0].detail_id.split("sendiri ")[1][:4]  # 5,00


async def test_merged_groups_show_as_other(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    report = ReportOut.model_validate(
        (await client.get(report_url(scenario, "staff1"), headers=hr(auth))).json()
    )
    m2 = report.dimensions[1]
    assert [g.group for g in m2.groups] == ["self", "supervisor", "other", "overall"]
    other = m2.groups[2]
    assert (other.n, other.mean) == (3, 4.33)  # peers 4 and 5, public 4
    assert [(r.group, r.responded, r.shown_as) for r in report.responses] == [
        ("self", 1, "self"),
        ("supervisor", 1, "supervisor"),
        ("peer", None, "other"),
        ("public", None, "other"),
    ]
    assert [(c.group, c.text) for c in report.comments] == [
        ("other", "Ramah kepada warga"),
        ("other", "Rapi dan tepat waktu"),
    ]


async def test_report_after_publish_is_the_frozen_one(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    preview = (await client.get(report_url(scenario, "staff2"), headers=hr(auth))).json()
    await publish(app, client, hr(auth), scenario.cycle_id)
    own = await client.get(
        report_url(scenario, "staff2"), headers=employee(auth, scenario, "staff2")
    )
    assert own.status_code == 200
    assert own.headers["content-type"] == "application/json"
    published = own.json()
    assert published["preview"] is False and published["published_at"]
    published.pop("preview"), published.pop("published_at")
    preview.pop("preview"), preview.pop("published_at")
    assert published == preview


async def test_report_as_pdf_in_the_readers_language(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """`Accept: application/pdf` gives the same frozen report, printable, in Indonesian or
    English; whoever may not read the JSON may not read the PDF either."""
    await publish(app, client, hr(auth), scenario.cycle_id)
    url = report_url(scenario, "staff2")
    own = employee(auth, scenario, "staff2")
    pdf_headers = {**own, "Accept": "application/pdf", "Accept-Language": "id"}
    indonesian = await client.get(url, headers=pdf_headers)
    assert indonesian.status_code == 200, indonesian.text
    assert indonesian.headers["content-type"] == "application/pdf"
    assert indonesian.content.startswith(b"%PDF")
    english = await client.get(url, headers={**pdf_headers, "Accept-Language": "en"})
    assert english.content.startswith(b"%PDF") and english.content != indonesian.content
    colleague = employee(auth, scenario, "staff3")
    refused = await client.get(url, headers={**colleague, "Accept": "application/pdf"})
    assert refused.status_code == 404


async def test_report_callers(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    url = report_url(scenario, "staff0")
    assert (await client.get(url)).status_code == 401
    for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
        assert (await client.get(url, headers=auth(role, AGENCY_B))).status_code == 404
    # Not a subject of the cycle, or no such person: 404.
    assert (await client.get(report_url(scenario, "staff7"), headers=hr(auth))).status_code == 404
    wrong = f"{API}/{scenario.cycle_id}/reports/198001012005011999"
    assert (await client.get(wrong, headers=hr(auth))).status_code == 404
    # Before publishing the subject hears that the report is not out yet.
    mine = await client.get(url, headers=employee(auth, scenario, "staff0"))
    assert mine.status_code == 409
    assert code(mine) == "feedback_report_not_published"


async def test_no_preview_while_the_cycle_is_open(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    scenario = await build_scenario(app, state="open")
    for headers in (hr(auth), auth(Role.ADMIN)):
        refused = await client.get(report_url(scenario, "staff0"), headers=headers)
        assert refused.status_code == 409
        assert code(refused) == "feedback_cycle_not_closed"


# --- the summary ----------------------------------------------------------------------------------


async def test_summary_of_a_closed_cycle(
    client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    response = await client.get(f"{API}/{scenario.cycle_id}/summary", headers=hr(auth))
    assert response.status_code == 200, response.text
    summary = CycleSummaryOut.model_validate(response.json())
    assert summary.state == "closed" and summary.subjects == 3
    assert summary.completion.model_dump() == {
        "invited": 20, "submitted": 18, "declined": 1, "open": 1,
    }  # fmt: skip
    assert [u.subjects for u in summary.completion_by_unit] == [3]
    peers = next(g for g in summary.completion_by_group if g.group == "peer")
    assert (peers.invited, peers.submitted, peers.declined, peers.open) == (11, 9, 1, 1)
    assert summary.reminders_due == 0  # closed: nobody may answer any more
    # staff4 gives five to everything, but four items are too few to call it straight-lining.
    assert summary.statistics_available and summary.straight_lined == 0
    assert summary.leniency is not None
    # head, staff3 and staff4 rated two people or more; the rest are not calibrated.
    assert summary.leniency.raters == 3
    assert sum(b.raters for b in summary.leniency.bins) == 3
    assert summary.leniency.lenient >= 1  # staff4 gives five to everyone
    assert summary.reliability is not None and summary.reliability.subjects == 3
    assert summary.heatmap is not None
    assert {c.dimension_code for c in summary.heatmap.cells} == {"M.1", "M.2", "BA.1"}
    assert all(c.subjects >= 3 and c.raters >= 3 for c in summary.heatmap.cells)
    text_ = response.text
    for key in ("staff3", "staff4", "staff5", "head"):  # no rater is named
        assert scenario.nip(key) not in text_


async def test_summary_while_open_shows_progress_only(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    scenario = await build_scenario(app, state="open")
    summary = (await client.get(f"{API}/{scenario.cycle_id}/summary", headers=hr(auth))).json()
    assert summary["statistics_available"] is False
    assert summary["leniency"] is None and summary["heatmap"] is None
    assert summary["straight_lined"] is None and summary["reliability"] is None
    assert summary["reminders_due"] == 1  # staff6's pending request, never reminded


async def test_heatmap_leaves_out_small_units(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, scenario: Scenario
) -> None:
    """With a minimum of four, a unit of three subjects has no cell."""
    async with app.state.sessionmaker() as session:
        await session.execute(
            text("UPDATE feedback_cycles SET min_group_size = 4 WHERE id = :id"),
            {"id": scenario.cycle_id},
        )
        await session.commit()
    summary = (await client.get(f"{API}/{scenario.cycle_id}/summary", headers=hr(auth))).json()
    assert summary["heatmap"]["cells"] == []


async def test_summary_callers(client: AsyncClient, auth: TokenFactory, scenario: Scenario) -> None:
    url = f"{API}/{scenario.cycle_id}/summary"
    assert (await client.get(url)).status_code == 401
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        assert (await client.get(url, headers=auth(role, AGENCY_A))).status_code == 403
    assert (await client.get(url, headers=auth(Role.HR_OFFICER, AGENCY_B))).status_code == 404
    assert (await client.get(url, headers=auth(Role.ADMIN))).status_code == 200


async def test_a_supervisor_alone_writes_no_360_level(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """A competency rated by fewer others than the cycle's minimum (here the supervisor
    alone) is in the report, but is not a 360° result for the profile."""
    world = await feedback_world(app, staff=2)
    cycle_id = await world.cycle(state="closed")
    await world.subject(cycle_id, "staff0")
    scores: dict[str, int | None] = {"M1-a": 4, "M1-b": 4, "M2-a": 3, "BA1-a": 5}
    await world.request(cycle_id, "staff0", "staff0", "self", status="submitted", answers=scores)
    await world.request(
        cycle_id, "staff0", "head", "supervisor", status="submitted", answers=scores
    )
    job = await publish(app, client, hr(auth), cycle_id)
    assert job["result"]["reports"] == 1
    assert job["result"]["assessments"] == 0
    report = await client.get(f"{API}/{cycle_id}/reports/{world.nip('staff0')}", headers=hr(auth))
    assert report.json()["overall"]["n"] == 1  # the supervisor, shown as such
