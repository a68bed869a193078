"""Recording and removing close relationships, audited with events."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import Conflict, NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.rotations.models import Relative
from asn_career.rotations.policy.service import PolicyService
from asn_career.rotations.relatives.repository import RelativeRepository
from asn_career.rotations.relatives.schemas import RelativeCreate, RelativeOut

ENTITY = "rotation_relative"


def _out(row: Any) -> RelativeOut:
    r, nip, name, relative_nip, relative_name = row
    return RelativeOut(
        id=r.id,
        agency_code=r.agency_code,
        nip=nip,
        name=name,
        relative_nip=relative_nip,
        relative_name=relative_name,
        relationship=r.relationship,
        created_at=r.created_at,
    )


def _payload(before: Any, after: Any) -> dict[str, Any]:
    return dict(after or before or {})


class RelativeService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = RelativeRepository(session)
        self.changes = ChangeRecorder(session, principal)
        self.policies = PolicyService(session, principal)

    async def get_visible(self, relative_id: uuid.UUID) -> Relative:
        row = await self.repository.get_visible(self.principal, relative_id)
        if row is None:
            raise NotFound()
        return row

    async def page(
        self, agency: str | None, nip: str | None, page: PageRequest
    ) -> tuple[list[RelativeOut], str | None]:
        code = await self.policies.agency(agency)
        rows, cursor = await self.repository.page(code, nip, page)
        return [_out(r) for r in rows], cursor

    async def create(self, agency: str | None, body: RelativeCreate) -> RelativeOut:
        code = await self.policies.agency(agency)
        if body.nip == body.relative_nip:
            raise field_problem(
                "relative_nip",
                "A person is not their own relative.",
                "Seseorang bukan kerabat dirinya sendiri.",
                "same_person",
            )
        found = await self.repository.employees(code, [body.nip, body.relative_nip])
        for field, nip in (("nip", body.nip), ("relative_nip", body.relative_nip)):
            if nip not in found:
                raise field_problem(
                    field,
                    f"No employee {nip} in agency {code}.",
                    f"Tidak ada pegawai {nip} di instansi {code}.",
                    "unknown_nip",
                )
        a, b = sorted([found[body.nip].id, found[body.relative_nip].id])
        if await self.repository.pair(a, b) is not None:
            raise Conflict(
                "This relationship is recorded already.",
                detail_id="Hubungan kekerabatan ini sudah tercatat.",
                code="rotation_relative_exists",
            )
        row = Relative(
            agency_code=code, employee_id=a, relative_id=b, relationship=body.relationship
        )
        self.repository.add(row)
        await self.changes.created(
            row,
            after=snapshot,
            entity_type=ENTITY,
            agency_code=code,
            event="rotation.relative.recorded",
            payload=_payload,
        )
        return _out(await self.repository.row(row.id))

    async def delete(self, row: Relative) -> None:
        before = snapshot(row)
        await self.repository.delete(row)
        await self.changes.changed(
            "deleted",
            row,
            before=before,
            after=None,
            entity_type=ENTITY,
            agency_code=row.agency_code,
            event="rotation.relative.deleted",
            payload=_payload,
        )
