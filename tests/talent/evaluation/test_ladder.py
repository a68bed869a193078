"""The career ladder of promotions: the SQL of the evaluation's promotion statement gives
the same step as the rule for every position kind and functional level; the ratio of the
talent pool's promotion rate to the rest's."""

from fastapi import FastAPI
from sqlalchemy import text

from asn_career.core.db import unit_of_work
from asn_career.org.rules import FunctionalLevel, PositionKind
from asn_career.talent.evaluation import rules


async def test_ladder_sql_agrees_with_the_rule(app: FastAPI) -> None:
    cases: list[tuple[str, str | None]] = [
        (k.value, None) for k in PositionKind if k != PositionKind.FUNGSIONAL
    ]
    cases += [(PositionKind.FUNGSIONAL.value, f.value) for f in FunctionalLevel]
    sql = text(f"SELECT {rules.ladder_sql('CAST(:k AS text)', 'CAST(:f AS text)')}")
    async with unit_of_work(app.state.sessionmaker) as session:
        for kind, level in cases:
            got = await session.scalar(sql, {"k": kind, "f": level})
            assert got == rules.ladder_step(kind, level), (kind, level)
            assert got is not None
    assert rules.ladder_step("pengawas", None) == rules.ladder_step("fungsional", "ahli_muda") == 4
    assert rules.ladder_step("administrator", None) == 5


def test_promotion_ratio() -> None:
    assert rules.promotion_ratio(3, 10, 5, 100) == 6.0
    assert rules.promotion_ratio(0, 10, 5, 100) == 0.0
    assert rules.promotion_ratio(3, 0, 5, 100) is None
    assert rules.promotion_ratio(3, 10, 0, 100) is None
