"""The agency named by ``?agency=`` and its talent policy: the stored one, or the defaults of
``rules.DEFAULT_POLICY`` until the agency stores its own."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import field_problem, field_problems
from asn_career.core.etag import check_if_match
from asn_career.org.service import AgencyService
from asn_career.talent import rules
from asn_career.talent.models import TalentPolicy
from asn_career.talent.policy.repository import TalentPolicyRepository
from asn_career.talent.policy.schemas import TalentPolicyIn, TalentPolicyOut

ENTITY = "talent_policy"
EVENT = "talent.policy.updated"


def to_rules(row: TalentPolicy | None) -> rules.Policy:
    if row is None:
        return rules.DEFAULT_POLICY
    return rules.Policy(
        performance_source=row.performance_source,
        potential_medium_from=row.potential_medium_from,
        potential_high_from=row.potential_high_from,
        competency_weight=row.competency_weight,
        feedback_weight=row.feedback_weight,
        calibrated_sources=tuple(row.calibrated_sources),
    )


def _payload(before: Any, after: Any) -> dict[str, Any]:
    return {"policy": after, "previous": before}


class TalentPolicyService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = TalentPolicyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def agency(self, agency: str | None) -> str:
        return await AgencyService(self.session, self.principal).resolve(agency)

    async def effective(self, agency: str) -> rules.Policy:
        return to_rules(await self.repository.get(agency))

    async def out(self, agency: str) -> TalentPolicyOut:
        row = await self.repository.get(agency)
        policy = to_rules(row)
        return TalentPolicyOut(
            agency_code=agency,
            performance_source=policy.performance_source,
            potential_medium_from=policy.potential_medium_from,
            potential_high_from=policy.potential_high_from,
            competency_weight=policy.competency_weight,
            feedback_weight=policy.feedback_weight,
            calibrated_sources=list(policy.calibrated_sources),
            is_default=row is None,
            version=row.version if row is not None else 0,
        )

    async def put(self, agency: str, body: TalentPolicyIn, if_match: str | None) -> TalentPolicyOut:
        values = body.model_dump()
        values["calibrated_sources"] = sorted(
            set(values["calibrated_sources"]), key=rules.CALIBRATABLE_SOURCES.index
        )
        problems = rules.policy_problems(
            rules.Policy(**{**values, "calibrated_sources": tuple(values["calibrated_sources"])})
        )
        if problems:
            raise field_problems(
                [field_problem(f, en, id_, "policy_rule") for f, en, id_ in problems]
            )
        row = await self.repository.get(agency, lock=True)
        check_if_match(if_match, row.version if row is not None else 0)
        if row is None:
            row = TalentPolicy(agency_code=agency, **values)
            self.repository.add(row)
            await self.changes.created(
                row, after=snapshot, entity_type=ENTITY, agency_code=agency,
                event=EVENT, payload=_payload,
            )  # fmt: skip
        else:
            before = snapshot(row)
            for name, value in values.items():
                setattr(row, name, value)
            await self.changes.updated(
                row, before=before, after=snapshot, entity_type=ENTITY, agency_code=agency,
                event=EVENT, payload=_payload, unless_unchanged=True,
            )  # fmt: skip
        return await self.out(agency)
