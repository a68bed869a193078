"""The talent lists as CSV or XLSX files (``core.sheets``): rows read in one statement,
written batch by batch (CSV streamed, XLSX spooled to disk in constant memory)."""

import os
from collections.abc import AsyncGenerator, Sequence
from typing import Any, Final, Literal

from asn_career.core.sheets import (
    CSV_MEDIA_TYPE,
    SPREADSHEET_RESPONSES,
    XLSX_MEDIA_TYPE,
    Download,
    answer_format,
    csv_body,
    file_chunks,
    spool_xlsx,
)
from asn_career.talent.charts import SVG_RESPONSES, wants_svg

BATCH: Final = 1000


async def rows_file(
    filename: str, sheet_title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str
) -> Download:
    """``rows`` (cells already in ``header``'s order) as ``filename`` in ``fmt`` (csv|xlsx)."""
    done = 0

    async def batches() -> AsyncGenerator[Sequence[Sequence[Any]]]:
        nonlocal done
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            done += len(chunk)
            yield chunk

    if fmt == "csv":
        return Download(filename, CSV_MEDIA_TYPE, csv_body(header, batches()))
    spooled = await spool_xlsx(sheet_title, header, batches(), lambda: done)
    size = os.fstat(spooled.fileno()).st_size
    return Download(filename, XLSX_MEDIA_TYPE, file_chunks(spooled), size)


TalentFormat = Literal["json", "svg", "csv", "xlsx"]


def chosen_format(requested: TalentFormat | None, accept: str | None) -> TalentFormat:
    """``?format=`` wins; otherwise SVG, XLSX or CSV only when ``Accept`` names it
    explicitly, and JSON for anything else."""
    if requested is not None:
        return requested
    if wants_svg(None, accept):
        return "svg"
    return answer_format(None, accept)


FILE_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "JSON; the chart as SVG (`?format=svg` or `Accept: image/svg+xml`); "
        "or the list as a CSV or XLSX attachment (`?format=csv|xlsx` or that `Accept`).",
        "content": {
            **SVG_RESPONSES[200]["content"],  # type: ignore[dict-item]
            **SPREADSHEET_RESPONSES[200]["content"],
        },
    }
}
"""The OpenAPI ``responses`` of a route that answers JSON, an SVG chart or a spreadsheet."""
