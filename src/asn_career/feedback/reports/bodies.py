"""One subject's report (the ``ReportOut`` shape, as plain JSON-ready dicts) from the cycle's
``Analysis``; and what to develop next, in Indonesian and English.

Built as dicts, not Pydantic models: publishing builds every report of a cycle (10,000 and
more), and the frozen body is stored as JSON. A figure that has no value (the sd of one
score, self's calibrated mean) may be NaN in the dict: ``service.body_json`` (orjson)
writes it as null, the only way bodies leave. ``tests/feedback/reports`` validates the
bodies against ``ReportOut``.
"""

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final

import numpy as np

from asn_career.feedback.reports.analysis import Analysis, Figures
from asn_career.feedback.reports.anonymity import (
    ANONYMOUS,
    ANONYMOUS_SHOWN,
    GROUPS,
    OTHER,
    SELF,
    SUPERVISOR,
    SUPPRESSED,
)
from asn_career.feedback.rules import RELATIONSHIPS, SCALE_MAX, SCALE_MIN
from asn_career.feedback.statistics import agreement_band

DECIMALS: Final = 2
MAX_SUGGESTIONS: Final = 3
"""What to develop next stays short: at most three dimensions."""

Body = dict[str, Any]


def _rounded(values: np.ndarray[Any, Any]) -> list[Any]:
    """Rounded, as (nested) Python lists, converted once for the whole cycle. NaN stays
    NaN: in a body it stands for null, which ``body_json`` (orjson) writes for it."""
    return np.round(values, DECIMALS).tolist()  # type: ignore[no-any-return]


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic garbage collector paused while a cycle's reports are built: millions of
    small dicts and lists, none in a cycle, would otherwise trigger collection after
    collection over all of them (three times the building time, measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _null(value: float) -> float | None:
    return None if value != value else value


def level_of(calibrated_mean: float) -> int:
    """A competency level from a mean on the 1–5 scale: rounded half up, clamped to 1–5."""
    return min(SCALE_MAX, max(SCALE_MIN, math.floor(calibrated_mean + 0.5)))


def _id_number(value: float) -> str:
    """A figure as Indonesian writes it: decimal comma."""
    return f"{value:.{DECIMALS}f}".replace(".", ",")


def _en_number(value: float) -> str:
    return f"{value:.{DECIMALS}f}"


class BodyBuilder:
    """Turns the analysis' arrays into reports: the figures of every subject are made in
    a few flat passes (one dict per shown figure, straight from Python lists converted once),
    then each body is assembled from its slices."""

    def __init__(self, analysis: Analysis, only: list[int] | None = None) -> None:
        """``only``: the subjects (indices) whose bodies will be built; all by default."""
        self.analysis = analysis
        data = analysis.data
        self.data = data
        cycle = data.cycle
        self.threshold = float(cycle.blind_spot_threshold)
        rows = np.arange(len(data.subjects)) if only is None else np.asarray(only, np.int64)
        self.row = {s: n for n, s in enumerate(rows.tolist())}
        a = analysis.slice(rows)
        listed = self._listed(a)
        self.item_figures = self._cells(a.items, a.item_overall, listed)
        self.dim_figures = self._cells(a.dimensions, a.dimension_overall, listed)
        self.dim_n = a.dimensions.count[:, :, SELF].tolist()
        self.self_mean = _rounded(a.dimensions.mean[:, :, SELF])
        self.dim_all_mean = _rounded(a.dimension_overall.mean)
        self.dim_all_cal = _rounded(a.dimension_overall.calibrated)
        self.overall = self._overall(a.overall)
        self.rwg = _rounded(a.rwg)
        self.overall_rwg = _rounded(a.overall_rwg)
        self.responded = a.responded.tolist()
        self.invited = a.invited.tolist()
        self.display = a.display.tolist()
        self.required = data.required[rows].tolist()
        self.items_by_dim: list[list[int]] = [[] for _ in data.dimensions]
        for index, item in enumerate(data.items):
            self.items_by_dim[item.dimension].append(index)
        self.item_texts = [(item.code, item.text_id, item.text_en) for item in data.items]
        self.comments = self._comments(set(self.row))

    # --- figures ----------------------------------------------------------------------------

    @staticmethod
    def _listed(a: Analysis) -> np.ndarray[Any, Any]:
        """subjects × groups: the display groups a report lists, in ``GROUPS`` order (overall
        apart): self and supervisor when they answered, each anonymous group shown on its
        own, and ``other`` when groups were merged into it (shown or suppressed)."""
        listed = np.zeros((a.responded.shape[0], len(GROUPS)), dtype=bool)
        listed[:, SELF] = a.responded[:, SELF] > 0
        listed[:, SUPERVISOR] = a.responded[:, SUPERVISOR] > 0
        for g in ANONYMOUS:
            listed[:, g] = a.display[:, g] == g
        listed[:, OTHER] = a.merged
        return listed

    @staticmethod
    def _overall(figures: Figures) -> list[Body]:
        """One ``overall`` figure per cell (flat, in C order)."""
        return [
            {"group": "overall", "suppressed": False, "n": n, "mean": m, "sd": d,
             "calibrated_mean": c}
            for n, m, d, c in zip(
                figures.count.ravel().tolist(), _rounded(figures.mean.ravel()),
                _rounded(figures.sd.ravel()), _rounded(figures.calibrated.ravel()),
                strict=True,
            )
        ]  # fmt: skip

    def _cells(
        self, figures: Figures, overall: Figures, listed: np.ndarray[Any, Any]
    ) -> list[list[Body]]:
        """Per (subject, item or dimension) cell, C order: the figures of its listed groups
        and ``overall``. A named group (self, supervisor) with nothing in the cell is left
        out; an anonymous group with too few raters is listed as suppressed."""
        count = figures.count
        anonymous = np.zeros(len(GROUPS), dtype=bool)
        anonymous[list(ANONYMOUS_SHOWN)] = True
        emit = listed[:, None, :] & ((count > 0) | anonymous)
        flat = np.flatnonzero(emit)
        calibrated = figures.calibrated.copy()
        calibrated[:, :, SELF] = np.nan  # self is never calibrated
        names = [GROUPS[g] for g in range(len(GROUPS))]
        made = [
            {"group": names[g], "suppressed": True}
            if n == 0
            else {"group": names[g], "suppressed": False, "n": n, "mean": m, "sd": d,
                  "calibrated_mean": c}
            for g, n, m, d, c in zip(
                (flat % len(GROUPS)).tolist(), count.ravel()[flat].tolist(),
                _rounded(figures.mean.ravel()[flat]), _rounded(figures.sd.ravel()[flat]),
                _rounded(calibrated.ravel()[flat]), strict=True,
            )
        ]  # fmt: skip
        sizes = emit.sum(axis=2).ravel().tolist()
        ends = np.cumsum(sizes).tolist()
        cells = [made[end - size : end] for size, end in zip(sizes, ends, strict=True)]
        for cell, total in zip(cells, self._overall(overall), strict=True):
            cell.append(total)
        return cells

    # --- comments -------------------------------------------------------------------------

    def _comments(self, wanted: set[int]) -> dict[int, list[Body]]:
        """Per subject: comments of shown groups, by group, dimension and text — an order
        that says nothing about who wrote them or when."""
        data, analysis = self.data, self.analysis
        found: dict[int, list[tuple[int, str, str]]] = {}
        groups = analysis.request_group[data.comment_request].tolist()
        subjects = data.request_subject[data.comment_request].tolist()
        items = data.comment_item.tolist()
        for group, subject, item, text in zip(
            groups, subjects, items, data.comment_text, strict=True
        ):
            if group == SUPPRESSED or subject not in wanted:
                continue
            code = data.dimensions[data.items[item].dimension].code
            found.setdefault(subject, []).append((group, code, text))
        return {
            subject: [
                {"group": GROUPS[g], "dimension_code": code, "text": text}
                for g, code, text in sorted(rows)
            ]
            for subject, rows in found.items()
        }

    # --- the report -----------------------------------------------------------------------

    def body(self, s: int, *, preview: bool, published_at: datetime | None) -> Body:
        data = self.data
        cycle = data.cycle
        subject = data.subjects[s]
        r = self.row[s]
        n_items, n_dims = len(data.items), len(data.dimensions)
        dimensions: list[Body] = []
        blind_spots: list[str] = []
        hidden_strengths: list[str] = []
        for d, dimension in enumerate(data.dimensions):
            self_mean = self.self_mean[r][d] if self.dim_n[r][d] > 0 else None
            others_cal = _null(self.dim_all_cal[r][d])
            gap = None
            flag = None
            if self_mean is not None and others_cal is not None:
                gap = round(self_mean - others_cal, DECIMALS)
                if gap > self.threshold + 1e-9:
                    flag = "blind_spot"
                    blind_spots.append(dimension.code)
                elif -gap > self.threshold + 1e-9:
                    flag = "hidden_strength"
                    hidden_strengths.append(dimension.code)
            items = []
            for i in self.items_by_dim[d]:
                code, text_id, text_en = self.item_texts[i]
                items.append(
                    {"code": code, "text_id": text_id, "text_en": text_en,
                     "groups": self.item_figures[r * n_items + i]}
                )  # fmt: skip
            rwg = _null(self.rwg[r][d])
            required = self.required[r][d] if dimension.kind == "competency" else 0
            dimensions.append(
                {
                    "kind": dimension.kind,
                    "code": dimension.code,
                    "name_id": dimension.name_id,
                    "name_en": dimension.name_en,
                    "required_level": required or None,
                    "groups": self.dim_figures[r * n_dims + d],
                    "self_mean": self_mean,
                    "others_mean": _null(self.dim_all_mean[r][d]),
                    "others_calibrated_mean": others_cal,
                    "self_minus_others": gap,
                    "flag": flag,
                    "rwg": rwg,
                    "agreement": agreement_band(rwg),
                    "items": items,
                }
            )
        return {
            "cycle_id": str(cycle.id),
            "cycle_name": cycle.name,
            "agency_code": cycle.agency_code,
            "subject": {
                "nip": subject.nip,
                "name": subject.name,
                "position_title": subject.position_title,
                "unit_name": subject.unit_name,
            },
            "preview": preview,
            "published_at": published_at.isoformat() if published_at else None,
            "min_group_size": cycle.min_group_size,
            "blind_spot_threshold": self.threshold,
            "responses": self._responses(r),
            "overall": self.overall[r],
            "overall_rwg": _null(self.overall_rwg[r]),
            "dimensions": dimensions,
            "blind_spots": blind_spots,
            "hidden_strengths": hidden_strengths,
            "comments": self.comments.get(s, []),
            "develop_next": develop_next(dimensions),
        }

    def _responses(self, row: int) -> list[Body]:
        out = []
        for k, name in enumerate(RELATIONSHIPS):
            invited = self.invited[row][k]
            if invited == 0:
                continue
            shown = self.display[row][k]
            alone = shown == k
            out.append(
                {
                    "group": name,
                    "invited": invited,
                    "responded": self.responded[row][k] if alone else None,
                    "shown_as": GROUPS[shown] if shown != SUPPRESSED else "suppressed",
                }
            )
        return out

    def bodies(self, published_at: datetime | None) -> Iterator[tuple[int, Body]]:
        for s in range(len(self.data.subjects)):
            yield s, self.body(s, preview=published_at is None, published_at=published_at)


# --- what to develop next ----------------------------------------------------------------------


def develop_next(dimensions: list[Body]) -> list[Body]:
    """Up to three dimensions to work on, the first reason found for each: below the level
    the position requires (largest gap first), a blind spot (largest first), then the
    lowest rated by others (calibrated) to fill up."""
    chosen: dict[str, Body] = {}

    def add(dimension: Body, reason: str, detail_id: str, detail_en: str) -> None:
        if dimension["code"] in chosen or len(chosen) >= MAX_SUGGESTIONS:
            return
        chosen[dimension["code"]] = {
            "dimension_code": dimension["code"],
            "name_id": dimension["name_id"],
            "name_en": dimension["name_en"],
            "reason": reason,
            "detail_id": detail_id,
            "detail_en": detail_en,
        }

    rated = [d for d in dimensions if d["others_calibrated_mean"] is not None]
    below = []
    for d in rated:
        if d["kind"] == "competency" and d["required_level"]:
            level = level_of(d["others_calibrated_mean"])
            if level < d["required_level"]:
                below.append((d["required_level"] - d["others_calibrated_mean"], level, d))
    for _, level, d in sorted(below, key=lambda row: (-row[0], row[2]["code"])):
        mean, required = d["others_calibrated_mean"], d["required_level"]
        add(
            d,
            "below_required_level",
            f"Penilai lain menilai kompetensi {d['name_id']} Anda rata-rata "
            f"{_id_number(mean)} setelah kalibrasi, setara level {level}, sedangkan jabatan "
            f"Anda mensyaratkan level {required}. Jadikan kompetensi ini prioritas "
            "pengembangan, misalnya melalui pelatihan, coaching, atau penugasan yang relevan.",
            f"Others rated your {d['name_en']} at {_en_number(mean)} on average after "
            f"calibration, which is level {level}; your position requires level {required}. "
            "Make it a development priority, for example through training, coaching or a "
            "relevant assignment.",
        )
    spots = [d for d in rated if d["flag"] == "blind_spot"]
    for d in sorted(spots, key=lambda d: (-d["self_minus_others"], d["code"])):
        own, others = d["self_mean"], d["others_calibrated_mean"]
        add(
            d,
            "blind_spot",
            f"Anda menilai diri sendiri {_id_number(own)} pada aspek {d['name_id']}, "
            f"sedangkan penilai lain rata-rata {_id_number(others)}. Bicarakan perbedaan ini "
            "dengan atasan atau mentor Anda, dan mintalah contoh perilaku yang konkret.",
            f"You rated yourself {_en_number(own)} on {d['name_en']}, others "
            f"{_en_number(others)} on average. Talk the difference through with your "
            "supervisor or mentor and ask for concrete examples of behaviour.",
        )
    lowest = sorted(rated, key=lambda d: (d["others_calibrated_mean"], d["code"]))
    for d in lowest:
        mean = d["others_calibrated_mean"]
        add(
            d,
            "lowest_rated",
            f"Aspek {d['name_id']} termasuk yang paling rendah dinilai oleh penilai lain "
            f"(rata-rata {_id_number(mean)} setelah kalibrasi). Pilih satu perilaku pada "
            "aspek ini untuk dikembangkan pada periode berikutnya.",
            f"{d['name_en']} is among your lowest rated by others ({_en_number(mean)} on "
            "average after calibration). Choose one behaviour in it to develop in the next "
            "period.",
        )
    return list(chosen.values())
