"""Rules of the organisation reference: who may change what, tree and reporting-line
integrity, rank ranges, competency requirements; every change leaves an audit row."""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.db import new_uuid, utcnow
from asn_career.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    field_problem,
    field_problems,
)
from asn_career.core.pagination import PageRequest
from asn_career.org.models import (
    Agency,
    Competency,
    EducationLevel,
    Position,
    Rank,
    Unit,
)
from asn_career.org.repository import (
    AgencyRepository,
    CompetencyFilters,
    CompetencyRepository,
    PositionFilters,
    PositionRepository,
    ReferenceRepository,
    UnitFilters,
    UnitRepository,
)
from asn_career.org.rules import (
    CompetencyKind,
    creates_reporting_cycle,
    creates_unit_cycle,
    duplicate_requirement_violation,
    next_technical_code,
    position_shape_violations,
)
from asn_career.org.schemas import (
    AgencyCreate,
    AgencyUpdate,
    CompetencyCreate,
    PositionCreate,
    PositionUpdate,
    RequiredCompetency,
    UnitCreate,
    UnitUpdate,
)

__all__ = [
    "AgencyService",
    "CompetencyFilters",
    "CompetencyService",
    "PositionFilters",
    "PositionService",
    "PositionView",
    "ReferenceService",
    "UnitFilters",
    "UnitService",
]


# --- agencies --------------------------------------------------------------------------


class AgencyService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = AgencyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get_visible(self, code: str) -> Agency:
        agency = await self.repository.get_visible(self.principal, code)
        if agency is None:
            raise NotFound()
        return agency

    async def resolve(self, code: str | None) -> str:
        """The agency a request is about: the one named, or an HR officer's only agency when
        none is. One the caller may not see, or that does not exist, is a 404."""
        if code is None:
            if self.principal.is_admin or len(self.principal.agencies) != 1:
                raise field_problem(
                    ["query", "agency"],
                    "agency is required: name the agency",
                    "agency wajib diisi: sebutkan instansinya",
                    "missing",
                    each=["field required"],
                    each_id=["wajib diisi"],
                )
            [code] = self.principal.agencies
        return (await self.get_visible(code)).code

    async def list_page(self, page: PageRequest) -> tuple[list[Agency], str | None]:
        return await self.repository.list_page(self.principal, page)

    async def create(self, body: AgencyCreate) -> Agency:
        if await self.repository.exists(body.code):
            raise Conflict(
                f"Agency {body.code} already exists",
                detail_id=f"Instansi {body.code} sudah ada",
            )
        agency = Agency(code=body.code, name=body.name, region_code=body.region_code)
        self.repository.add(agency)
        await self.changes.created(
            agency, entity_type="agency", agency_code=agency.code, after=snapshot
        )
        return agency

    async def update(self, agency: Agency, body: AgencyUpdate) -> Agency:
        self.principal.require_agency(agency.code)
        if (
            body.region_code is not None
            and body.region_code != agency.region_code
            and not self.principal.is_admin
        ):
            raise Forbidden(
                "Only administrators change an agency's region code",
                detail_id="Hanya administrator yang dapat mengubah kode wilayah instansi",
                code="agency_forbidden",
            )
        before = snapshot(agency)
        if body.name is not None:
            agency.name = body.name
        if body.region_code is not None:
            agency.region_code = body.region_code
        await self.changes.updated(
            agency, entity_type="agency", agency_code=agency.code, before=before, after=snapshot
        )
        return agency


# --- units -----------------------------------------------------------------------------


def _unit_snapshot(unit: Unit) -> dict[str, Any]:
    return snapshot(unit, exclude=("agency_code",))


class UnitService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = UnitRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get_visible(self, unit_id: uuid.UUID) -> Unit:
        unit = await self.repository.get_visible(self.principal, unit_id)
        if unit is None:
            raise NotFound()
        return unit

    async def list_page(
        self, agency: Agency, filters: UnitFilters, page: PageRequest
    ) -> tuple[list[Unit], str | None]:
        return await self.repository.list_page(self.principal, agency.code, filters, page)

    async def _parent(self, agency_code: str, parent_id: uuid.UUID) -> Unit:
        parent = await self.repository.get_in_agency(agency_code, parent_id, fresh=True)
        if parent is None:
            raise field_problem(
                "parent_id",
                "the parent unit does not exist in this agency",
                "unit induk tidak ada di instansi ini",
                "parent_not_found",
            )
        return parent

    async def _check_code_free(
        self, agency_code: str, code: str, other_than: uuid.UUID | None = None
    ) -> None:
        if await self.repository.code_taken(agency_code, code, other_than=other_than):
            raise Conflict(
                f"Unit code {code!r} is already used in agency {agency_code}",
                detail_id=f"Kode unit {code!r} sudah dipakai di instansi {agency_code}",
            )

    async def create(self, agency: Agency, body: UnitCreate) -> Unit:
        self.principal.require_agency(agency.code)
        await self._check_code_free(agency.code, body.code)
        unit_id = new_uuid()
        path = [unit_id]
        if body.parent_id is not None:
            # The lock keeps the parent's path current while we copy it.
            await self.repository.lock_tree(agency.code)
            parent = await self._parent(agency.code, body.parent_id)
            path = [*parent.path, unit_id]
        unit = Unit(
            id=unit_id,
            agency_code=agency.code,
            code=body.code,
            name=body.name,
            kind=body.kind.value,
            parent_id=body.parent_id,
            path=path,
        )
        self.repository.add(unit)
        await self.changes.created(
            unit, entity_type="unit", agency_code=unit.agency_code, after=_unit_snapshot
        )
        return unit

    async def update(self, unit: Unit, body: UnitUpdate) -> Unit:
        self.principal.require_agency(unit.agency_code)
        fields = body.model_fields_set
        moving = "parent_id" in fields and body.parent_id != unit.parent_id
        if moving:
            await self.repository.lock_tree(unit.agency_code)
            await self.repository.reload(unit)  # its path may have moved meanwhile
        before = _unit_snapshot(unit)
        if body.code is not None and body.code != unit.code:
            await self._check_code_free(unit.agency_code, body.code, other_than=unit.id)
            unit.code = body.code
        if body.name is not None:
            unit.name = body.name
        if body.kind is not None:
            unit.kind = body.kind.value
        moved = 0
        if moving:
            new_path = [unit.id]
            if body.parent_id is not None:
                parent = await self._parent(unit.agency_code, body.parent_id)
                if creates_unit_cycle(unit.id, parent.path):
                    raise field_problem(
                        "parent_id",
                        "a unit cannot move under itself or one of its sub-units",
                        "unit tidak dapat dipindah ke bawah dirinya sendiri atau sub-unitnya",
                        "unit_cycle",
                    )
                new_path = [*parent.path, unit.id]
            unit.parent_id = body.parent_id
            unit.path = new_path
        await self.session.flush()
        if moving:
            moved = await self.repository.move_descendants(unit.id, unit.path)
        await self.changes.updated(
            unit,
            entity_type="unit",
            agency_code=unit.agency_code,
            before=before,
            after=lambda unit: (
                _unit_snapshot(unit) | ({"descendants_moved": moved} if moved else {})
            ),
        )
        return unit


# --- positions -------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionView:
    """A position with what is derived from other tables."""

    position: Position
    is_vacant: bool
    requirements: list[tuple[Competency, int]]


def _position_snapshot(
    position: Position, requirements: Sequence[tuple[Competency, int]]
) -> dict[str, Any]:
    required = [f"{c.code}:{level}" for c, level in requirements]
    return snapshot(position, exclude=("agency_code",), extra={"required_competencies": required})


class PositionService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = PositionRepository(session)
        self.units = UnitRepository(session)
        self.competencies = CompetencyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get_visible(self, position_id: uuid.UUID) -> Position:
        position = await self.repository.get_visible(self.principal, position_id)
        if position is None:
            raise NotFound()
        return position

    async def views(self, positions: Sequence[Position]) -> list[PositionView]:
        ids = [p.id for p in positions]
        held = await self.repository.held_among(ids)
        requirements = await self.repository.requirements_of(ids)
        return [PositionView(p, p.id not in held, requirements[p.id]) for p in positions]

    async def view(self, position: Position) -> PositionView:
        return (await self.views([position]))[0]

    async def list_page(
        self, filters: PositionFilters, page: PageRequest
    ) -> tuple[list[PositionView], str | None]:
        positions, next_cursor = await self.repository.list_page(self.principal, filters, page)
        return await self.views(positions), next_cursor

    async def _resolve_requirements(
        self, agency_code: str, required: Sequence[RequiredCompetency]
    ) -> list[tuple[Competency, int]]:
        counts = Counter(r.code for r in required)
        duplicate = duplicate_requirement_violation([r.code for r in required])
        if duplicate is not None:
            raise field_problem(duplicate.field, duplicate.msg, duplicate.msg_id, duplicate.type)
        found = await self.competencies.usable_by(agency_code, counts)
        unknown = sorted(set(counts) - set(found))
        if unknown:
            raise field_problem(
                "required_competencies",
                f"unknown competencies for agency {agency_code}: {', '.join(unknown)}",
                f"kompetensi tidak dikenal untuk instansi {agency_code}: {', '.join(unknown)}",
                "unknown_competency",
            )
        return [(found[r.code], r.level) for r in required]

    async def _check_code_free(
        self, agency_code: str, code: str, other_than: uuid.UUID | None = None
    ) -> None:
        if await self.repository.code_taken(agency_code, code, other_than=other_than):
            raise Conflict(
                f"Position code {code!r} is already used in agency {agency_code}",
                detail_id=f"Kode jabatan {code!r} sudah dipakai di instansi {agency_code}",
            )

    async def _check_superior(
        self, agency_code: str, position_id: uuid.UUID, superior_id: uuid.UUID
    ) -> None:
        superior = await self.repository.get_in_agency(agency_code, superior_id)
        if superior is None:
            raise field_problem(
                "reports_to_position_id",
                "the superior position does not exist in this agency",
                "jabatan atasan tidak ada di instansi ini",
                "superior_not_found",
            )
        chain = await self.repository.superior_chain(superior_id)
        if creates_reporting_cycle(position_id, chain):
            raise field_problem(
                "reports_to_position_id",
                "a position cannot report to itself or to a position below it",
                "jabatan tidak dapat melapor kepada dirinya sendiri atau jabatan di bawahnya",
                "reporting_cycle",
            )

    @staticmethod
    def _check_shape(
        kind: str, functional_level: str | None, min_rank: str | None, max_rank: str | None
    ) -> None:
        problems = position_shape_violations(kind, functional_level, min_rank, max_rank)
        if problems:
            raise field_problems(
                [field_problem(p.field, p.msg, p.msg_id, p.type) for p in problems]
            )

    async def create(self, body: PositionCreate) -> PositionView:
        unit = await self.units.get_visible(self.principal, body.unit_id)
        if unit is None:
            raise field_problem("unit_id", "unknown unit", "unit tidak ditemukan", "unit_not_found")
        agency_code = unit.agency_code
        self.principal.require_agency(agency_code)
        functional_level = body.functional_level.value if body.functional_level else None
        self._check_shape(body.kind.value, functional_level, body.min_rank, body.max_rank)
        requirements = await self._resolve_requirements(agency_code, body.required_competencies)
        await self._check_code_free(agency_code, body.code)
        position_id = new_uuid()
        if body.reports_to_position_id is not None:
            await self._check_superior(agency_code, position_id, body.reports_to_position_id)
        position = Position(
            id=position_id,
            agency_code=agency_code,
            unit_id=unit.id,
            code=body.code,
            title=body.title,
            kind=body.kind.value,
            functional_level=functional_level,
            min_rank=body.min_rank,
            max_rank=body.max_rank,
            reports_to_position_id=body.reports_to_position_id,
            preferred_education_fields=list(body.preferred_education_fields),
            is_shared=body.is_shared,
        )
        self.repository.add(position)
        await self.session.flush()
        await self.repository.replace_requirements(
            position.id, [(c.id, level) for c, level in requirements]
        )
        await self.changes.created(
            position,
            entity_type="position",
            agency_code=agency_code,
            after=lambda position: _position_snapshot(position, requirements),
        )
        return await self.view(position)

    async def update(self, position: Position, body: PositionUpdate) -> PositionView:
        agency_code = position.agency_code
        self.principal.require_agency(agency_code)
        fields = body.model_fields_set
        current = await self.view(position)
        before = _position_snapshot(position, current.requirements)

        kind = body.kind.value if body.kind is not None else position.kind
        functional_level = position.functional_level
        if "functional_level" in fields:
            functional_level = body.functional_level.value if body.functional_level else None
        min_rank = body.min_rank if "min_rank" in fields else position.min_rank
        max_rank = body.max_rank if "max_rank" in fields else position.max_rank
        self._check_shape(kind, functional_level, min_rank, max_rank)

        requirements = current.requirements
        if body.required_competencies is not None:
            requirements = await self._resolve_requirements(agency_code, body.required_competencies)
        if body.code is not None and body.code != position.code:
            await self._check_code_free(agency_code, body.code, other_than=position.id)
            position.code = body.code
        if body.unit_id is not None and body.unit_id != position.unit_id:
            if await self.units.get_in_agency(agency_code, body.unit_id) is None:
                raise field_problem(
                    "unit_id",
                    "the unit does not exist in the position's agency",
                    "unit tidak ada di instansi jabatan ini",
                    "unit_not_found",
                )
            position.unit_id = body.unit_id
        if (
            "reports_to_position_id" in fields
            and body.reports_to_position_id != position.reports_to_position_id
        ):
            if body.reports_to_position_id is not None:
                await self.repository.lock_reporting_line(agency_code)
                await self._check_superior(agency_code, position.id, body.reports_to_position_id)
            position.reports_to_position_id = body.reports_to_position_id
        if body.title is not None:
            position.title = body.title
        position.kind = kind
        position.functional_level = functional_level
        position.min_rank = min_rank
        position.max_rank = max_rank
        if body.preferred_education_fields is not None:
            position.preferred_education_fields = list(body.preferred_education_fields)
        if body.is_shared is not None:
            position.is_shared = body.is_shared
        if body.required_competencies is not None:
            await self.repository.replace_requirements(
                position.id, [(c.id, level) for c, level in requirements]
            )
            position.updated_at = utcnow()  # a new version, so the ETag changes
        await self.changes.updated(
            position,
            entity_type="position",
            agency_code=agency_code,
            before=before,
            after=lambda position: _position_snapshot(position, requirements),
        )
        return await self.view(position)


# --- competencies ----------------------------------------------------------------------


class CompetencyService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = CompetencyRepository(session)
        self.agencies = AgencyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def get_for_agency(self, agency: Agency, code: str) -> Competency:
        """A national competency, or one of this (visible) agency's technical ones."""
        competency = (await self.repository.usable_by(agency.code, [code])).get(code)
        if competency is None:
            raise NotFound()
        return competency

    async def list_page(
        self, filters: CompetencyFilters, page: PageRequest
    ) -> tuple[list[Competency], str | None]:
        return await self.repository.list_page(self.principal, filters, page)

    async def create(self, body: CompetencyCreate) -> Competency:
        self.principal.require_agency(body.agency_code)
        if not await self.agencies.exists(body.agency_code):
            raise field_problem(
                "agency_code",
                f"agency {body.agency_code} does not exist",
                f"instansi {body.agency_code} tidak ada",
                "agency_not_found",
            )
        await self.repository.lock_dictionary(body.agency_code)
        code = body.code or next_technical_code(
            await self.repository.codes_of_agency(body.agency_code)
        )
        if await self.repository.code_taken(body.agency_code, code):
            raise Conflict(
                f"Competency {code} already exists in agency {body.agency_code}",
                detail_id=f"Kompetensi {code} sudah ada di instansi {body.agency_code}",
            )
        competency = Competency(
            code=code,
            agency_code=body.agency_code,
            kind=CompetencyKind.TECHNICAL.value,
            name_id=body.name_id,
            name_en=body.name_en,
            descriptors=body.descriptors.model_dump(by_alias=True),
        )
        self.repository.add(competency)
        await self.changes.created(
            competency,
            entity_type="competency",
            agency_code=competency.agency_code,
            after=snapshot,
        )
        return competency


# --- reference -------------------------------------------------------------------------


class ReferenceService:
    def __init__(self, session: AsyncSession) -> None:
        self.repository = ReferenceRepository(session)

    async def ranks(self, scale: str | None) -> list[Rank]:
        return await self.repository.ranks(scale)

    async def education_levels(self) -> list[EducationLevel]:
        return await self.repository.education_levels()
