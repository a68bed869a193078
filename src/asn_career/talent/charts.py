"""SVG charts a frontend shows as they are and a PDF embeds: the 9-box grid with counts and
the IP ASN category distribution. Pure functions of the figures, no I/O.

The text is SVG ``<text>`` in the house family first (``core.pdf.FAMILY``, then
``DejaVu Sans`` and ``sans-serif`` for a browser), so fpdf2 draws it as vector text once
the document has registered the house fonts: ``core.pdf.add_fonts(pdf)`` then
``pdf.image(io.BytesIO(svg), ...)``. Same figures, same bytes.
"""

from collections.abc import Mapping, Sequence
from typing import Final
from xml.sax.saxutils import escape

from asn_career.core.pdf import FAMILY
from asn_career.talent import rules

SVG_MEDIA_TYPE: Final = "image/svg+xml"
FONT: Final = f"{FAMILY}, DejaVu Sans, sans-serif"
INK: Final = "#212529"
MUTED: Final = "#646a70"
RULE: Final = "#ced4da"

# rows top to bottom (potential high → low), columns left to right (performance below → above)
GRID: Final = (
    (6, 8, 9),
    (3, 5, 7),
    (1, 2, 4),
)
PERFORMANCE_LABELS: Final = ("Di bawah ekspektasi", "Sesuai ekspektasi", "Di atas ekspektasi")
POTENTIAL_LABELS: Final = ("Tinggi", "Menengah", "Rendah")
BOX_COLOURS: Final[Mapping[int, str]] = {
    9: "#1b7a4b", 8: "#3f9a68", 7: "#3f9a68",
    6: "#e0b43c", 5: "#e9c867", 4: "#e0b43c",
    3: "#d9822b", 2: "#d9822b", 1: "#c0392b",
}  # fmt: skip
CATEGORY_COLOURS: Final[Mapping[str, str]] = {
    "sangat_tinggi": "#1b7a4b",
    "tinggi": "#3f9a68",
    "sedang": "#e0b43c",
    "rendah": "#d9822b",
    "sangat_rendah": "#c0392b",
}


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 11,
    anchor: str = "middle",
    bold: bool = False,
    fill: str = INK,
    rotate: bool = False,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    turn = f' transform="rotate(-90 {x:g} {y:g})"' if rotate else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-family="{FONT}" font-size="{size:g}" '
        f'text-anchor="{anchor}" fill="{fill}"{weight}{turn}>{escape(content)}</text>'
    )


def _svg(width: int, height: int, parts: Sequence[str], title: str) -> bytes:
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">\n'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n'
        f"{body}\n</svg>\n"
    ).encode()


def _percent(count: int, total: int) -> str:
    if total <= 0:
        return "0%"
    return f"{100 * count / total:.1f}%".replace(".", ",")


def nine_box_svg(counts: Mapping[int, int], *, title: str, no_box: int = 0) -> bytes:
    """The 3×3 grid: potential up, performance across, each box with its number, count and
    share of those with a box; axis labels in Indonesian."""
    cell, left, top = 150, 110, 60
    width, height = left + 3 * cell + 20, top + 3 * cell + 90
    total = sum(counts.get(b, 0) for b in range(1, 10))
    parts = [_text(left + 1.5 * cell, 30, title, size=15, bold=True)]
    for r, row in enumerate(GRID):
        for c, number in enumerate(row):
            x, y = left + c * cell, top + r * cell
            count = counts.get(number, 0)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{BOX_COLOURS[number]}" stroke="#ffffff" stroke-width="3"/>'
            )
            parts.append(_text(x + 12, y + 24, f"Kotak {number}", size=12, anchor="start",
                               bold=True, fill="#ffffff"))  # fmt: skip
            parts.append(_text(x + cell / 2, y + 88, str(count), size=34, bold=True,
                               fill="#ffffff"))  # fmt: skip
            parts.append(_text(x + cell / 2, y + 115, _percent(count, total), size=12,
                               fill="#ffffff"))  # fmt: skip
    for c, label in enumerate(PERFORMANCE_LABELS):
        parts.append(_text(left + c * cell + cell / 2, top + 3 * cell + 22, label, size=12))
    parts.append(_text(left + 1.5 * cell, top + 3 * cell + 48, "Kinerja (predikat SKP)", size=13,
                       bold=True))  # fmt: skip
    for r, label in enumerate(POTENTIAL_LABELS):
        parts.append(_text(left - 10, top + r * cell + cell / 2 + 4, label, size=12,
                           anchor="end"))  # fmt: skip
    parts.append(_text(28, top + 1.5 * cell, "Potensial", size=13, bold=True, rotate=True))
    footer = f"{total} pegawai dalam kotak"
    if no_box:
        footer += f"; {no_box} pegawai tanpa kotak (data belum cukup)"
    parts.append(_text(left + 1.5 * cell, height - 12, footer, size=11, fill=MUTED))
    return _svg(width, height, parts, title)


def category_distribution_svg(
    counts: Mapping[str, int], *, title: str, mean: float | None = None
) -> bytes:
    """IP ASN categories from Sangat Tinggi to Sangat Rendah as horizontal bars with their
    counts and shares; the mean index underneath."""
    left, top, bar_w, row_h = 130, 60, 330, 42
    width = left + bar_w + 110
    height = top + row_h * len(rules.CATEGORIES) + 60
    total = sum(counts.get(code, 0) for code in rules.CATEGORY_CODES)
    biggest = max([counts.get(code, 0) for code in rules.CATEGORY_CODES] + [1])
    parts = [_text(width / 2, 30, title, size=15, bold=True)]
    for k, (_, code, label) in enumerate(rules.CATEGORIES):
        y = top + k * row_h
        count = counts.get(code, 0)
        w = bar_w * count / biggest
        parts.append(_text(left - 10, y + row_h / 2 + 4, label, size=12, anchor="end"))
        parts.append(
            f'<rect x="{left}" y="{y + 6}" width="{bar_w}" height="{row_h - 12}" fill="#f1f4f7"/>'
        )
        if count:
            parts.append(
                f'<rect x="{left}" y="{y + 6}" width="{w:.2f}" height="{row_h - 12}" '
                f'fill="{CATEGORY_COLOURS[code]}"/>'
            )
        shown = f"{count} ({_percent(count, total)})"
        parts.append(_text(left + bar_w + 8, y + row_h / 2 + 4, shown, size=12, anchor="start"))
    scale = "Kategori: ≥ 91 Sangat Tinggi, 81–90 Tinggi, 71–80 Sedang, 61–70 Rendah, ≤ 60"
    parts.append(_text(width / 2, height - 30, scale + " Sangat Rendah", size=10, fill=MUTED))
    summary = f"{total} pegawai"
    if mean is not None:
        summary += f"; rata-rata indeks {mean:.2f}".replace(".", ",")
    parts.append(_text(width / 2, height - 12, summary, size=11, fill=MUTED))
    return _svg(width, height, parts, title)


def wants_svg(requested: str | None, accept: str | None) -> bool:
    """``?format=svg`` wins; otherwise SVG only when ``Accept`` names it explicitly, JSON for
    anything else (as ``core.sheets.answer_format`` picks CSV/XLSX)."""
    if requested is not None:
        return requested == "svg"
    return SVG_MEDIA_TYPE in (accept or "").lower()


SVG_RESPONSES: Final[dict[int | str, dict[str, object]]] = {
    200: {
        "description": "JSON, or the chart as SVG (`?format=svg` or `Accept: image/svg+xml`).",
        "content": {SVG_MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}
"""The OpenAPI ``responses`` of a route that answers JSON or an SVG chart."""
