"""Every query of the reports: the cycle's data as arrays (a few set-based statements and one
binary COPY of the scores, never a query per subject), frozen reports, the summary's
counts, and the writes of publishing.

Who rated whom is read here only to estimate rater effects and to place each response in
its group; it leaves this package as indices, never as a NIP or an id.
"""

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

import numpy as np
from sqlalchemy import ColumnElement, Select, delete, func, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal, Role
from asn_career.core.jobs.models import Job
from asn_career.feedback.models import Cycle, CycleStatistics, Report, Subject
from asn_career.feedback.reports.analysis import (
    STATUS_CODES,
    CycleData,
    CycleInfo,
    Dimension,
    Item,
    SubjectInfo,
)
from asn_career.feedback.reports.anonymity import RELATIONSHIP_INDEX
from asn_career.feedback.rules import BERAKHLAK_VALUES
from asn_career.org.models import Agency
from asn_career.profiles.models import Employee
from asn_career.profiles.scope import employee_visibility

REMINDER_INTERVAL: Final = timedelta(days=3)
"""An open request is due a reminder when never reminded, or last reminded this long ago."""

# One score per row: (request ordinal, item id, score), streamed as binary COPY and read by
# numpy without a Python object per row.
_SCORES_SQL: Final = """
    SELECT r.k::int4, a.item_id::int4, a.score::int2
    FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, k)
    JOIN feedback_answers a ON a.request_id = r.id
    WHERE a.score IS NOT NULL
"""
_SCORE_ROW: Final = np.dtype(
    [("fields", ">i2"), ("l1", ">i4"), ("k", ">i4"), ("l2", ">i4"), ("item", ">i4"),
     ("l3", ">i4"), ("score", ">i2")]
)  # fmt: skip
_COPY_HEADER: Final = 19  # signature (11), flags (4), header extension length (4)
_COMMENTS_SQL: Final = """
    SELECT r.k::int4, a.item_id, a.comment
    FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, k)
    JOIN feedback_answers a ON a.request_id = r.id
    WHERE a.comment IS NOT NULL AND btrim(a.comment) <> ''
"""


def parse_binary_copy(buffer: bytes) -> np.ndarray[Any, Any]:
    """The rows of a binary COPY of ``_SCORES_SQL`` as a numpy record array."""
    rows = (len(buffer) - _COPY_HEADER - 2) // _SCORE_ROW.itemsize
    if rows <= 0:
        return np.zeros(0, dtype=_SCORE_ROW)
    array = np.frombuffer(buffer, dtype=_SCORE_ROW, count=rows, offset=_COPY_HEADER)
    if not (
        (array["fields"] == 3).all()
        and (array["l1"] == 4).all()
        and (array["l2"] == 4).all()
        and (array["l3"] == 2).all()
    ):
        raise ValueError("unexpected layout of the scores' binary COPY")
    return array


async def latest_published_report(
    session: AsyncSession, employee_id: uuid.UUID
) -> dict[str, Any] | None:
    """The body of the employee's latest published 360° report, as frozen when it was
    published (what the subject was shown), or None. Development plans and mentoring focus
    draft from its ``develop_next``; the caller has already scoped the employee."""
    stmt = (
        select(Report.body)
        .join(Cycle, Cycle.id == Report.cycle_id)
        .where(Report.subject_employee_id == employee_id, Cycle.state == "published")
        .order_by(Report.published_at.desc())
        .limit(1)
    )
    body: dict[str, Any] | None = await session.scalar(stmt)
    return body


@dataclass(frozen=True)
class CompletionRow:
    unit_id: uuid.UUID | None
    relationship: str
    status: str
    count: int


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _driver(self) -> Any:
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        return raw.driver_connection

    # --- look-ups, scoped -------------------------------------------------------------------

    async def cycle(
        self, principal: Principal, cycle_id: uuid.UUID, *, lock: bool = False
    ) -> Cycle | None:
        stmt = select(Cycle).where(Cycle.id == cycle_id, principal.agency_clause(Cycle.agency_code))
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    @staticmethod
    def _subject_scope(principal: Principal) -> ColumnElement[bool]:
        """HR and admins see every subject of the cycles they see; a supervisor their
        reporting line and themselves; an employee themselves."""
        if principal.role in (Role.SUPERVISOR, Role.EMPLOYEE):
            return employee_visibility(principal)
        return true()

    async def subject(
        self, principal: Principal, cycle_id: uuid.UUID, nip: str
    ) -> uuid.UUID | None:
        """The employee id of ``nip`` when they are a subject of the cycle and visible."""
        stmt = (
            select(Employee.id)
            .join(Subject, Subject.employee_id == Employee.id)
            .where(Subject.cycle_id == cycle_id, Employee.nip == nip)
            .where(self._subject_scope(principal))
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def agency_name(self, agency_code: str) -> str | None:
        return await self.session.scalar(select(Agency.name).where(Agency.code == agency_code))

    async def frozen_body(self, cycle_id: uuid.UUID, employee_id: uuid.UUID) -> str | None:
        """The stored report as its JSON text, served as stored."""
        row = await self.session.execute(
            text(
                "SELECT body::text FROM feedback_reports "
                "WHERE cycle_id = :cycle_id AND subject_employee_id = :employee_id"
            ),
            {"cycle_id": cycle_id, "employee_id": employee_id},
        )
        value = row.scalar_one_or_none()
        return None if value is None else str(value)

    async def publish_running(self, cycle_id: uuid.UUID) -> bool:
        stmt = select(Job.id).where(
            Job.kind == "feedback.publish",
            Job.status.in_(("queued", "running")),
            Job.params["cycle_id"].astext == str(cycle_id),
        )
        return (await self.session.scalars(stmt.limit(1))).first() is not None

    # --- the cycle as arrays ----------------------------------------------------------------

    async def load(self, cycle: Cycle) -> CycleData:
        """Everything the reports need, in five statements and one binary COPY."""
        conn = await self._driver()
        item_rows = await conn.fetch(
            "SELECT id, code, dimension_kind, dimension_code, text_id, text_en "
            "FROM feedback_items WHERE questionnaire_id = $1 ORDER BY ordinal",
            cycle.questionnaire_id,
        )
        dims: dict[str, int] = {}
        kinds: dict[str, str] = {}
        for row in item_rows:
            if row["dimension_code"] not in dims:
                dims[row["dimension_code"]] = len(dims)
                kinds[row["dimension_code"]] = row["dimension_kind"]
        competency_names = {
            row["code"]: (row["name_id"], row["name_en"])
            for row in await conn.fetch(
                "SELECT code, name_id, name_en FROM competencies "
                "WHERE code = ANY($1::text[]) AND (agency_code IS NULL OR agency_code = $2) "
                "ORDER BY agency_code NULLS FIRST",  # the agency's own entry wins
                [code for code, kind in kinds.items() if kind == "competency"],
                cycle.agency_code,
            )
        }
        dimensions = []
        for code in dims:
            names = (
                competency_names.get(code)
                if kinds[code] == "competency"
                else BERAKHLAK_VALUES.get(code)
            )
            name_id, name_en = names or (code, code)
            dimensions.append(Dimension(kinds[code], code, name_id, name_en))
        item_index = {row["id"]: n for n, row in enumerate(item_rows)}
        items = [
            Item(row["code"], dims[row["dimension_code"]], row["text_id"], row["text_en"])
            for row in item_rows
        ]

        subject_rows = await conn.fetch(
            """
            SELECT s.employee_id, e.nip, e.name, s.unit_id, u.name AS unit_name,
                   p.title AS position_title
            FROM feedback_subjects s
            JOIN employees e ON e.id = s.employee_id
            LEFT JOIN units u ON u.id = s.unit_id
            LEFT JOIN positions p ON p.id = s.position_id
            WHERE s.cycle_id = $1
            ORDER BY e.nip
            """,
            cycle.id,
        )
        subjects = [
            SubjectInfo(
                row["employee_id"], row["nip"], row["name"], row["unit_id"], row["unit_name"],
                row["position_title"],
            )
            for row in subject_rows
        ]  # fmt: skip
        subject_index = {s.employee_id: n for n, s in enumerate(subjects)}
        required = np.zeros((len(subjects), len(dims)), dtype=np.int64)
        for row in await conn.fetch(
            """
            SELECT s.employee_id, c.code, pc.level
            FROM feedback_subjects s
            JOIN position_competencies pc ON pc.position_id = s.position_id
            JOIN competencies c ON c.id = pc.competency_id
            WHERE s.cycle_id = $1 AND c.code = ANY($2::text[])
            """,
            cycle.id,
            list(dims),
        ):
            required[subject_index[row["employee_id"]], dims[row["code"]]] = row["level"]

        request_rows = await conn.fetch(
            "SELECT id, subject_employee_id, rater_employee_id, relationship, status "
            "FROM feedback_requests WHERE cycle_id = $1 AND status <> 'nominated'",
            cycle.id,
        )
        raters: dict[uuid.UUID, int] = {}
        r_subject: list[int] = []
        r_rater: list[int] = []
        r_relationship: list[int] = []
        r_status: list[int] = []
        submitted_ids: list[uuid.UUID] = []
        submitted_index: list[int] = []
        for row in request_rows:
            subject = subject_index.get(row["subject_employee_id"])
            if subject is None:  # a request of someone no longer a subject
                continue
            rater_id = row["rater_employee_id"]
            if rater_id is None:  # the public: every request its own rater
                rater = len(raters)
                raters[uuid.uuid4()] = rater
            else:
                rater = raters.setdefault(rater_id, len(raters))
            if row["status"] == "submitted":
                submitted_ids.append(row["id"])
                submitted_index.append(len(r_subject))
            r_subject.append(subject)
            r_rater.append(rater)
            r_relationship.append(RELATIONSHIP_INDEX[row["relationship"]])
            r_status.append(STATUS_CODES[row["status"]])

        buffer = io.BytesIO()
        if submitted_ids:
            await conn.copy_from_query(_SCORES_SQL, submitted_ids, output=buffer, format="binary")
        scores = parse_binary_copy(buffer.getvalue())
        position = np.asarray(submitted_index, dtype=np.int64)
        item_lookup = np.full(max(item_index, default=0) + 1, -1, dtype=np.int64)
        for item_id, n in item_index.items():
            item_lookup[item_id] = n
        score_item = item_lookup[scores["item"].astype(np.int64)]
        if (score_item < 0).any():
            raise ValueError("an answer names an item outside the cycle's questionnaire")

        comment_rows = await conn.fetch(_COMMENTS_SQL, submitted_ids) if submitted_ids else []
        return CycleData(
            cycle=CycleInfo(
                cycle.id, cycle.name, cycle.agency_code, cycle.state, cycle.min_group_size,
                float(cycle.blind_spot_threshold), cycle.published_at,
            ),
            items=items,
            dimensions=dimensions,
            subjects=subjects,
            required=required,
            request_subject=np.asarray(r_subject, dtype=np.int64),
            request_rater=np.asarray(r_rater, dtype=np.int64),
            request_relationship=np.asarray(r_relationship, dtype=np.int64),
            request_status=np.asarray(r_status, dtype=np.int64),
            score_request=position[scores["k"].astype(np.int64) - 1],
            score_item=score_item,
            score=scores["score"].astype(np.int64),
            comment_request=np.asarray(
                [submitted_index[row[0] - 1] for row in comment_rows], dtype=np.int64
            ),
            comment_item=np.asarray([item_index[row[1]] for row in comment_rows], dtype=np.int64),
            comment_text=[row[2].strip() for row in comment_rows],
        )  # fmt: skip

    # --- the summary's counts ---------------------------------------------------------------

    async def completion(self, cycle_id: uuid.UUID) -> list[CompletionRow]:
        rows = await self.session.execute(
            text(
                """
                SELECT s.unit_id, r.relationship, r.status, count(*) AS n
                FROM feedback_requests r
                JOIN feedback_subjects s
                  ON s.cycle_id = r.cycle_id AND s.employee_id = r.subject_employee_id
                WHERE r.cycle_id = :cycle_id AND r.status <> 'nominated'
                GROUP BY s.unit_id, r.relationship, r.status
                """
            ),
            {"cycle_id": cycle_id},
        )
        return [CompletionRow(r.unit_id, r.relationship, r.status, int(r.n)) for r in rows]

    async def subjects_by_unit(self, cycle_id: uuid.UUID) -> list[Any]:
        rows = await self.session.execute(
            text(
                """
                SELECT s.unit_id, u.name AS unit_name, count(*) AS n
                FROM feedback_subjects s LEFT JOIN units u ON u.id = s.unit_id
                WHERE s.cycle_id = :cycle_id
                GROUP BY s.unit_id, u.name
                ORDER BY u.name NULLS LAST, s.unit_id
                """
            ),
            {"cycle_id": cycle_id},
        )
        return list(rows)

    async def reminders_due(self, cycle_id: uuid.UUID, now: datetime) -> int:
        stmt = text(
            """
            SELECT count(*)
            FROM feedback_requests r JOIN feedback_cycles c ON c.id = r.cycle_id
            WHERE r.cycle_id = :cycle_id AND c.state = 'open' AND c.deadline > :now
              AND r.status IN ('pending', 'draft')
              AND (r.reminded_at IS NULL OR r.reminded_at <= :since)
            """
        )
        found = await self.session.execute(
            stmt, {"cycle_id": cycle_id, "now": now, "since": now - REMINDER_INTERVAL}
        )
        return int(found.scalar_one())

    # --- publishing ---------------------------------------------------------------------------

    async def store_reports(
        self,
        cycle_id: uuid.UUID,
        bodies: Sequence[tuple[uuid.UUID, str]],
        published_at: datetime,
    ) -> None:
        """The frozen bodies (JSON text), with one COPY."""
        conn = await self._driver()
        await conn.execute("DELETE FROM feedback_reports WHERE cycle_id = $1", cycle_id)
        await conn.copy_records_to_table(
            "feedback_reports",
            records=[(cycle_id, employee_id, body, published_at) for employee_id, body in bodies],
            columns=["cycle_id", "subject_employee_id", "body", "published_at"],
        )

    async def store_statistics(
        self, cycle_id: uuid.UUID, body: dict[str, Any], published_at: datetime
    ) -> None:
        await self.session.execute(
            delete(CycleStatistics).where(CycleStatistics.cycle_id == cycle_id)
        )
        self.session.add(CycleStatistics(cycle_id=cycle_id, body=body, published_at=published_at))
        await self.session.flush()

    async def frozen_statistics(self, cycle_id: uuid.UUID) -> dict[str, Any] | None:
        stmt = select(CycleStatistics.body).where(CycleStatistics.cycle_id == cycle_id)
        body: dict[str, Any] | None = (await self.session.scalars(stmt)).one_or_none()
        return body

    async def lock_employees(self, employee_ids: Sequence[uuid.UUID]) -> None:
        """Serialise with other changes of these people's current levels, as the profiles
        service does for one (``HistoryRepository.lock_employee``); in id order."""
        if employee_ids:
            conn = await self._driver()
            await conn.execute(
                "SELECT 1 FROM employees WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE",
                list(employee_ids),
            )

    async def insert_assessments(
        self,
        rows: Sequence[tuple[uuid.UUID, int, int]],
        *,
        assessed_on: date,
        notes: str,
        principal: Principal,
        agency_code: str,
        request_id: str | None,
    ) -> int:
        """Competency assessments (employee, competency, level) with source
        ``feedback_360``, and their audit rows as the profiles service writes them
        (``competency_assessment.created``, the created fields, the employee's NIP)."""
        if not rows:
            return 0
        conn = await self._driver()
        employees, competencies, levels = (list(column) for column in zip(*rows, strict=True))
        await conn.execute(
            """
            WITH created AS (
                INSERT INTO competency_assessments
                    (id, employee_id, competency_id, level, source, assessed_on, notes)
                SELECT gen_random_uuid(), t.employee_id, t.competency_id, t.level,
                       'feedback_360', $4::date, $5::text
                FROM unnest($1::uuid[], $2::int4[], $3::int2[])
                     AS t(employee_id, competency_id, level)
                RETURNING id, employee_id, competency_id, level, source, assessed_on, notes
            )
            INSERT INTO audit_log (actor, actor_role, action, entity_type, entity_id,
                                   agency_code, changes, request_id, api_key_id, nip)
            SELECT $6::text, $7::text, 'competency_assessment.created', 'competency_assessment',
                   c.id::text, $8::text,
                   jsonb_build_object(
                       'assessed_on', jsonb_build_object('before', NULL,
                                                         'after', c.assessed_on::text),
                       'competency_id', jsonb_build_object('before', NULL,
                                                           'after', c.competency_id),
                       'level', jsonb_build_object('before', NULL, 'after', c.level),
                       'nip', jsonb_build_object('before', NULL, 'after', e.nip),
                       'notes', jsonb_build_object('before', NULL, 'after', c.notes),
                       'source', jsonb_build_object('before', NULL, 'after', c.source)),
                   $9::text, $10::uuid, e.nip
            FROM created c JOIN employees e ON e.id = c.employee_id
            """,
            employees,
            competencies,
            levels,
            assessed_on,
            notes,
            principal.subject,
            principal.role.value,
            agency_code,
            request_id,
            uuid.UUID(principal.api_key_id) if principal.api_key_id else None,
        )
        return len(rows)

    @staticmethod
    def report_events(cycle_id: uuid.UUID) -> Select[Any]:
        """``(agency_code, payload)`` of one ``feedback.report.published`` per stored report:
        who may now read a report, never what it says."""
        return (
            select(
                Cycle.agency_code,
                func.jsonb_build_object(
                    "cycle_id",
                    Cycle.id,
                    "employee_id",
                    Employee.id,
                    "nip",
                    Employee.nip,
                    "published_at",
                    Report.published_at,
                ),
            )
            .join(Report, Report.cycle_id == Cycle.id)
            .join(Employee, Employee.id == Report.subject_employee_id)
            .where(Cycle.id == cycle_id)
        )
