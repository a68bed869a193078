"""The 9-box of an agency and of one employee, and the succession pool ranked by the
rotation fit (``rotations.fit.service.FitService`` and ``rotations.scoring``: the fit is
not restated here)."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.errors import NotFound
from asn_career.core.pagination import PageRequest
from asn_career.core.sheets import Download, bytes_download, rows_download
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.models import Employee
from asn_career.rotations import scoring
from asn_career.rotations.fit.service import FitService, fit_points
from asn_career.rotations.policy.service import PolicyService as RotationPolicyService
from asn_career.rotations.rules import add_months, retirement_age
from asn_career.talent import charts, rules
from asn_career.talent.ninebox.repository import NineBoxRepository
from asn_career.talent.ninebox.schemas import (
    BoxCountOut,
    EmployeeNineBoxOut,
    InsufficientCountOut,
    MovementOut,
    NineBoxAgencyOut,
    NineBoxEmployeeRow,
    PerformanceAxisOut,
    PotentialAxisOut,
    SuccessionCandidateOut,
    SuccessionOut,
    SuccessionPositionOut,
    TalentActionOut,
    UnitBoxesOut,
)
from asn_career.talent.policy.service import TalentPolicyService

SUCCESSION_SHOWN = 10
FILE_COLUMNS = (
    "nip", "name", "unit_code", "unit_name", "position", "performance", "potential",
    "potential_band", "box", "action", "insufficient_data", "last_year_box",
)  # fmt: skip
NEAR_RETIREMENT_MONTHS = 24


def action(box: int) -> TalentActionOut:
    en, id_ = rules.BOX_ACTIONS[box]
    return TalentActionOut(en=en, id=id_)


def _potential(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


class NineBoxService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = NineBoxRepository(session)
        self.policies = TalentPolicyService(session, principal)

    async def agency_view(
        self,
        agency: str | None,
        year: int,
        box: int | None,
        unit_id: uuid.UUID | None,
        page: PageRequest,
    ) -> NineBoxAgencyOut:
        code = await self.policies.agency(agency)
        policy = await self.policies.effective(code)
        after = page.after_values(str)
        row = await self.repository.agency_view(
            policy, code, year, box=box, unit_id=unit_id,
            after_nip=after[0] if after else None, limit=page.fetch_size,
        )  # fmt: skip
        counts: dict[str, int] = row.counts
        items = [
            NineBoxEmployeeRow(
                nip=r["nip"], name=r["name"], unit_id=r["unit_id"], unit_name=r["unit_name"],
                box=r["box"], insufficient_data=r["reason"], performance=r["performance"],
                potential_band=r["band"], potential=_potential(r["potential"]),
                last_year_box=r["last_box"],
            )
            for r in row.page
        ]  # fmt: skip
        chosen, cursor = page.cut(items, lambda r: (r.nip,))
        return NineBoxAgencyOut(
            agency_code=code,
            year=year,
            employees=sum(counts.values()),
            boxes=[
                BoxCountOut(box=b, count=counts.get(str(b), 0), action=action(b))
                for b in range(9, 0, -1)
            ],
            insufficient_data=[
                InsufficientCountOut(reason=reason, count=counts.get(reason, 0), en=en, id=id_)
                for reason, (en, id_) in rules.INSUFFICIENT.items()
            ],
            units=[
                UnitBoxesOut(
                    unit_id=u["unit_id"],
                    unit_code=u["unit_code"],
                    unit_name=u["unit_name"],
                    total=u["total"],
                    boxes=u["counts"],
                )
                for u in row.units
            ],
            movement=[
                MovementOut(from_box=m["from"], to_box=m["to"], count=m["count"])
                for m in row.movement
            ],
            items=chosen,
            next_cursor=cursor,
        )

    async def agency_file(
        self, agency: str | None, year: int, box: int | None, unit_id: uuid.UUID | None, fmt: str
    ) -> Download:
        """Every employee of the list (the same filters, by NIP) as a CSV or XLSX file; the
        action in Indonesian, as an office files it."""
        code = await self.policies.agency(agency)
        policy = await self.policies.effective(code)
        rows = await self.repository.agency_list(policy, code, year, box=box, unit_id=unit_id)
        cells = [
            (r.nip, r.name, r.unit_code, r.unit_name, r.position_title, r.performance,
             r.potential, r.band, r.box, rules.BOX_ACTIONS[r.box][1] if r.box else None,
             r.reason, r.last_box)
            for r in rows
        ]  # fmt: skip
        return await rows_download(
            f"nine-box-{code}-{year}.{fmt}", "9-box", FILE_COLUMNS, cells, fmt
        )

    async def agency_svg(self, agency: str | None, year: int) -> Download:
        view = await self.agency_view(agency, year, None, None, PageRequest(limit=1))
        svg = charts.nine_box_svg(
            {b.box: b.count for b in view.boxes},
            title=f"Sembilan kotak manajemen talenta {view.agency_code} — {year}",
            no_box=sum(i.count for i in view.insufficient_data),
        )
        return bytes_download(f"nine-box-{view.agency_code}-{year}.svg", charts.SVG_MEDIA_TYPE, svg)

    async def employee(self, employee: Employee, year: int) -> EmployeeNineBoxOut:
        policy = await self.policies.effective(employee.agency_code)
        rows = await self.repository.employee_rows(policy, employee.agency_code, year, employee.id)
        if not rows:  # retired or dismissed: no longer in the population
            raise NotFound()
        this = next(r for r in rows if r["yr"] == year)
        last = next((r for r in rows if r["yr"] == year - 1), None)
        reason = this["reason"]
        return EmployeeNineBoxOut(
            nip=employee.nip,
            name=employee.name,
            year=year,
            box=this["box"],
            insufficient_data=reason,
            reason_en=rules.INSUFFICIENT[reason][0] if reason else None,
            reason_id=rules.INSUFFICIENT[reason][1] if reason else None,
            action=action(this["box"]) if this["box"] else None,
            performance=PerformanceAxisOut(
                source=policy.performance_source,
                predicate=this["pred"],
                previous_predicate=this["prev_pred"]
                if policy.performance_source == "two_year_average"
                else None,
                level=this["performance_level"],
                axis=this["performance"],
            ),
            potential=PotentialAxisOut(
                target_position_id=this["target_id"],
                target_position_title=this["target_title"],
                required_competencies=this["required"],
                competency_coverage=_round(this["competency"]),
                competency_assessed=this["competency_assessed"],
                feedback_coverage=_round(this["feedback"]),
                feedback_assessed=this["feedback_assessed"],
                feedback_published_at=this["feedback_published_at"],
                score=_potential(
                    None if this["potential"] is None else round(this["potential"], 2)
                ),
                band=this["band"],
            ),
            last_year_box=last["box"] if last else None,
        )

    # --- succession ---------------------------------------------------------------------

    async def succession(
        self, agency: str | None, year: int, position_id: uuid.UUID | None, page: PageRequest
    ) -> SuccessionOut:
        """Managerial positions that are vacant or whose holder reaches retirement age within
        24 months (or the one position asked for, of any kind), by code; for each, the
        agency's boxes 7–9 (not its holder) ranked by the rotation fit."""
        code = await self.policies.agency(agency)
        policy = await self.policies.effective(code)
        today = today_in_indonesia()
        positions = await self.repository.succession_positions(code, position_id)
        if position_id is not None and not positions:
            raise NotFound()
        horizon = add_months(today, NEAR_RETIREMENT_MONTHS)
        wanted: list[tuple[Any, str]] = []
        for p in positions:
            if position_id is not None:
                wanted.append((p, "asked"))
            elif p.holder_id is None:
                wanted.append((p, "vacant"))
            elif p.holder_birth is not None and _retires(p, horizon):
                wanted.append((p, "near_retirement"))
        after = page.after_values(str)
        if after is not None:
            wanted = [w for w in wanted if w[0].code > after[0]]
        chosen, cursor = page.cut(wanted[: page.fetch_size], lambda w: (w[0].code,))
        pool = await self.repository.in_boxes(policy, code, year, rules.SUCCESSION_BOXES)
        box_of = {r.employee_id: r.box for r in pool}
        items = []
        fit_service = FitService(self.session, self.principal)
        rotation_policy = await RotationPolicyService(self.session, self.principal).effective(code)
        loaded = None
        if chosen and pool:
            loaded = await fit_service.load(
                code, rotation_policy, today,
                employee_ids=list(box_of), position_ids=[p.id for p, _ in chosen],
            )  # fmt: skip
        grid = in_range = None
        if loaded is not None and loaded.inputs.n and loaded.inputs.m:
            grid, in_range = scoring.fit_matrix(loaded.inputs, rotation_policy.weights)
        for p, why in chosen:
            candidates: list[SuccessionCandidateOut] = []
            if loaded is not None and grid is not None and in_range is not None:
                j = loaded.position_index[p.id]
                ranked = sorted(
                    (
                        (-float(grid[t, j]), person["nip"], t)
                        for t, person in enumerate(loaded.people)
                        if person["employee_id"] != p.holder_id
                    ),
                )
                for negative, _, t in ranked[:SUCCESSION_SHOWN]:
                    person = loaded.people[t]
                    candidates.append(SuccessionCandidateOut(
                        nip=person["nip"], name=person["name"],
                        box=box_of[person["employee_id"]], fit=fit_points(-negative),
                        position_id=person["position_id"],
                        position_title=person["position_title"],
                        rank_in_range=bool(in_range[t, j]),
                    ))  # fmt: skip
            items.append(SuccessionPositionOut(
                position_id=p.id, code=p.code, title=p.title, kind=p.kind,
                unit_name=p.unit_name, holder_nip=p.holder_nip, why=why,
                candidates=candidates,
            ))  # fmt: skip
        return SuccessionOut(agency_code=code, year=year, items=items, next_cursor=cursor)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _retires(p: Any, horizon: date) -> bool:
    age = retirement_age(p.kind, p.functional_level)
    birth: date = p.holder_birth
    return add_months(birth, 12 * age) <= horizon
