"""Realistic per-subject reports (``ReportOut``) for the PDF and export tests, and for
anyone who needs a frozen report body without running a cycle.

Fifteen dimensions: the BerAKHLAK values BA.1–BA.7 and the managerial competencies
M.1–M.8, two items each, with figures that look like a real cycle's (a lenient self, a
supervisor a little above the peers, a public that rates service highly). The figures are
drawn from a seeded generator, so the same arguments always give the same report.

Three shapes of rater groups:

- ``full``: self, supervisor, 4 peers, 3 subordinates and 6 citizens, all shown;
- ``merged``: 2 peers and 2 subordinates, each too few, shown together as ``other`` (4);
- ``sparse``: 2 peers and no citizen: ``other`` is still too small and is suppressed;
  only self and supervisor have figures, and there are no comments.

``report_body(report)`` is what the reports part stores in ``feedback_reports.body``.
"""

import random
import uuid
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from asn_career.feedback.reports.schemas import (
    Agreement,
    Comment,
    DevelopmentSuggestion,
    DimensionResult,
    GroupFigure,
    ItemResult,
    ReportOut,
    ReportSubject,
    ResponseCount,
)
from asn_career.feedback.rules import BERAKHLAK_VALUES
from asn_career.feedback.statistics import agreement_band

Shape = Literal["full", "merged", "sparse"]
SHAPES: tuple[Shape, ...] = get_args(Shape)

CYCLE_ID = uuid.UUID("5f0c2d1e-7a4b-4c8e-9d3f-2b6a1e8c4d70")
PUBLISHED_AT = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 09.00 WIB
SUBJECT = ReportSubject(
    nip="198503122010012004",
    name="Dewi Kartika Sari, S.E., M.Si.",
    position_title="Kepala Subbagian Umum dan Kepegawaian",
    unit_name="Sekretariat Dinas Komunikasi dan Informatika",
)

MANAGERIAL: dict[str, tuple[str, str]] = {
    "M.1": ("Integritas", "Integrity"),
    "M.2": ("Kerja Sama", "Teamwork"),
    "M.3": ("Komunikasi", "Communication"),
    "M.4": ("Orientasi pada Hasil", "Results orientation"),
    "M.5": ("Pelayanan Publik", "Public service"),
    "M.6": ("Pengembangan Diri dan Orang Lain", "Developing self and others"),
    "M.7": ("Mengelola Perubahan", "Managing change"),
    "M.8": ("Pengambilan Keputusan", "Decision making"),
}
REQUIRED_LEVEL = {"M.1": 3, "M.2": 3, "M.3": 3, "M.4": 3, "M.5": 3, "M.6": 3, "M.7": 3, "M.8": 3}

ITEMS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "BA.1": (
        ("Memahami dan memenuhi kebutuhan masyarakat", "Understands and meets citizens' needs"),
        ("Ramah, cekatan, solutif, dan dapat diandalkan", "Friendly, quick, helpful, reliable"),
    ),
    "BA.2": (
        ("Melaksanakan tugas dengan jujur dan bertanggung jawab", "Works honestly and owns tasks"),
        ("Menggunakan anggaran dan fasilitas negara secara hemat", "Uses state resources frugally"),
    ),
    "BA.3": (
        ("Terus belajar dan mengembangkan kapabilitas", "Keeps learning and growing"),
        ("Membantu orang lain belajar", "Helps others learn"),
    ),
    "BA.4": (
        ("Menghargai setiap orang apa pun latar belakangnya", "Respects everyone"),
        ("Membangun lingkungan kerja yang kondusif", "Builds a good working climate"),
    ),
    "BA.5": (
        ("Menjaga nama baik sesama ASN, pimpinan, dan instansi", "Protects colleagues' good name"),
        ("Menjaga rahasia jabatan dan negara", "Keeps official secrets"),
    ),
    "BA.6": (
        ("Cepat menyesuaikan diri menghadapi perubahan", "Adapts quickly to change"),
        ("Terus berinovasi dan mengembangkan kreativitas", "Keeps innovating"),
    ),
    "BA.7": (
        ("Memberi kesempatan kepada berbagai pihak untuk berkontribusi", "Lets others contribute"),
        ("Terbuka bekerja sama untuk menghasilkan nilai tambah", "Open to working together"),
    ),
    "M.1": (
        ("Bertindak sesuai kode etik dan aturan", "Acts by the code of ethics"),
        ("Menolak gratifikasi dan konflik kepentingan", "Refuses gratuities and conflicts"),
    ),
    "M.2": (
        ("Aktif membantu tim mencapai tujuan bersama", "Helps the team reach shared goals"),
        ("Berbagi informasi yang dibutuhkan rekan kerja", "Shares what colleagues need"),
    ),
    "M.3": (
        ("Menyampaikan informasi dengan jelas dan runtut", "Conveys information clearly"),
        ("Mendengarkan dan menanggapi masukan", "Listens and responds to input"),
    ),
    "M.4": (
        ("Menyelesaikan pekerjaan tepat waktu dan sesuai target", "Delivers on time and target"),
        ("Mencari cara kerja yang lebih efektif", "Looks for more effective ways of working"),
    ),
    "M.5": (
        ("Memahami kebutuhan pengguna layanan", "Understands service users' needs"),
        ("Menindaklanjuti keluhan dengan cepat", "Follows up complaints quickly"),
    ),
    "M.6": (
        ("Memberi umpan balik dan bimbingan kepada bawahan", "Coaches and gives feedback"),
        ("Merencanakan pengembangan diri", "Plans own development"),
    ),
    "M.7": (
        ("Menjelaskan alasan perubahan kepada tim", "Explains the reasons for change"),
        ("Mendukung penerapan cara kerja baru", "Supports new ways of working"),
    ),
    "M.8": (
        ("Mengambil keputusan tepat waktu berdasarkan data", "Decides on time, on evidence"),
        ("Berani mengambil keputusan dalam situasi sulit", "Decides in difficult situations"),
    ),
}

# What the subject is like: the level others see, and how far her own view is off it.
LEVEL: dict[str, float] = {
    "BA.1": 4.3, "BA.2": 4.2, "BA.3": 3.9, "BA.4": 4.0, "BA.5": 4.1, "BA.6": 3.1,
    "BA.7": 4.2, "M.1": 4.1, "M.2": 3.8, "M.3": 3.2, "M.4": 3.7, "M.5": 4.0, "M.6": 3.4,
    "M.7": 3.3, "M.8": 2.8,
}  # fmt: skip
SELF_BIAS: dict[str, float] = {"M.3": 1.3, "M.8": 0.9, "BA.7": -1.2, "BA.6": 0.6}
GROUP_BIAS: dict[str, float] = {
    "self": 0.3, "supervisor": 0.2, "peer": 0.0, "subordinate": -0.1, "public": 0.3,
    "other": -0.05,
}  # fmt: skip
# How far each group's calibrated mean moves from the raw one: the supervisor and the
# public are lenient raters in this cycle, the subordinates a little severe.
CALIBRATION: dict[str, float] = {
    "supervisor": -0.22, "peer": 0.04, "subordinate": 0.11, "public": -0.18, "other": 0.06,
}  # fmt: skip

GROUPS: dict[Shape, dict[str, tuple[int, int]]] = {
    # group: (invited, responded)
    "full": {"self": (1, 1), "supervisor": (1, 1), "peer": (5, 4), "subordinate": (4, 3),
             "public": (8, 6)},
    "merged": {"self": (1, 1), "supervisor": (1, 1), "peer": (4, 2), "subordinate": (3, 2),
               "public": (3, 0)},
    "sparse": {"self": (1, 1), "supervisor": (1, 1), "peer": (4, 2), "public": (2, 0)},
}  # fmt: skip

COMMENTS: tuple[tuple[str, str | None, str], ...] = (
    ("self", None, "Saya ingin memperdalam analisis data kepegawaian dan belajar memimpin "
     "rapat dengan lebih efektif."),
    ("supervisor", "M.8", "Laporan selalu tepat waktu dan rapi. Perlu lebih berani mengambil "
     "keputusan sendiri tanpa menunggu arahan untuk hal-hal yang sudah menjadi "
     "kewenangannya."),
    ("supervisor", "BA.6", "Penerapan SRIKANDI di subbagian berjalan, tetapi lambat; perlu "
     "lebih cepat menyesuaikan diri."),
    ("peer", "M.2", "Mudah diajak berdiskusi dan mau berbagi pengetahuan soal SIASN."),
    ("peer", "M.3", "Informasi rapat kadang baru sampai ke kami sehari sebelumnya."),
    ("peer", None, "Sangat membantu ketika kami menyiapkan usulan kenaikan pangkat."),
    ("subordinate", "M.3", "Arahan kadang berubah mendadak; akan membantu bila rencana kerja "
     "mingguan dibagikan lebih awal."),
    ("subordinate", "M.6", "Ibu sering memberi kesempatan kami ikut pelatihan."),
    ("public", "BA.1", "Pelayanan ramah dan penjelasannya mudah dipahami."),
    ("public", "M.5", "Antrean di loket cukup lama, tetapi petugas sigap membantu."),
)  # fmt: skip
MERGED_COMMENTS: tuple[tuple[str, str | None, str], ...] = (
    ("supervisor", "M.8", COMMENTS[1][2]),
    ("other", "M.2", "Mudah diajak berdiskusi dan mau berbagi pengetahuan soal SIASN."),
    ("other", None, "Arahan kadang berubah mendadak; rencana kerja mingguan akan membantu."),
)


def agreement_of(rwg: float | None) -> Agreement | None:
    return agreement_band(rwg)  # the reports' own bands


def _shown(shape: Shape, min_group_size: int) -> tuple[dict[str, int], list[ResponseCount]]:
    """The groups shown with their n, and the response counts, by the merge rule."""
    groups = GROUPS[shape]
    small = {
        g: r for g, (_, r) in groups.items()
        if g in ("peer", "subordinate", "public") and r < min_group_size
    }  # fmt: skip
    merged_n = sum(small.values())
    other_shown = merged_n >= min_group_size
    shown: dict[str, int] = {}
    counts = []
    for group, (invited, responded) in groups.items():
        if group in small:
            shown_as = "other" if other_shown else "suppressed"
            counts.append(
                ResponseCount(
                    group=group,
                    invited=invited,
                    responded=responded if other_shown else None,
                    shown_as=shown_as,
                )
            )
            continue
        if responded:
            shown[group] = responded
        counts.append(
            ResponseCount(group=group, invited=invited, responded=responded, shown_as=group)
        )
    if other_shown and merged_n:
        shown["other"] = merged_n
    return shown, counts


def _r2(value: float) -> float:
    return round(value, 2)


def _clamp(value: float) -> float:
    return min(5.0, max(1.0, value))


def _figures(
    rng: random.Random, level: float, shown: dict[str, int], suppressed_other: bool
) -> tuple[list[GroupFigure], dict[str, float], dict[str, float]]:
    figures = []
    means: dict[str, float] = {}
    calibrated: dict[str, float] = {}
    for group in ("self", "supervisor", "peer", "subordinate", "public", "other"):
        if group not in shown:
            if group == "other" and suppressed_other:
                figures.append(GroupFigure(group="other", suppressed=True))
            continue
        n = shown[group]
        mean = _r2(_clamp(level + GROUP_BIAS[group] + rng.uniform(-0.25, 0.25)))
        sd = None if n < 2 else _r2(rng.uniform(0.35, 0.95))
        cal = None if group == "self" else _r2(_clamp(mean + CALIBRATION[group]))
        figures.append(
            GroupFigure(group=group, suppressed=False, n=n, mean=mean, sd=sd, calibrated_mean=cal)
        )
        means[group] = mean
        if cal is not None:
            calibrated[group] = cal
    return figures, means, calibrated


def _weighted(values: dict[str, float], shown: dict[str, int]) -> float | None:
    weights = {g: shown[g] for g in values if g != "self"}
    total = sum(weights.values())
    if not total:
        return None
    return _r2(sum(values[g] * w for g, w in weights.items()) / total)


def _dimension(
    rng: random.Random,
    kind: Literal["competency", "value"],
    code: str,
    names: tuple[str, str],
    shown: dict[str, int],
    suppressed_other: bool,
    min_group_size: int,
    threshold: float,
) -> DimensionResult:
    level = LEVEL[code]
    figures, means, calibrated = _figures(rng, level, shown, suppressed_other)
    if "self" in means:  # her own view, off by the bias of this dimension
        self_mean = _r2(_clamp(level + SELF_BIAS.get(code, 0.25)))
        means["self"] = self_mean
        figures[0] = figures[0].model_copy(update={"mean": self_mean})
    others_n = sum(n for g, n in shown.items() if g != "self")
    others = _weighted(means, shown)
    others_cal = _weighted(calibrated, shown)
    if others is not None:
        figures.append(
            GroupFigure(
                group="overall", suppressed=False, n=others_n, mean=others,
                sd=_r2(rng.uniform(0.4, 0.9)) if others_n > 1 else None,
                calibrated_mean=others_cal,
            )
        )  # fmt: skip
    self_mean_opt = means.get("self")
    gap = _r2(self_mean_opt - others) if self_mean_opt is not None and others else None
    flag: Literal["blind_spot", "hidden_strength"] | None = None
    if gap is not None and gap > threshold:
        flag = "blind_spot"
    elif gap is not None and gap < -threshold:
        flag = "hidden_strength"
    anonymous = sum(n for g, n in shown.items() if g in ("peer", "subordinate", "public", "other"))
    rwg = _r2(rng.uniform(0.28, 0.93)) if anonymous >= min_group_size else None
    items = []
    for index, (text_id, text_en) in enumerate(ITEMS[code]):
        shift = 0.15 if index == 0 else -0.15
        item_groups = [
            figure
            if figure.suppressed or figure.mean is None
            else figure.model_copy(
                update={
                    "mean": _r2(_clamp(figure.mean + shift)),
                    "calibrated_mean": None
                    if figure.calibrated_mean is None
                    else _r2(_clamp(figure.calibrated_mean + shift)),
                }
            )
            for figure in figures
        ]
        items.append(
            ItemResult(
                code=f"{code.replace('.', '')}-{'ab'[index]}",
                text_id=text_id,
                text_en=text_en,
                groups=item_groups,
            )
        )
    return DimensionResult(
        kind=kind,
        code=code,
        name_id=names[0],
        name_en=names[1],
        required_level=REQUIRED_LEVEL.get(code) if kind == "competency" else None,
        groups=figures,
        self_mean=self_mean_opt,
        others_mean=others,
        others_calibrated_mean=others_cal,
        self_minus_others=gap,
        flag=flag,
        rwg=rwg,
        agreement=agreement_of(rwg),
        items=items,
    )


def _develop_next(dimensions: list[DimensionResult]) -> list[DevelopmentSuggestion]:
    """Below the required level first, then blind spots, then the lowest rated value."""
    suggestions = []
    for d in dimensions:
        required, others = d.required_level, d.others_mean
        if required is None or others is None or others >= required:
            continue
        suggestions.append(
            DevelopmentSuggestion(
                dimension_code=d.code, name_id=d.name_id, name_en=d.name_en,
                reason="below_required_level",
                detail_id=f"Penilaian orang lain {_id_number(others)} masih di bawah "
                f"tingkat {required} yang dipersyaratkan jabatan.",
                detail_en=f"Others rate {others:.2f}, below the level {required} the "
                "position requires.",
            )
        )  # fmt: skip
    for d in dimensions:
        if d.flag == "blind_spot" and d.self_minus_others is not None:
            suggestions.append(
                DevelopmentSuggestion(
                    dimension_code=d.code, name_id=d.name_id, name_en=d.name_en,
                    reason="blind_spot",
                    detail_id=f"Penilaian diri {_id_number(d.self_mean)} lebih tinggi "
                    f"{_id_number(d.self_minus_others)} poin daripada penilaian orang lain "
                    f"({_id_number(d.others_mean)}).",
                    detail_en=f"Your own rating ({d.self_mean:.2f}) is "
                    f"{d.self_minus_others:.2f} points above others' ({d.others_mean:.2f}).",
                )
            )  # fmt: skip
    rated = [d for d in dimensions if d.kind == "value" and d.others_mean is not None]
    if rated:
        lowest = min(rated, key=lambda d: d.others_mean or 0.0)
        suggestions.append(
            DevelopmentSuggestion(
                dimension_code=lowest.code, name_id=lowest.name_id, name_en=lowest.name_en,
                reason="lowest_rated",
                detail_id=f"Nilai terendah di antara nilai dasar BerAKHLAK "
                f"({_id_number(lowest.others_mean)}).",
                detail_en=f"The lowest rated of the BerAKHLAK values "
                f"({lowest.others_mean:.2f}).",
            )
        )  # fmt: skip
    return suggestions


def _id_number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def build_report(
    shape: Shape = "full",
    *,
    cycle_id: uuid.UUID = CYCLE_ID,
    cycle_name: str = "Umpan Balik 360° Tahun 2026",
    agency_code: str = "36.74",
    subject: ReportSubject = SUBJECT,
    preview: bool = False,
    published_at: datetime | None = PUBLISHED_AT,
    min_group_size: int = 3,
    blind_spot_threshold: float = 1.0,
    seed: int = 360,
) -> ReportOut:
    """One subject's report with figures of the given ``shape`` (see the module)."""
    rng = random.Random(f"{seed}:{subject.nip}:{shape}")
    shown, counts = _shown(shape, min_group_size)
    suppressed_other = any(c.shown_as == "suppressed" for c in counts)
    dimensions = [
        _dimension(rng, "value", code, names, shown, suppressed_other, min_group_size,
                   blind_spot_threshold)
        for code, names in BERAKHLAK_VALUES.items()
    ] + [
        _dimension(rng, "competency", code, names, shown, suppressed_other, min_group_size,
                   blind_spot_threshold)
        for code, names in MANAGERIAL.items()
    ]  # fmt: skip
    others_n = sum(n for g, n in shown.items() if g != "self")
    overall_means = [d.others_mean for d in dimensions if d.others_mean is not None]
    overall_cal = [
        d.others_calibrated_mean for d in dimensions if d.others_calibrated_mean is not None
    ]
    overall = GroupFigure(
        group="overall",
        suppressed=False,
        n=others_n,
        mean=_r2(sum(overall_means) / len(overall_means)),
        sd=_r2(rng.uniform(0.45, 0.8)) if others_n > 1 else None,
        calibrated_mean=_r2(sum(overall_cal) / len(overall_cal)),
    )
    rwgs = [d.rwg for d in dimensions if d.rwg is not None]
    comments: list[Comment] = []
    if shape != "sparse":
        source = COMMENTS if shape == "full" else MERGED_COMMENTS
        comments = [
            Comment(group=group, dimension_code=code, text=text) for group, code, text in source
        ]
    return ReportOut(
        cycle_id=cycle_id,
        cycle_name=cycle_name,
        agency_code=agency_code,
        subject=subject,
        preview=preview,
        published_at=None if preview else published_at,
        min_group_size=min_group_size,
        blind_spot_threshold=blind_spot_threshold,
        responses=counts,
        overall=overall,
        overall_rwg=_r2(sum(rwgs) / len(rwgs)) if rwgs else None,
        dimensions=dimensions,
        blind_spots=[d.code for d in dimensions if d.flag == "blind_spot"],
        hidden_strengths=[d.code for d in dimensions if d.flag == "hidden_strength"],
        comments=comments,
        develop_next=_develop_next(dimensions),
    )


def report_body(report: ReportOut) -> dict[str, Any]:
    """What ``feedback_reports.body`` holds."""
    return report.model_dump(mode="json")
