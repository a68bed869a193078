from collections.abc import Mapping

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine

from asn_career.core.ratelimit.models import RateLimitWindow

# Keys are sent sorted, and unnest keeps their order: concurrent flushes of several
# processes then lock shared rows in the same order and never deadlock.
_ADD = text(
    """
    INSERT INTO rate_limit_windows AS w (key, minute, count)
    SELECT t.key, :minute, t.count
    FROM unnest(CAST(:keys AS varchar[]), CAST(:counts AS integer[])) AS t(key, count)
    ON CONFLICT (key, minute) DO UPDATE SET count = w.count + excluded.count
    RETURNING w.key, w.count
    """
)


async def add_counts(
    engine: AsyncEngine, minute: int, counts: Mapping[str, int], *, sweep: bool
) -> dict[str, int]:
    """Add this process's counts to the shared ones of ``minute`` and return the sums; with
    ``sweep``, first drop the windows of earlier minutes. One autocommit round trip (two
    when sweeping)."""
    keys = sorted(counts)
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        if sweep:
            await conn.execute(delete(RateLimitWindow).where(RateLimitWindow.minute < minute))
        result = await conn.execute(
            _ADD, {"minute": minute, "keys": keys, "counts": [counts[k] for k in keys]}
        )
        return {key: count for key, count in result}
