"""The app with one thing changed, to measure what that thing costs.

Not part of the default run: `python -m benchmarks --app-variant no_pre_ping` serves
`uvicorn benchmarks.app_variants:no_pre_ping --factory` in place of `asn-career serve`.
"""

from typing import Any

from fastapi import FastAPI


def no_pre_ping() -> FastAPI:
    """The app without SQLAlchemy's ``pool_pre_ping`` (a ``BEGIN; SELECT; ROLLBACK`` round
    trip before every checkout)."""
    import asn_career.main as main
    from asn_career.core import db

    original = db.create_engine

    def create_engine(settings: Any, url: str) -> Any:
        engine = original(settings, url)
        engine.sync_engine.pool._pre_ping = False
        return engine

    main.create_engine = create_engine  # type: ignore[attr-defined]
    return main.create_app()
