"""How the talent lists answer: JSON, an SVG chart, or the rows as CSV or XLSX
(``core.sheets.rows_download``)."""

from typing import Any, Final, Literal

from asn_career.core.sheets import SPREADSHEET_RESPONSES, answer_format
from asn_career.talent.charts import SVG_RESPONSES, wants_svg

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
