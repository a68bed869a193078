"""An agency's moves and rotation figures for a period (this year by default)."""

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.errors import field_problem
from asn_career.core.pagination import PageRequest
from asn_career.org.rules import today_in_indonesia
from asn_career.rotations import rules
from asn_career.rotations.history.repository import HistoryRepository
from asn_career.rotations.history.schemas import (
    Figures,
    HistoryMoveOut,
    HistoryOut,
    KindFlow,
    TenureBucket,
)
from asn_career.rotations.policy.service import PolicyService


def _move(r: Any) -> HistoryMoveOut:
    return HistoryMoveOut(
        assignment_id=r["id"],
        nip=r["nip"],
        name=r["name"],
        start_date=r["start_date"],
        decree_number=r["decree_number"],
        from_position_id=r["from_position_id"],
        from_position_title=r["from_title"],
        from_unit=r["from_unit"],
        from_unit_kind=r["from_kind"],
        to_position_id=r["position_id"],
        to_position_title=r["to_title"],
        to_unit=r["to_unit"],
        to_unit_kind=r["to_kind"],
        across_unit_kinds=r["from_kind"] != r["to_kind"],
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


class HistoryService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = HistoryRepository(session)
        self.policies = PolicyService(session, principal)

    async def history(
        self, agency: str | None, since: date | None, until: date | None, page: PageRequest
    ) -> HistoryOut:
        code = await self.policies.agency(agency)
        today = today_in_indonesia()
        since = since or date(today.year, 1, 1)
        until = until or date(today.year, 12, 31)
        if until < since:
            raise field_problem(
                ["query", "until"], "until is before since.", "until sebelum since.", "date_order"
            )
        policy = await self.policies.effective(code)
        f = await self.repository.figures(code, since, until, today, policy)
        after = page.after_values(str, str)
        rows = await self.repository.moves(
            code,
            since,
            until,
            (date.fromisoformat(after[0]), after[1]) if after else None,
            page.fetch_size,
        )
        items, cursor = page.cut(rows, lambda r: (r["start_date"].isoformat(), str(r["id"])))
        holding, moves = int(f["holding"]), int(f["moves"])
        buckets = f["buckets"] or {}
        figures = Figures(
            since=since,
            until=until,
            employees_holding_a_position=holding,
            moves=moves,
            rotation_rate=_share(moves, holding),
            across_unit_kinds=int(f["across_kinds"]),
            across_unit_kinds_share=_share(int(f["across_kinds"]), moves),
            past_max=int(f["past_max"]),
            tenure=[
                TenureBucket(
                    from_months=low, to_months=high, employees=int(buckets.get(f"b{n}", 0))
                )
                for n, (low, high) in enumerate(rules.TENURE_BUCKETS)
            ],
            flows=[
                KindFlow(from_unit_kind=k["from_kind"], to_unit_kind=k["to_kind"], moves=k["n"])
                for k in f["kinds"]
            ],
        )
        return HistoryOut(figures=figures, items=[_move(r) for r in items], next_cursor=cursor)
