"""Mentoring programmes: HR of the agency sets them up; everyone of the agency reads them
(employees opt in as mentors or enrol as mentees)."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, EventPayload, Snapshot, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import NotFound, field_problem
from asn_career.core.outbox import changes as changed_fields
from asn_career.core.pagination import PageRequest
from asn_career.mentoring import rules
from asn_career.mentoring.models import Program
from asn_career.mentoring.programs.repository import ProgramRepository
from asn_career.mentoring.programs.schemas import ProgramCreate, ProgramOut, ProgramUpdate

ENTITY = "mentoring_program"


def program_rules(row: Program) -> rules.ProgramRules:
    return rules.ProgramRules(
        seniority_basis=row.seniority_basis,  # type: ignore[arg-type]
        min_gap=row.min_gap,
        band_width=row.band_width,
        exclude_reporting_line=row.exclude_reporting_line,
        unit_rule=row.unit_rule,  # type: ignore[arg-type]
        default_capacity=row.default_capacity,
        objective=row.objective,  # type: ignore[arg-type]
    )


def _payload(row: Program, verb: str) -> EventPayload:
    ids = {"action": verb, "program_id": str(row.id), "name": row.name}

    def build(before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
        return ids | {"changes": changed_fields(before, after)}

    return build


def _check(values: dict[str, Any]) -> None:
    if rules.period_problem(values["starts_on"], values["ends_on"]):
        raise field_problem(
            "ends_on",
            "ends_on is before starts_on",
            "tanggal selesai sebelum tanggal mulai",
            "date_order",
        )
    if rules.weights_problem(values["weights"]) is not None:
        raise field_problem(
            "weights",
            "at least one weight must be above zero",
            "paling sedikit satu bobot harus lebih dari nol",
            "weights_all_zero",
        )


class ProgramService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ProgramRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get(self, program_id: uuid.UUID, *, lock: bool = False) -> Program:
        row = await self.repository.get(self.principal, program_id, lock=lock)
        if row is None:
            raise NotFound()
        return row

    async def list_page(
        self, agency: str | None, page: PageRequest
    ) -> tuple[list[ProgramOut], str | None]:
        rows, cursor = await self.repository.list_page(self.principal, agency, page)
        return [ProgramOut.model_validate(r) for r in rows], cursor

    async def create(self, body: ProgramCreate) -> Program:
        self.principal.require_agency(body.agency_code)
        if not await self.repository.agency_exists(body.agency_code):
            raise field_problem(
                "agency_code",
                f"agency {body.agency_code} is not registered",
                f"instansi {body.agency_code} belum terdaftar",
                "agency_not_found",
            )
        values = body.model_dump()
        basis = body.seniority_basis
        values["min_gap"] = rules.DEFAULT_MIN_GAP[basis] if body.min_gap is None else body.min_gap
        if body.band_width is None:
            values["band_width"] = rules.DEFAULT_BAND_WIDTH[basis]
        _check(values)
        row = Program(id=uuid.uuid4(), **values)
        self.repository.add(row)
        await self.changes.created(
            row,
            after=snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="mentoring.program.created",
            payload=_payload(row, "created"),
        )
        return row

    async def update(self, row: Program, body: ProgramUpdate) -> Program:
        self.principal.require_agency(row.agency_code)
        changes = body.model_dump(exclude_unset=True)
        current = {name: getattr(row, name) for name in ("starts_on", "ends_on", "weights")}
        _check(current | changes)
        before = snapshot(row)
        for name, value in changes.items():
            setattr(row, name, value)
        await self.changes.updated(
            row,
            before=before,
            after=snapshot,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="mentoring.program.updated",
            payload=_payload(row, "updated"),
            unless_unchanged=True,
        )
        return row
