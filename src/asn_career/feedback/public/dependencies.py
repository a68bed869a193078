"""The public form's own rate limit: per client address and calendar minute, counted with
the project's shared counters (``core.ratelimit``), whatever credentials the caller sends.

The general limit (``core.guards.RateLimitMiddleware``) leaves ``/api/v1/feedback/public/``
to this one: it would bucket the anonymous public by ``ip:<address>``, a citizen's address
in clear in ``rate_limit_windows``. Here the bucket is a keyed hash of the address (the key
derives from the server's secret), so the counts table holds no address for that minute
either, and a bearer token or an API key buys no larger budget.
"""

import hashlib
import math
import time
from typing import Final

from fastapi import Request

from asn_career.core.errors import AppError
from asn_career.core.guards import client_address
from asn_career.core.query import reject_unknown_query
from asn_career.core.ratelimit.counters import SharedCounters

BUCKET_PREFIX: Final = "feedback-public:"


class PublicRateLimited(AppError):
    status = 429
    code = "rate_limited"


def _counters(request: Request) -> SharedCounters:
    """One set of counters per app, made on first use (no await between the look-up and
    the assignment, so concurrent first requests cannot make two)."""
    state = request.app.state
    counters: SharedCounters | None = getattr(state, "feedback_public_counters", None)
    if counters is None:
        counters = SharedCounters(state.engine)
        state.feedback_public_counters = counters
    return counters


def bucket(request: Request) -> str:
    """The caller's bucket: a keyed hash of its address, never the address."""
    key = hashlib.sha256(
        b"asn-career feedback-public|" + request.app.state.settings.app_secret.encode()
    ).digest()
    address = client_address(request.scope).encode()
    return BUCKET_PREFIX + hashlib.blake2b(address, key=key, digest_size=16).hexdigest()


async def public_guard(request: Request) -> None:
    """What ``authorize`` does for every other route, less the credentials: 429 with
    ``Retry-After`` once the address has used this minute's budget, then 422 for a query
    parameter the route does not read."""
    limit: int = request.app.state.settings.feedback_public_rate_limit_per_minute
    if limit > 0:
        now = time.time()
        if await _counters(request).hit(bucket(request), int(now // 60)) > limit:
            retry_after = max(1, math.ceil((now // 60 + 1) * 60 - now))
            raise PublicRateLimited(headers={"Retry-After": str(retry_after)})
    await reject_unknown_query(request)
