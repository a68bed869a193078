"""The agency named by ``?agency=`` and its rotation policy: the stored one, or the
defaults of ``rules.DEFAULT_POLICY`` until the agency stores its own."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import field_problem, field_problems
from asn_career.core.etag import check_if_match
from asn_career.org.service import AgencyService
from asn_career.rotations import rules
from asn_career.rotations.models import RotationPolicy
from asn_career.rotations.policy.repository import PolicyRepository
from asn_career.rotations.policy.schemas import PolicyIn, PolicyOut, Weights

ENTITY = "rotation_policy"


def to_rules(row: RotationPolicy | None) -> rules.Policy:
    if row is None:
        return rules.DEFAULT_POLICY
    weights = {**rules.DEFAULT_WEIGHTS, **{k: float(v) for k, v in row.weights.items()}}
    return rules.Policy(
        min_months=row.min_months,
        max_months=row.max_months,
        max_months_jpt=row.max_months_jpt,
        retirement_buffer_months=row.retirement_buffer_months,
        first_year_months=row.first_year_months,
        enforce_grade_range=row.enforce_grade_range,
        weights=weights,
    )


def _payload(before: Any, after: Any) -> dict[str, Any]:
    return {"policy": after, "previous": before}


class PolicyService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = PolicyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def agency(self, agency: str | None) -> str:
        return await AgencyService(self.session, self.principal).resolve(agency)

    async def effective(self, agency: str) -> rules.Policy:
        return to_rules(await self.repository.get(agency))

    async def out(self, agency: str) -> PolicyOut:
        row = await self.repository.get(agency)
        policy = to_rules(row)
        return PolicyOut(
            agency_code=agency,
            min_months=policy.min_months,
            max_months=policy.max_months,
            max_months_jpt=policy.max_months_jpt,
            retirement_buffer_months=policy.retirement_buffer_months,
            first_year_months=policy.first_year_months,
            enforce_grade_range=policy.enforce_grade_range,
            weights=Weights(**policy.weights),
            is_default=row is None,
            version=row.version if row is not None else 0,
        )

    async def put(self, agency: str, body: PolicyIn, if_match: str | None) -> PolicyOut:
        problems = rules.policy_problems(
            body.min_months, body.max_months, body.max_months_jpt, body.weights.model_dump()
        )
        if problems:
            raise field_problems(
                [field_problem(f, en, id_, "policy_rule") for f, en, id_ in problems]
            )
        row = await self.repository.get(agency, lock=True)
        check_if_match(if_match, row.version if row is not None else 0)
        values = body.model_dump()
        if row is None:
            row = RotationPolicy(agency_code=agency, **values)
            self.repository.add(row)
            await self.changes.created(
                row, after=snapshot, entity_type=ENTITY, agency_code=agency,
                event="rotation.policy.updated", payload=_payload,
            )  # fmt: skip
        else:
            before = snapshot(row)
            for name, value in values.items():
                setattr(row, name, value)
            await self.changes.updated(
                row, before=before, after=snapshot, entity_type=ENTITY, agency_code=agency,
                event="rotation.policy.updated", payload=_payload, unless_unchanged=True,
            )  # fmt: skip
        return await self.out(agency)
