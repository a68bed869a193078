"""Training needs: the page HR, supervisors and employees read, and every need of an
agency for the planner (``for_plan``)."""

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal, Role
from asn_career.core.errors import field_problem
from asn_career.core.pagination import PageRequest
from asn_career.training.needs import rules
from asn_career.training.needs.repository import NeedFilters, NeedRepository
from asn_career.training.needs.schemas import NeedOut, NeedReasonOut
from asn_career.training.rules import Need

__all__ = ["NeedFilters", "NeedsService"]


def facts_of(row: Row[Any]) -> rules.NeedFacts:
    return rules.NeedFacts(
        position_level=row.position_level,
        target_level=row.target_level,
        current_level=row.current_level,
        predicate=row.predicate,
        position_kind=row.position_kind,
        years_since_training=row.years_since_training,
        hours_this_year=Decimal(row.hours_this_year),
        endorsed_request=bool(row.endorsed_request),
    )


def _out(row: Row[Any]) -> NeedOut:
    facts = facts_of(row)
    parts = rules.priority_parts(facts)
    values: dict[rules.ReasonCode, bool | int | float | str | None] = {
        "gap": rules.position_gap(facts),
        "target_gap": rules.target_gap(facts),
        "performance": facts.predicate,
        "criticality": facts.position_kind,
        "training_age": facts.years_since_training,
        "hours_shortfall": float(facts.hours_this_year),
        "endorsed_request": facts.endorsed_request,
    }
    return NeedOut(
        employee_id=row.employee_id,
        nip=row.nip,
        name=row.name,
        unit_id=row.unit_id,
        position_id=row.position_id,
        position_kind=row.position_kind,
        competency_id=row.competency_id,
        competency_code=row.competency_code,
        competency_name=row.competency_name,
        required_level=row.position_level,
        target_level=row.target_level,
        current_level=row.current_level,
        assessed=row.current_level is not None,
        gap=row.gap,
        priority=float(row.priority),
        hours_this_year=float(row.hours_this_year),
        reasons=[
            NeedReasonOut(code=code, value=values[code], points=float(points))
            for code, points in parts.items()
        ],
    )


class NeedsService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = NeedRepository(session)

    def _check_agency(self, agency: str | None) -> None:
        """HR (officers and integrations) name the agency; supervisors and employees see
        their own line or themselves anyway, and administrators every agency."""
        if agency is None and self.principal.role in (Role.HR_OFFICER, Role.INTEGRATION):
            raise field_problem(
                ["query", "agency"],
                "agency is required",
                "instansi wajib diisi",
                "missing",
                code="agency_required",
            )

    async def list_page(
        self, filters: NeedFilters, page: PageRequest
    ) -> tuple[list[NeedOut], str | None]:
        self._check_agency(filters.agency)
        rows, next_cursor = await self.repository.page(self.principal, filters, page)
        return [_out(r) for r in rows], next_cursor

    async def of_employee(self, nip: str, agency: str, year: int) -> list[NeedOut]:
        """Every positive need of one employee the caller may see in ``year``, highest
        priority first, as ``GET /training/needs?nip=`` gives them (one statement)."""
        filters = NeedFilters(year=year, agency=agency, nip=nip)
        return [_out(r) for r in await self.repository.all(self.principal, filters)]

    async def for_plan(
        self, agency_code: str, year: int, unit_ids: Sequence[uuid.UUID] | None = None
    ) -> list[Need]:
        """Every positive need of the agency in ``year`` (all pages), highest priority
        first, as the planner takes them. The caller must act for the agency."""
        self.principal.require_agency(agency_code)
        filters = NeedFilters(year=year, agency=agency_code, unit_ids=tuple(unit_ids or ()))
        rows = await self.repository.all(self.principal, filters, details=False)
        return [
            Need(
                employee_id=r.employee_id,
                competency_id=r.competency_id,
                gap=float(r.gap),
                priority=r.priority,
                unit_id=r.unit_id,
                gender=r.gender,
                rank_code=r.rank_code,
                position_kind=r.position_kind,
                hours_this_year=r.hours_this_year,
            )
            for r in rows
        ]
