"""The helpers every service shares: the bilingual field problem, the audit snapshot, the
change recorder (audit row + outbox event in one transaction) and the page cut."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from asn_career.core.apikeys.models import ApiKey
from asn_career.core.apikeys.service import _snapshot as api_key_snapshot
from asn_career.core.audit.models import AuditEntry
from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.errors import ValidationProblem, field_problem, field_problems
from asn_career.core.outbox import OutboxEvent, changes
from asn_career.core.pagination import PageRequest, decode_cursor, encode_cursor
from asn_career.imports.webhooks.models import WebhookSubscription
from asn_career.imports.webhooks.service import _snapshot as webhook_snapshot
from asn_career.org.models import Agency, Competency, Position, Unit
from asn_career.org.service import _position_snapshot, _unit_snapshot
from asn_career.profiles.histories.service import _snapshot as history_snapshot
from asn_career.profiles.models import Education, Employee

ADMIN = Principal(subject="admin@all", role=Role.ADMIN)

# --- field problems -----------------------------------------------------------------------


def test_a_field_problem_is_a_422_about_one_body_field_in_both_languages() -> None:
    problem = field_problem("agency", "unknown agency 'X'", "instansi 'X' tidak dikenal", "agency")
    assert isinstance(problem, ValidationProblem) and problem.status == 422
    assert (problem.code, problem.detail, problem.detail_id) == (
        "validation_failed",
        "unknown agency 'X'",
        "instansi 'X' tidak dikenal",
    )
    assert problem.errors == [
        {
            "loc": ["body", "agency"],
            "msg": "unknown agency 'X'",
            "type": "agency",
            "msg_id": "instansi 'X' tidak dikenal",
        }
    ]
    assert field_problem("year", "en", "id").errors == [
        {"loc": ["body", "year"], "msg": "en", "type": "value_error", "msg_id": "id"}
    ]
    assert field_problem("year", "en").errors == [
        {"loc": ["body", "year"], "msg": "en", "type": "value_error"}
    ]


def test_a_field_problem_takes_a_full_location_entries_and_a_code() -> None:
    problem = field_problem(
        ["query", "scopes"], "Unknown scopes: a, b", "Cakupan: a, b", "scope", each=["a", "b"]
    )
    assert problem.errors == [
        {"loc": ["query", "scopes"], "msg": "a", "type": "scope"},
        {"loc": ["query", "scopes"], "msg": "b", "type": "scope"},
    ]
    both = field_problem(["query", "scopes"], "en", "id", "scope", each=["a"], each_id=["sa"])
    assert both.errors == [
        {"loc": ["query", "scopes"], "msg": "a", "type": "scope", "msg_id": "sa"}
    ]
    with pytest.raises(ValueError, match="shorter"):
        field_problem("scopes", "en", "id", each=["a", "b"], each_id=["sa"])
    cursor = field_problem(
        ["query", "cursor"], None, kind="cursor", each=["invalid cursor"], code="invalid_cursor"
    )
    assert (cursor.code, cursor.detail, cursor.detail_id) == ("invalid_cursor", None, None)


def test_field_problems_join_details_and_keep_every_entry() -> None:
    joined = field_problems(
        [field_problem("gender", "g", "jk", "nip"), field_problem("birth_date", "b", "tl", "nip")]
    )
    assert (joined.detail, joined.detail_id) == ("g; b", "jk; tl")
    assert [e["loc"] for e in joined.errors or []] == [["body", "gender"], ["body", "birth_date"]]


# --- snapshots ----------------------------------------------------------------------------

# What each audit row compared before the shared helper: the snapshots must keep exactly
# these fields, or the audit trail would change.
PINNED: list[tuple[str, Any, set[str]]] = [
    (
        "employee",
        lambda: snapshot(Employee()),
        {
            "nip", "name", "front_title", "back_title", "gender", "birth_date", "birth_place",
            "employment_type", "appointment_date", "rank_code", "status", "agency_code",
            "unit_id", "position_id", "nik", "email",
        },
    ),
    (
        "education",
        lambda: history_snapshot(Education(), "198609262015051001"),
        {"nip", "level_code", "field", "institution", "graduation_year"},
    ),
    ("api_key", lambda: api_key_snapshot(ApiKey()), {"name", "agencies", "scopes", "revoked_at"}),
    (
        "webhook",
        lambda: webhook_snapshot(WebhookSubscription()),
        {
            "agency_code", "url", "event_types", "description", "active", "secret_prefix",
            "deleted_at",
        },
    ),
    ("agency", lambda: snapshot(Agency()), {"code", "name", "region_code"}),
    ("unit", lambda: _unit_snapshot(Unit()), {"code", "name", "kind", "parent_id", "path"}),
    (
        "position",
        lambda: _position_snapshot(Position(), []),
        {
            "code", "title", "unit_id", "kind", "functional_level", "min_rank", "max_rank",
            "reports_to_position_id", "required_competencies", "preferred_education_fields",
            "is_shared",
        },
    ),
    (
        "competency",
        lambda: snapshot(Competency()),
        {"code", "agency_code", "kind", "name_id", "name_en", "descriptors"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("entity", "take", "fields"), PINNED, ids=[p[0] for p in PINNED])
def test_each_snapshot_keeps_the_audited_fields(entity: str, take: Any, fields: set[str]) -> None:
    assert set(take()) == fields


def test_a_snapshot_is_not_changed_by_a_later_in_place_edit() -> None:
    key = ApiKey(name="k", agencies=["36.74"], scopes=["jobs:read"])
    before = api_key_snapshot(key)
    key.scopes.append("audit:read")
    assert before["scopes"] == ["jobs:read"]
    assert snapshot(key, exclude=("name",), extra={"note": 1})["note"] == 1


# --- the change recorder ------------------------------------------------------------------


async def _audit_and_events(app: FastAPI) -> tuple[list[AuditEntry], list[OutboxEvent]]:
    async with unit_of_work(app.state.sessionmaker) as session:
        entries = list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())
        events = list(
            (await session.scalars(select(OutboxEvent).order_by(OutboxEvent.occurred_at))).all()
        )
    return entries, events


def _payload(before: Any, after: Any) -> dict[str, Any]:
    return {"changes": changes(before, after)}


async def test_created_updated_deleted_write_the_audit_row_and_the_event(app: FastAPI) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        recorder = ChangeRecorder(session, ADMIN)
        agency = Agency(code="99.01", name="Instansi", region_code="99")
        session.add(agency)
        await recorder.created(
            agency,
            entity_type="agency",
            agency_code="99.01",
            after=snapshot,
            event="employee.updated",
            payload=_payload,
        )
        before = snapshot(agency)
        agency.name = "Instansi Baru"
        await recorder.updated(
            agency, entity_type="agency", agency_code="99.01", before=before, after=snapshot
        )
        await recorder.updated(  # nothing changed: nothing recorded
            agency,
            entity_type="agency",
            agency_code="99.01",
            before=snapshot(agency),
            after=snapshot,
            event="employee.updated",
            payload=_payload,
            unless_unchanged=True,
        )
        before = snapshot(agency)
        await session.delete(agency)
        await recorder.deleted(agency, entity_type="agency", agency_code="99.01", before=before)

    entries, events = await _audit_and_events(app)
    assert [(e.action, e.entity_type, e.entity_id, e.agency_code) for e in entries] == [
        ("agency.created", "agency", "99.01", "99.01"),
        ("agency.updated", "agency", "99.01", "99.01"),
        ("agency.deleted", "agency", "99.01", "99.01"),
    ]
    assert entries[0].changes["name"] == {"before": None, "after": "Instansi"}
    assert entries[1].changes == {"name": {"before": "Instansi", "after": "Instansi Baru"}}
    assert entries[2].changes["name"] == {"before": "Instansi Baru", "after": None}
    assert entries[0].actor == "admin@all" and entries[0].actor_role == "admin"
    assert [(e.event_type, e.agency_code) for e in events] == [("employee.updated", "99.01")]
    assert events[0].payload["changes"]["region_code"] == {"before": None, "after": "99"}


async def test_a_rolled_back_change_leaves_neither_audit_row_nor_event(app: FastAPI) -> None:
    with pytest.raises(RuntimeError):
        async with unit_of_work(app.state.sessionmaker) as session:
            agency = Agency(code="99.02", name="Instansi", region_code="99")
            session.add(agency)
            await ChangeRecorder(session, ADMIN).created(
                agency,
                entity_type="agency",
                agency_code="99.02",
                after=snapshot,
                event="employee.updated",
                payload=_payload,
            )
            raise RuntimeError("boom")
    assert await _audit_and_events(app) == ([], [])


# --- one page cut for both read paths -----------------------------------------------------


def test_a_page_cut_gives_the_next_cursor_only_when_more_rows_follow() -> None:
    page = PageRequest(limit=2, cursor_key=b"k")
    assert page.fetch_size == 3
    assert page.cut([1, 2], lambda n: (n,)) == ([1, 2], None)
    rows, cursor = page.cut([1, 2, 3], lambda n: (n,))
    assert rows == [1, 2] and cursor is not None
    assert decode_cursor(b"k", cursor) == (2,)


def test_a_cursor_of_another_shape_is_refused_alike() -> None:
    employee_id = uuid.UUID("6f1c1f0e-3a52-4d2c-9a37-0c4b0f1d2e3a")
    page = PageRequest(after=("Ani", employee_id))
    assert page.after_values(str, uuid.UUID) == ("Ani", employee_id)
    assert page.after_values(object, object) == ("Ani", employee_id)
    for types in ((uuid.UUID, str), (str,), (str, uuid.UUID, object)):
        with pytest.raises(ValidationProblem) as caught:
            page.after_values(*types)
        assert caught.value.code == "invalid_cursor"
        assert caught.value.errors == [
            {
                "loc": ["query", "cursor"],
                "msg": "invalid cursor",
                "type": "cursor",
                "msg_id": "kursor tidak valid",
            }
        ]
    assert PageRequest().after_values(str) is None


def test_the_cursor_format_is_unchanged() -> None:
    """Cursors handed out before keep working: the bytes of one are pinned."""
    values = ("Ani", uuid.UUID("6f1c1f0e-3a52-4d2c-9a37-0c4b0f1d2e3a"), date(2024, 1, 2), 7)
    cursor = encode_cursor(b"key", values)
    assert cursor == PINNED_CURSOR
    assert decode_cursor(b"key", cursor) == values
    stamp = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert decode_cursor(b"key", encode_cursor(b"key", (stamp,))) == (stamp,)


PINNED_CURSOR = (
    "WyJBbmkiLFsidSIsIjZmMWMxZjBlLTNhNTItNGQyYy05YTM3LTBjNGIwZjFkMmUzYSJdLFsiZCIsIjIwMjQtMDEt"
    "MDIiXSw3XYTn_MbffFxfHmsuew"
)
