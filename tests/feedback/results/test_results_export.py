"""GET /feedback/cycles/{cycle_id}/results: a published cycle's figures by subject,
dimension and rater group, as CSV or XLSX, read from the frozen reports only."""

import ast
import codecs
import copy
import csv
import inspect
import io
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.util import find_tables

from asn_career.core import sheets
from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.feedback import results as results_package
from asn_career.feedback.models import Report
from asn_career.feedback.reports.schemas import GroupFigure, ReportOut, ReportSubject
from asn_career.feedback.results import columns, repository, router, service
from asn_career.feedback.results import dependencies as results_dependencies
from asn_career.feedback.results.columns import COLUMNS, ResultsFormat, chosen_format
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import FeedbackWorld, feedback_world
from tests.feedback.reports.report_samples import build_report, report_body

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECTS = {"staff0": "full", "staff1": "merged", "staff2": "sparse", "staff3": "full"}


async def published_cycle(
    world: FeedbackWorld, subjects: dict[str, str] = SUBJECTS, **changes: Any
) -> tuple[uuid.UUID, dict[str, ReportOut]]:
    """A published cycle with a frozen report per subject (key → sample shape)."""
    cycle_id = await world.cycle(state="published")
    reports: dict[str, ReportOut] = {}
    async with unit_of_work(world.app.state.sessionmaker) as session:
        for index, (key, shape) in enumerate(subjects.items()):
            subject = ReportSubject(
                nip=world.nip(key),
                name=changes.get("name", f"Pegawai {key}"),
                position_title="Analis SDM",
                unit_name="BKPSDM",
            )
            report = build_report(shape, cycle_id=cycle_id, subject=subject, seed=index)  # type: ignore[arg-type]
            reports[key] = report
            session.add(
                Report(
                    cycle_id=cycle_id,
                    subject_employee_id=world.employees[key],
                    body=report_body(report),
                    published_at=datetime(2026, 12, 15, 2, 0, tzinfo=UTC),
                )
            )
    return cycle_id, reports


def expected_rows(reports: dict[str, ReportOut]) -> list[dict[str, str]]:
    rows = []
    for report in sorted(reports.values(), key=lambda r: r.subject.nip):
        for d in report.dimensions:
            for g in d.groups:
                rows.append(
                    {
                        "nip": report.subject.nip,
                        "name": report.subject.name,
                        "unit_name": report.subject.unit_name or "",
                        "position_title": report.subject.position_title or "",
                        "dimension_kind": d.kind,
                        "dimension_code": d.code,
                        "dimension_name_id": d.name_id,
                        "dimension_name_en": d.name_en,
                        "group": g.group,
                        "suppressed": "true" if g.suppressed else "false",
                        "n": "" if g.n is None else str(g.n),
                        "mean": "" if g.mean is None else str(g.mean),
                        "sd": "" if g.sd is None else str(g.sd),
                        "calibrated_mean": ""
                        if g.calibrated_mean is None
                        else str(g.calibrated_mean),
                    }
                )
    return rows


def read_csv(response: Response) -> list[dict[str, str]]:
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content[len(codecs.BOM_UTF8) :].decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def url(cycle_id: uuid.UUID) -> str:
    return f"/api/v1/feedback/cycles/{cycle_id}/results"


async def test_hr_gets_every_group_of_every_subject_as_csv_by_default(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, reports = await published_cycle(world)
    response = await client.get(url(cycle_id), headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="feedback-results-{AGENCY_A}-{cycle_id}.csv"'
    )
    assert response.headers["cache-control"] == "no-store"
    rows = read_csv(response)
    assert rows == expected_rows(reports)
    # 15 dimensions; full: self, supervisor, 3 anonymous groups and overall; merged: self,
    # supervisor, other and overall; sparse: self, supervisor, a suppressed other, overall.
    assert len(rows) == 15 * (6 + 4 + 4 + 6)
    groups = {r["group"] for r in rows}
    assert groups == {"self", "supervisor", "peer", "subordinate", "public", "other", "overall"}


async def test_a_suppressed_group_is_a_row_with_blank_figures(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, _ = await published_cycle(world, {"staff2": "sparse"})
    response = await client.get(url(cycle_id), headers=auth(Role.HR_OFFICER, AGENCY_A))
    suppressed = [r for r in read_csv(response) if r["suppressed"] == "true"]
    assert len(suppressed) == 15
    for row in suppressed:
        assert row["group"] == "other"
        assert [row[c] for c in columns.FIGURES] == ["", "", "", ""]


async def test_figures_a_stored_report_should_not_hold_are_blanked_anyway(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """A malformed body whose suppressed group carries numbers still exports them blank."""
    world = await feedback_world(app, staff=4)
    cycle_id, _ = await published_cycle(world, {"staff2": "sparse"})
    leaked = GroupFigure(group="other", suppressed=True, n=2, mean=1.37, sd=0.83,
                         calibrated_mean=1.29).model_dump(mode="json")  # fmt: skip
    async with unit_of_work(app.state.sessionmaker) as session:
        report = (await session.scalars(select(Report))).one()
        body = copy.deepcopy(report.body)
        for dimension in body["dimensions"]:
            dimension["groups"] = [
                leaked if g["group"] == "other" else g for g in dimension["groups"]
            ]
        report.body = body
    response = await client.get(url(cycle_id), headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert response.status_code == 200
    assert "1.37" not in response.text and "0.83" not in response.text
    assert "1.29" not in response.text
    rows = [r for r in read_csv(response) if r["group"] == "other"]
    assert rows and all(r["n"] == r["mean"] == r["sd"] == "" for r in rows)


async def test_xlsx_by_accept_or_format_holds_the_same_rows_as_numbers(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, reports = await published_cycle(world)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    by_accept = await client.get(url(cycle_id), headers={**hr, "Accept": XLSX})
    by_query = await client.get(url(cycle_id), params={"format": "xlsx"}, headers=hr)
    for response in (by_accept, by_query):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == XLSX
        assert int(response.headers["content-length"]) == len(response.content)
    assert by_query.headers["content-disposition"].endswith(f'{cycle_id}.xlsx"')
    sheet = load_workbook(io.BytesIO(by_accept.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    expected = expected_rows(reports)
    assert len(values) == 1 + len(expected)
    first = dict(zip(COLUMNS, values[1], strict=True))
    assert first["nip"] == expected[0]["nip"]
    assert isinstance(first["mean"], (int, float))
    assert float(first["mean"]) == float(expected[0]["mean"])
    assert first["suppressed"] is False
    suppressed = [dict(zip(COLUMNS, v, strict=True)) for v in values[1:] if v[9] is True]
    assert suppressed and all(r["mean"] is None and r["n"] is None for r in suppressed)
    # ?format= wins over Accept, for a plain download link.
    csv_wins = await client.get(
        url(cycle_id), params={"format": "csv"}, headers={**hr, "Accept": XLSX}
    )
    assert csv_wins.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, ResultsFormat.CSV),
        ("*/*", ResultsFormat.CSV),
        ("text/csv", ResultsFormat.CSV),
        (XLSX, ResultsFormat.XLSX),
        (f"text/csv;q=0.5, {XLSX}", ResultsFormat.XLSX),
        (f"text/csv, {XLSX};q=0.9", ResultsFormat.CSV),
        (f"{XLSX}, text/csv", ResultsFormat.CSV),  # a tie: CSV
        ("application/*", ResultsFormat.XLSX),
        (f"text/*;q=0.2, {XLSX};q=0.8", ResultsFormat.XLSX),
        (f"{XLSX};q=0, */*", ResultsFormat.CSV),
        ("application/json", ResultsFormat.CSV),
        (f"{XLSX};q=oops", ResultsFormat.CSV),
    ],
)
def test_accept_chooses_the_format(accept: str | None, chosen: ResultsFormat) -> None:
    assert chosen_format(None, accept) is chosen
    assert chosen_format(ResultsFormat.CSV, accept) is ResultsFormat.CSV


async def test_rows_come_in_nip_order_across_batches(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, reports = await published_cycle(world)
    monkeypatch.setattr(service, "BATCH_SIZE", 1)
    fetched: list[int] = []
    batch = repository.ResultsRepository.batch

    async def counting(self: Any, *args: Any) -> repository.Batch:
        found = await batch(self, *args)
        fetched.append(len(found.rows))
        return found

    monkeypatch.setattr(repository.ResultsRepository, "batch", counting)
    response = await client.get(url(cycle_id), headers=auth(Role.ADMIN))
    assert read_csv(response) == expected_rows(reports)
    assert fetched == [1, 1, 1, 1, 0]


async def test_text_a_spreadsheet_would_run_is_neutralised(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, _ = await published_cycle(world, {"staff0": "full"}, name='=HYPERLINK("x")')
    response = await client.get(url(cycle_id), headers=auth(Role.HR_OFFICER, AGENCY_A))
    names = {r["name"] for r in read_csv(response)}
    assert names == {'\'=HYPERLINK("x")'}
    xlsx = await client.get(url(cycle_id), params={"format": "xlsx"},
                            headers=auth(Role.HR_OFFICER, AGENCY_A))  # fmt: skip
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet["B2"].value == '=HYPERLINK("x")' and sheet["B2"].data_type == "s"


@pytest.mark.parametrize("state", ["draft", "open", "closed"])
async def test_an_unpublished_cycle_is_a_409_naming_the_rule(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, state: str
) -> None:
    world = await feedback_world(app, staff=2)
    cycle_id = await world.cycle(state=state)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    response = await client.get(url(cycle_id), headers=hr)
    assert response.status_code == 409
    assert response.json()["type"].endswith("/cycle-not-published")
    assert "published" in response.json()["detail"]
    in_indonesian = await client.get(url(cycle_id), headers={**hr, "Accept-Language": "id"})
    assert "diterbitkan" in in_indonesian.json()["detail"]
    xlsx = await client.get(url(cycle_id), params={"format": "xlsx"}, headers=hr)
    assert xlsx.status_code == 409


async def test_another_agency_and_an_unknown_cycle_are_404(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=2)
    cycle_id, _ = await published_cycle(world, {"staff0": "full"})
    other = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(url(cycle_id), headers=other)).status_code == 404
    unknown = await client.get(url(uuid.uuid4()), headers=auth(Role.HR_OFFICER, AGENCY_A))
    assert unknown.status_code == 404
    assert (await client.get(url(cycle_id), headers=auth(Role.ADMIN))).status_code == 200
    both = auth(Role.HR_OFFICER, AGENCY_A, AGENCY_B)
    assert (await client.get(url(cycle_id), headers=both)).status_code == 200


async def test_no_credentials_is_401_and_employees_and_supervisors_are_403(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=2)
    cycle_id, _ = await published_cycle(world, {"staff0": "full"})
    assert (await client.get(url(cycle_id))).status_code == 401
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        headers = auth(role, AGENCY_A, sub=world.nip("staff0"))
        assert (await client.get(url(cycle_id), headers=headers)).status_code == 403, role


async def test_an_api_key_needs_the_feedback_read_scope(
    app: FastAPI, client: AsyncClient, admin: dict[str, str]
) -> None:
    world = await feedback_world(app, staff=2)
    cycle_id, _ = await published_cycle(world, {"staff0": "full"})
    keys = {}
    for scope in ("feedback:read", "exports:read"):
        created = await client.post(
            "/api/v1/api-keys",
            json={"name": f"SIASN {scope}", "agencies": [AGENCY_A], "scopes": [scope]},
            headers=admin,
        )
        assert created.status_code == 201, created.text
        keys[scope] = {"X-API-Key": created.json()["key"]}
    assert (await client.get(url(cycle_id), headers=keys["feedback:read"])).status_code == 200
    assert (await client.get(url(cycle_id), headers=keys["exports:read"])).status_code == 403


async def test_each_export_is_audited_with_its_size(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, reports = await published_cycle(world)
    await client.get(url(cycle_id), headers=auth(Role.HR_OFFICER, AGENCY_A, sub="hr-a"))
    async with app.state.sessionmaker() as session:
        entry = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "feedback_results.exported")
            )
        ).one()
    assert entry.actor == "hr-a"
    assert entry.entity_type == "feedback_cycle" and entry.entity_id == str(cycle_id)
    assert entry.agency_code == AGENCY_A
    after = {name: change["after"] for name, change in entry.changes.items()}
    assert after == {"format": "csv", "rows": len(expected_rows(reports)), "complete": True}


async def test_more_rows_than_a_sheet_holds_is_a_422_for_xlsx(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await feedback_world(app, staff=4)
    cycle_id, _ = await published_cycle(world, {"staff0": "full"})
    monkeypatch.setattr(sheets, "XLSX_MAX_ROWS", 50)
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    response = await client.get(url(cycle_id), params={"format": "xlsx"}, headers=hr)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "format"]
    assert (await client.get(url(cycle_id), headers=hr)).status_code == 200


# --- anonymity by construction ---------------------------------------------------------


def test_the_exporter_never_references_the_answers() -> None:
    """No module of the export names the answers; of the feedback models it imports only
    the cycle and the frozen report."""
    modules = [columns, repository, service, router, results_dependencies, results_package]
    for module in modules:
        source = inspect.getsource(module)
        assert not re.search(r"\bAnswer\b", source), module.__name__
        assert "feedback_answers" not in source, module.__name__
        assert "feedback_requests" not in source, module.__name__
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module == "asn_career.feedback.models":
                assert {a.name for a in node.names} <= {"Cycle", "Report"}, module.__name__
            if isinstance(node, ast.ImportFrom) and node.module == "asn_career.feedback":
                assert "models" not in {a.name for a in node.names}, module.__name__


def test_the_export_query_reads_only_reports_and_cycles() -> None:
    principal = Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    statement = repository.reports_statement(principal, uuid.uuid4(), ("1", uuid.uuid4()), 10)
    sql = str(statement.compile(dialect=postgresql.dialect()))  # type: ignore[no-untyped-call]
    tables = set(re.findall(r"\b(feedback_\w+|employees|answers?)\b", sql))
    assert tables == {"feedback_reports", "feedback_cycles"}
    read = {t.name for t in find_tables(statement, include_joins=True)}
    assert read == {"feedback_reports", "feedback_cycles"}
