"""Request counts per caller and calendar minute, shared by every process.

Each process counts locally and every ``FLUSH_INTERVAL`` sends what it counted to
Postgres in one statement, reading back the sums of all processes (``repository``).
A decision is ``known + pending``: the shared sum at the last flush plus what this process
counted since. Chosen over one ``INSERT … ON CONFLICT … RETURNING`` per request, which is
exact but costs every request a pool checkout and a round trip and turns every read into a
write on a hot row. Measured in process (2026-11-24, requests through the ASGI app, CPU
time): a get-by-NIP took 718 µs with the limit off and 735 µs with it on (a request
refused 403 before any query: 398 and 408 µs), while the upsert alone took 380 µs of CPU
and 0.6–0.9 ms of wall time, half the request again. Batched, a process sends at most ten
statements a second, whatever its traffic.

The price is a bounded error: a caller spread over N processes can exceed the limit by
what the other N - 1 processes admit in one interval before their counts arrive. One
process alone is exact. The flush runs inline, in the request that finds it due (no
background task to start or stop); the other requests meanwhile go on deciding on the
counts they have. A failed flush (database unreachable) keeps its counts for the next one,
and the limit holds per process meanwhile.
"""

import math
import time

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from asn_career.core.ratelimit.repository import add_counts

FLUSH_INTERVAL = 0.1
"""Seconds between two flushes of one process."""

MAX_KNOWN = 100_000
"""Shared sums kept per process; past this they are dropped and read again on use."""

_log = structlog.get_logger("asn_career.ratelimit")


class SharedCounters:
    def __init__(self, engine: AsyncEngine | None, flush_interval: float = FLUSH_INTERVAL) -> None:
        self.engine = engine
        self.flush_interval = flush_interval
        self.minute = 0
        self.known: dict[str, int] = {}
        """Sums of all processes at the last flush."""
        self.pending: dict[str, int] = {}
        """Counted here since the last flush."""
        self._last_flush = -math.inf
        self._flushing = False
        self._sweep = True

    def _roll(self, minute: int) -> None:
        if minute != self.minute:
            self.minute = minute
            self.known, self.pending = {}, {}
            self._sweep = True

    def count(self, key: str) -> int:
        return self.known.get(key, 0) + self.pending.get(key, 0)

    async def hit(self, key: str, minute: int) -> int:
        """Count one request of ``key`` and return its count in this minute."""
        self._roll(minute)
        self.pending[key] = self.pending.get(key, 0) + 1
        await self._flush_if_due()
        return self.count(key)

    async def peek(self, key: str, minute: int) -> int:
        """The count of ``key`` in this minute, counting nothing; its shared sum is read
        back at the next flush."""
        self._roll(minute)
        self.pending.setdefault(key, 0)
        await self._flush_if_due()
        return self.count(key)

    def add(self, key: str, minute: int) -> None:
        """Count one request of ``key`` after it was answered; shared at the next flush."""
        self._roll(minute)
        self.pending[key] = self.pending.get(key, 0) + 1

    async def _flush_if_due(self) -> None:
        if (
            self.engine is not None
            and not self._flushing
            and time.monotonic() - self._last_flush >= self.flush_interval
        ):
            await self.flush()

    async def flush(self) -> None:
        """Send the pending counts and take back the shared sums."""
        if self.engine is None or self._flushing or not self.pending:
            return
        self._flushing = True
        self._last_flush = time.monotonic()
        minute, batch, sweep = self.minute, self.pending, self._sweep
        self.pending = {}
        try:
            sums = await add_counts(self.engine, minute, batch, sweep=sweep)
        except BaseException as exc:
            if minute == self.minute:
                for key, count in batch.items():
                    self.pending[key] = self.pending.get(key, 0) + count
            if not isinstance(exc, Exception):
                raise
            _log.warning("rate_limit_flush_failed", error=type(exc).__name__)
            return
        finally:
            self._flushing = False
        if minute != self.minute:
            return
        if len(self.known) > MAX_KNOWN:
            self.known = {}
        self.known.update(sums)
        if sweep:
            self._sweep = False
