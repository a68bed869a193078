"""Eligibility of an agency's employees under its policy, a page at a time."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest
from asn_career.org.rules import today_in_indonesia
from asn_career.rotations import rules
from asn_career.rotations.eligibility.repository import EligibilityRepository
from asn_career.rotations.eligibility.schemas import EligibilityOut, Reason
from asn_career.rotations.policy.service import PolicyService


def eligibility_out(row: Any) -> EligibilityOut:
    reasons = [Reason(code=c, message=rules.REASONS[c][0], message_id=rules.REASONS[c][1])
               for c in row["reasons"]]  # fmt: skip
    months = row["months_in_position"]
    return EligibilityOut(
        nip=row["nip"], name=row["name"], unit_id=row["unit_id"], position_id=row["position_id"],
        position_title=row["position_title"], position_kind=row["position_kind"],
        position_start=row["position_start"],
        months_in_position=int(months) if months is not None else None,
        retirement_age=row["retirement_age"], eligible=not reasons, due=row["due"],
        reasons=reasons,
    )  # fmt: skip


class EligibilityService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = EligibilityRepository(session)
        self.policies = PolicyService(session, principal)

    async def page(
        self,
        agency: str | None,
        unit_id: uuid.UUID | None,
        eligible: bool | None,
        due: bool | None,
        page: PageRequest,
    ) -> tuple[list[EligibilityOut], str | None]:
        code = await self.policies.agency(agency)
        policy = await self.policies.effective(code)
        after = page.after_values(str)
        rows = await self.repository.standings(
            code, policy, today_in_indonesia(), unit_id=unit_id, eligible=eligible, due=due,
            after_nip=after[0] if after else None, limit=page.fetch_size,
        )  # fmt: skip
        items, cursor = page.cut(rows, lambda r: (r["nip"],))
        return [eligibility_out(r) for r in items], cursor
