"""The rules' date arithmetic and the SQL built from the same rules agree, on many random
dates sent to Postgres at once; and the retirement age by position."""

from datetime import date

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from asn_career.core.db import unit_of_work
from asn_career.rotations import rules

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))


def test_retirement_age_by_position() -> None:
    assert rules.retirement_age("pelaksana", None) == 58
    assert rules.retirement_age("administrator", None) == 58
    assert rules.retirement_age("jpt_pratama", None) == 60
    assert rules.retirement_age("fungsional", "ahli_madya") == 60
    assert rules.retirement_age("fungsional", "ahli_utama") == 65
    assert rules.retirement_age("fungsional", "ahli_muda") == 58
    assert rules.retirement_age(None, None) == 58


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.tuples(dates, dates, st.integers(-800, 800)), min_size=50, max_size=200),
    st.sampled_from(["pelaksana", "jpt_madya", "fungsional"]),
    st.sampled_from([None, "ahli_madya", "ahli_utama"]),
)
async def test_months_and_retirement_agree_with_sql(
    app: FastAPI, cases: list[tuple[date, date, int]], kind: str, level: str | None
) -> None:
    months = rules.months_between_sql("s", "t")
    bup = rules.retirement_age_sql("CAST(:kind AS text)", "CAST(:level AS text)")
    sql = text(
        f"SELECT {months} AS months, s + make_interval(months => n) AS moved, {bup} AS age "  # noqa: S608
        "FROM unnest(CAST(:s AS date[]), CAST(:t AS date[]), CAST(:n AS integer[])) AS x(s, t, n)"
    )
    params = {
        "s": [c[0] for c in cases],
        "t": [c[1] for c in cases],
        "n": [c[2] for c in cases],
        "kind": kind,
        "level": level,
    }
    async with unit_of_work(app.state.sessionmaker) as session:
        rows = (await session.execute(sql, params)).all()
    for (start, today, n), row in zip(cases, rows, strict=True):
        assert int(row.months) == rules.months_between(start, today), (start, today)
        assert row.moved.date() == rules.add_months(start, n), (start, n)
        assert row.age == rules.retirement_age(kind, level)


def test_conflicts_after_a_round() -> None:
    """p above q and r; s above p. Relatives ending in a direct pair, counting who stays;
    a boss ending under their subordinate of today; nothing between two who stay."""
    reports_to = {"q": "p", "r": "p", "p": "s", "s": None}
    today = {"A": "p", "B": "q", "C": "x"}
    assert rules.conflicts_after(today, {"C": "r"}, reports_to, [("A", "C")]) == [
        ("relative", "A", "C")
    ]
    assert rules.conflicts_after(today, {"C": "r"}, reports_to, [("B", "C")]) == []
    assert rules.conflicts_after(today, {}, reports_to, [("A", "B")]) == []  # both stay
    moved = {"A": "r", "B": "p"}  # the subordinate of today becomes the boss
    assert rules.conflicts_after(today, moved, reports_to, []) == [("subordinate", "A", "B")]
    assert rules.conflicts_after(today, {"A": "q", "B": "s"}, reports_to, []) == []
