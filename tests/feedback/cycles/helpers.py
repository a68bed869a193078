"""Helpers for the cycle and questionnaire API tests: calls that build a cycle, and reads
of what the API wrote beside its answers (audit rows, outbox events, raw statuses)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update

from asn_career.core.audit.models import AuditEntry
from asn_career.core.db import unit_of_work
from asn_career.core.outbox import OutboxEvent
from asn_career.feedback.models import Request
from tests.conftest import AGENCY_A

CYCLES = "/api/v1/feedback/cycles"
QUESTIONNAIRES = "/api/v1/feedback/questionnaires"
ANCHORS = {
    str(n): {"id": f"Perilaku tingkat {n}", "en": f"Behaviour at level {n}"} for n in range(1, 6)
}


def future(days: int = 14) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def item(code: str = "M1-a", dimension: str = "M.1", kind: str = "competency") -> dict[str, Any]:
    return {
        "code": code,
        "text_id": f"Butir {code}",
        "text_en": f"Item {code}",
        "dimension_kind": kind,
        "dimension_code": dimension,
        "anchors": {point: dict(texts) for point, texts in ANCHORS.items()},
    }


async def create_cycle(
    client: AsyncClient,
    headers: dict[str, str],
    questionnaire_id: uuid.UUID | str,
    *,
    agency: str = AGENCY_A,
    **fields: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agency_code": agency,
        "name": "Umpan Balik 360° Semester II 2026",
        "period_start": "2026-07-01",
        "period_end": "2026-12-31",
        "questionnaire_id": str(questionnaire_id),
        "deadline": future(),
    }
    body.update(fields)
    response = await client.post(CYCLES, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def add_subjects(
    client: AsyncClient, headers: dict[str, str], cycle_id: str, nips: list[str]
) -> dict[str, Any]:
    response = await client.post(
        f"{CYCLES}/{cycle_id}/subjects", json={"nips": nips}, headers=headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def add_request(
    client: AsyncClient,
    headers: dict[str, str],
    cycle_id: str,
    subject: str,
    rater: str,
    relationship: str,
) -> dict[str, Any]:
    response = await client.post(
        f"{CYCLES}/{cycle_id}/requests",
        json={"subject_nip": subject, "rater_nip": rater, "relationship": relationship},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def events(app: FastAPI, event_type: str) -> list[dict[str, Any]]:
    async with unit_of_work(app.state.sessionmaker) as session:
        stmt = (
            select(OutboxEvent.payload)
            .where(OutboxEvent.event_type == event_type)
            .order_by(OutboxEvent.occurred_at)
        )
        return [dict(p) for p in (await session.scalars(stmt)).all()]


async def audit(app: FastAPI, action: str) -> list[AuditEntry]:
    async with unit_of_work(app.state.sessionmaker) as session:
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await session.scalars(stmt)).all())


async def set_status(app: FastAPI, request_id: str | uuid.UUID, status: str) -> None:
    """What the answering part would do: a request answered, drafted or declined."""
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            update(Request)
            .where(Request.id == uuid.UUID(str(request_id)))
            .values(
                status=status,
                decline_reason="Tidak mengenal pegawai ini" if status == "declined" else None,
                submitted_at=datetime.now(UTC) if status == "submitted" else None,
            )
        )


async def requests_of(app: FastAPI, cycle_id: str) -> list[Request]:
    async with unit_of_work(app.state.sessionmaker) as session:
        stmt = select(Request).where(Request.cycle_id == uuid.UUID(cycle_id))
        return list((await session.scalars(stmt)).all())
