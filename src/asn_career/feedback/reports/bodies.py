"""One subject's report (the ``ReportOut`` shape, as plain JSON-ready dicts) from the cycle's
``Analysis``; and what to develop next, in Indonesian and English.

Built as dicts, not Pydantic models: publishing builds every report of a cycle (10,000 and
more), and the frozen body is stored as JSON. ``tests/feedback/reports`` validates the
bodies against ``ReportOut``.
"""

import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

import numpy as np

from asn_career.feedback.reports.analysis import Analysis
from asn_career.feedback.reports.anonymity import (
    ANONYMOUS,
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
    """Rounded, NaN as None, as nested Python lists (one conversion for the whole cycle)."""
    array = np.round(values, DECIMALS).astype(object)
    array[np.isnan(values)] = None
    return array.tolist()  # type: ignore[no-any-return]


def level_of(calibrated_mean: float) -> int:
    """A competency level from a mean on the 1–5 scale: rounded half up, clamped to 1–5."""
    return min(SCALE_MAX, max(SCALE_MIN, math.floor(calibrated_mean + 0.5)))


def _id_number(value: float) -> str:
    """A figure as Indonesian writes it: decimal comma."""
    return f"{value:.{DECIMALS}f}".replace(".", ",")


def _en_number(value: float) -> str:
    return f"{value:.{DECIMALS}f}"


class BodyBuilder:
    """Converts the analysis' arrays to Python lists once, then builds bodies one by one."""

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
        self.item_n = a.items.count.tolist()
        self.item_mean = _rounded(a.items.mean)
        self.item_sd = _rounded(a.items.sd)
        self.item_cal = _rounded(a.items.calibrated)
        self.item_all_n = a.item_overall.count.tolist()
        self.item_all_mean = _rounded(a.item_overall.mean)
        self.item_all_sd = _rounded(a.item_overall.sd)
        self.item_all_cal = _rounded(a.item_overall.calibrated)
        self.dim_n = a.dimensions.count.tolist()
        self.dim_mean = _rounded(a.dimensions.mean)
        self.dim_sd = _rounded(a.dimensions.sd)
        self.dim_cal = _rounded(a.dimensions.calibrated)
        self.dim_all_n = a.dimension_overall.count.tolist()
        self.dim_all_mean = _rounded(a.dimension_overall.mean)
        self.dim_all_sd = _rounded(a.dimension_overall.sd)
        self.dim_all_cal = _rounded(a.dimension_overall.calibrated)
        self.all_n = a.overall.count.tolist()
        self.all_mean = _rounded(a.overall.mean)
        self.all_sd = _rounded(a.overall.sd)
        self.all_cal = _rounded(a.overall.calibrated)
        self.rwg = _rounded(a.rwg)
        self.overall_rwg = _rounded(a.overall_rwg)
        self.responded = a.responded.tolist()
        self.invited = a.invited.tolist()
        self.display = a.display.tolist()
        self.merged = a.merged.tolist()
        self.required = data.required[rows].tolist()
        self.items_by_dim: list[list[int]] = [[] for _ in data.dimensions]
        for index, item in enumerate(data.items):
            self.items_by_dim[item.dimension].append(index)
        self.comments = self._comments(set(self.row))

    # --- groups ---------------------------------------------------------------------------

    def groups_of(self, r: int) -> list[int]:
        """The display groups a report lists, in order (overall apart); ``r`` is the
        subject's row among those built."""
        responded, display = self.responded[r], self.display[r]
        groups = [g for g in (SELF, SUPERVISOR) if responded[g] > 0]
        groups += [g for g in ANONYMOUS if display[g] == g]
        if self.merged[r]:
            groups.append(OTHER)
        return groups

    @staticmethod
    def _figure(group: int, n: int, mean: Any, sd: Any, cal: Any) -> Body:
        if n == 0:
            return {"group": GROUPS[group], "suppressed": True}
        return {
            "group": GROUPS[group],
            "suppressed": False,
            "n": n,
            "mean": mean,
            "sd": sd,
            "calibrated_mean": None if group == SELF else cal,
        }

    @staticmethod
    def _overall(n: int, mean: Any, sd: Any, cal: Any) -> Body:
        return {
            "group": "overall",
            "suppressed": False,
            "n": n,
            "mean": mean,
            "sd": sd,
            "calibrated_mean": cal,
        }

    def _figures(
        self, groups: list[int], n: list[int], mean: list[Any], sd: list[Any], cal: list[Any]
    ) -> list[Body]:
        # A named group (self, supervisor) with nothing on this item or dimension is left
        # out; an anonymous one is listed as suppressed.
        return [
            self._figure(g, n[g], mean[g], sd[g], cal[g])
            for g in groups
            if n[g] > 0 or g not in (SELF, SUPERVISOR)
        ]

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
        groups = self.groups_of(r)
        dimensions: list[Body] = []
        blind_spots: list[str] = []
        hidden_strengths: list[str] = []
        for d, dimension in enumerate(data.dimensions):
            n, mean, sd, cal = (
                self.dim_n[r][d],
                self.dim_mean[r][d],
                self.dim_sd[r][d],
                (self.dim_cal[r][d]),
            )
            figures = self._figures(groups, n, mean, sd, cal)
            figures.append(
                self._overall(
                    self.dim_all_n[r][d], self.dim_all_mean[r][d], self.dim_all_sd[r][d],
                    self.dim_all_cal[r][d],
                )
            )  # fmt: skip
            self_mean = mean[SELF] if n[SELF] > 0 else None
            others_cal = self.dim_all_cal[r][d]
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
                item = data.items[i]
                item_figures = self._figures(
                    groups, self.item_n[r][i], self.item_mean[r][i], self.item_sd[r][i],
                    self.item_cal[r][i],
                )  # fmt: skip
                item_figures.append(
                    self._overall(
                        self.item_all_n[r][i], self.item_all_mean[r][i], self.item_all_sd[r][i],
                        self.item_all_cal[r][i],
                    )
                )  # fmt: skip
                items.append(
                    {"code": item.code, "text_id": item.text_id, "text_en": item.text_en,
                     "groups": item_figures}
                )  # fmt: skip
            rwg = self.rwg[r][d]
            required = self.required[r][d] if dimension.kind == "competency" else 0
            dimensions.append(
                {
                    "kind": dimension.kind,
                    "code": dimension.code,
                    "name_id": dimension.name_id,
                    "name_en": dimension.name_en,
                    "required_level": required or None,
                    "groups": figures,
                    "self_mean": self_mean,
                    "others_mean": self.dim_all_mean[r][d],
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
            "overall": self._overall(
                self.all_n[r], self.all_mean[r], self.all_sd[r], self.all_cal[r]
            ),
            "overall_rwg": self.overall_rwg[r],
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
