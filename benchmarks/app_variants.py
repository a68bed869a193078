"""The app with one thing changed, to measure what that thing costs.

Not part of the default run: `python -m benchmarks --app-variant no_gc_freeze` serves
`uvicorn benchmarks.app_variants:no_gc_freeze --factory` in place of `asn-career serve`.
"""

from fastapi import FastAPI


def no_gc_freeze() -> FastAPI:
    """The app without `freeze_startup_objects` (start-up objects left to the collector)."""
    import asn_career.main as main

    main.freeze_startup_objects = lambda: None  # type: ignore[method-assign]
    return main.create_app()
