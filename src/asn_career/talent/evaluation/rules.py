"""The career-system evaluation's figures and the merit-system evidence they give. Pure.

Each figure has a code, a name and a definition in English and Indonesian, the direction
that is better, and the threshold a merit indicator reads it against. The merit system
(PermenPANRB 40/2018) has eight aspects; this service holds data for some of them only,
and says which it cannot judge rather than guessing.
"""

from dataclasses import dataclass
from typing import Final, Literal

Better = Literal["higher", "lower"]
Trend = Literal["up", "down", "flat", "no_data"]
Verdict = Literal["supports", "contradicts", "inconclusive", "no_data"]


@dataclass(frozen=True)
class FigureDef:
    code: str
    unit: str
    better: Better
    name_en: str
    name_id: str
    definition_en: str
    definition_id: str


FIGURES: Final[tuple[FigureDef, ...]] = (
    FigureDef("jp20_share", "share", "higher", "Staff reaching 20 JP",
              "Pegawai mencapai 20 JP",
              "Share of active employees with at least 20 lesson hours (JP) of training "
              "started in the year.",
              "Persentase pegawai aktif dengan paling sedikit 20 jam pelajaran (JP) "
              "pengembangan kompetensi yang dimulai pada tahun tersebut."),
    FigureDef("training_equity", "ratio", "higher", "Equal access to training",
              "Kesetaraan akses pelatihan",
              "Lowest group mean JP divided by the highest, across units, gender and rank "
              "groups (groups of at least 5 employees); 1 means equal access.",
              "Rata-rata JP kelompok terendah dibagi yang tertinggi, antarunit, jenis kelamin "
              "dan golongan (kelompok paling sedikit 5 pegawai); 1 berarti akses setara."),
    FigureDef("competency_gap", "level", "lower", "Average competency gap",
              "Rata-rata kesenjangan kompetensi",
              "Mean gap (levels) of the positive training needs, as training needs computes "
              "them: required level of the position or target minus the level held. Each "
              "year as of its last day (this year: today): the position held that day, the "
              "levels assessed by then (the latest assessment of the most trusted source), "
              "the latest SKP up to the year, and as targets the career interests recorded "
              "by then; approved rotation placements are today's plans and count for this "
              "year only. Today's active staff (no history of status is kept).",
              "Rata-rata kesenjangan (level) kebutuhan pelatihan yang positif, sebagaimana "
              "dihitung analisis kebutuhan pelatihan: level yang dipersyaratkan jabatan atau "
              "jabatan sasaran dikurangi level yang dimiliki. Tiap tahun dihitung pada hari "
              "terakhirnya (tahun ini: hari ini): jabatan yang diduduki pada hari itu, level "
              "hasil penilaian sampai hari itu (penilaian terakhir dari sumber yang paling "
              "tepercaya), SKP terakhir sampai tahun itu, dan sebagai sasaran minat karier "
              "yang tercatat sampai hari itu; penempatan rotasi yang sudah disetujui adalah "
              "rencana saat ini sehingga hanya dihitung untuk tahun ini. Yang dihitung pegawai "
              "yang aktif saat ini (riwayat status tidak disimpan)."),
    FigureDef("feedback_participation", "share", "higher", "360° participation",
              "Partisipasi umpan balik 360°",
              "Share of active employees who were the subject of a 360° cycle ending in "
              "the year.",
              "Persentase pegawai aktif yang menjadi subjek siklus umpan balik 360° yang "
              "berakhir pada tahun tersebut."),
    FigureDef("feedback_completion", "share", "higher", "360° completion",
              "Penyelesaian umpan balik 360°",
              "Share of 360° requests of those cycles that were submitted.",
              "Persentase permintaan penilaian 360° pada siklus tersebut yang telah dikirim."),
    FigureDef("mentoring_coverage", "share", "higher", "Mentoring coverage",
              "Cakupan mentoring",
              "Share of active employees matched as mentees (active or completed) in a "
              "programme running in the year.",
              "Persentase pegawai aktif yang menjadi mentee (aktif atau selesai) dalam "
              "program mentoring yang berjalan pada tahun tersebut."),
    FigureDef("mentoring_satisfaction", "scale", "higher", "Mentoring satisfaction",
              "Kepuasan mentoring",
              "Mean rating (1–5) mentees gave their mentoring relationships in those "
              "programmes.",
              "Rata-rata penilaian (1–5) mentee atas hubungan mentoring dalam program "
              "tersebut."),
    FigureDef("rotation_rate", "share", "higher", "Rotation rate", "Tingkat rotasi",
              "Moves between positions in the year divided by employees holding a position.",
              "Jumlah perpindahan jabatan dalam tahun dibagi pegawai yang memegang jabatan."),
    FigureDef("tenure_past_max", "share", "lower", "Staff past the maximum tenure",
              "Pegawai melewati masa jabatan maksimum",
              "Share of position holders in the same position longer than the agency's "
              "rotation policy allows (at the year's end, or today).",
              "Persentase pemegang jabatan yang menduduki jabatan yang sama melebihi batas "
              "kebijakan rotasi instansi (pada akhir tahun, atau hari ini)."),
    FigureDef("placement_fit", "share", "higher", "Placement fit", "Kesesuaian penempatan",
              "Share of position holders whose education and competencies fit their "
              "position (neither below the rotations' poor-fit line), at the year's end "
              "(this year: today): the position held that day, the levels assessed and the "
              "education finished by then (graduated that year or earlier, or no year "
              "recorded). Staff retired or dismissed by now are left out.",
              "Persentase pemegang jabatan yang pendidikan dan kompetensinya sesuai dengan "
              "jabatannya (keduanya tidak di bawah batas kesesuaian rendah) pada akhir tahun "
              "(tahun ini: hari ini): jabatan yang diduduki pada hari itu, level hasil "
              "penilaian dan pendidikan yang sudah ditamatkan sampai saat itu (lulus pada "
              "tahun itu atau sebelumnya, atau tahun lulus tidak tercatat). Pegawai yang kini "
              "sudah pensiun atau diberhentikan tidak dihitung."),
    FigureDef("talent_promotion_ratio", "ratio", "higher",
              "Promotion of boxes 7–9 against the rest", "Promosi kotak 7–9 dibanding lainnya",
              "Promotion rate in the year of those in 9-box boxes 7–9 the year before, divided "
              "by the rate of everyone else with a box; a promotion is a new primary position "
              "at least one step up the career ladder (structural kind, or functional level as "
              "equalised).",
              "Tingkat promosi pada tahun tersebut bagi pegawai di kotak 7–9 (9-box) tahun "
              "sebelumnya, dibagi tingkat promosi pegawai lain yang memiliki kotak; promosi "
              "adalah jabatan utama baru yang paling sedikit satu jenjang lebih tinggi (jenis "
              "jabatan struktural, atau jenjang fungsional sesuai penyetaraan)."),
    FigureDef("employee_satisfaction", "index", "higher", "Satisfaction with career management",
              "Kepuasan terhadap manajemen karier",
              "Satisfaction index (0–100) of the year's closed career-management survey.",
              "Indeks kepuasan (0–100) dari survei manajemen karier tahun tersebut yang "
              "telah ditutup."),
    FigureDef("promotion_fairness", "scale", "higher",
              "Perceived fairness of promotion and rotation",
              "Persepsi keadilan promosi dan rotasi",
              "Mean answer (1–5) to the survey's two questions on fair promotion and fair "
              "rotation.",
              "Rata-rata jawaban (1–5) atas dua pertanyaan survei tentang keadilan promosi "
              "dan rotasi."),
    FigureDef("information_system_satisfaction", "scale", "higher",
              "Satisfaction with the HR information system",
              "Kepuasan terhadap sistem informasi kepegawaian",
              "Mean answer (1–5) to the survey's information-system question.",
              "Rata-rata jawaban (1–5) atas pertanyaan survei tentang sistem informasi."),
)  # fmt: skip
FIGURE_CODES: Final = tuple(f.code for f in FIGURES)
BY_CODE: Final = {f.code: f for f in FIGURES}

TREND_EPSILON: Final[dict[str, float]] = {
    "share": 0.005, "ratio": 0.01, "level": 0.01, "scale": 0.01, "index": 0.5,
}  # fmt: skip
"""Changes smaller than this are ``flat``."""

MIN_EQUITY_GROUP: Final = 5
"""Groups with fewer employees are left out of the training-equity ratio."""


def trend(value: float | None, previous: float | None, unit: str) -> Trend:
    if value is None or previous is None:
        return "no_data"
    delta = value - previous
    if abs(delta) < TREND_EPSILON.get(unit, 0.0):
        return "flat"
    return "up" if delta > 0 else "down"


def share(part: int, whole: int) -> float | None:
    """A share, or None (no data) without a whole."""
    return round(part / whole, 4) if whole else None


def equity_ratio(means: list[float]) -> float | None:
    """Lowest group mean over the highest; None with fewer than two groups; 1 when no one
    trained at all (equally nothing)."""
    if len(means) < 2:
        return None
    high = max(means)
    return 1.0 if high == 0 else round(min(means) / high, 4)


# --- merit system ------------------------------------------------------------------------

ASPECTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("perencanaan_kebutuhan", "Perencanaan kebutuhan", "Workforce planning"),
    ("pengadaan", "Pengadaan", "Recruitment"),
    ("pengembangan_karier", "Pengembangan karier", "Career development"),
    ("promosi_dan_mutasi", "Promosi dan mutasi", "Promotion and rotation"),
    ("manajemen_kinerja", "Manajemen kinerja", "Performance management"),
    ("penggajian_penghargaan_disiplin", "Penggajian, penghargaan dan disiplin",
     "Pay, rewards and discipline"),
    ("perlindungan_dan_pelayanan", "Perlindungan dan pelayanan", "Protection and service"),
    ("sistem_informasi", "Sistem informasi", "Information system"),
)  # fmt: skip


@dataclass(frozen=True)
class Indicator:
    """``figure`` supports the indicator at or beyond ``supports``, contradicts it at or
    beyond ``contradicts`` (in the figure's worse direction), and is inconclusive between."""

    aspect: str
    code: str
    figure: str
    supports: float
    contradicts: float
    text_en: str
    text_id: str


INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator("pengembangan_karier", "jp20", "jp20_share", 0.8, 0.5,
              "Every employee develops competencies for at least 20 JP a year",
              "Setiap pegawai mengikuti pengembangan kompetensi paling sedikit 20 JP setahun"),
    Indicator("pengembangan_karier", "equal_access", "training_equity", 0.8, 0.6,
              "Development opportunities are open equally to all employees",
              "Kesempatan pengembangan terbuka setara bagi seluruh pegawai"),
    Indicator("pengembangan_karier", "competency_gap", "competency_gap", 1.0, 2.0,
              "Development closes the gap to the competency standard of the position",
              "Pengembangan menutup kesenjangan terhadap standar kompetensi jabatan"),
    Indicator("pengembangan_karier", "mentoring", "mentoring_coverage", 0.1, 0.02,
              "Mentoring and coaching support career development",
              "Mentoring dan coaching mendukung pengembangan karier"),
    Indicator("promosi_dan_mutasi", "placement_fit", "placement_fit", 0.8, 0.6,
              "Placement follows competency and qualification",
              "Penempatan sesuai kompetensi dan kualifikasi"),
    Indicator("promosi_dan_mutasi", "tenure", "tenure_past_max", 0.1, 0.25,
              "Rotation is planned: few stay beyond the maximum tenure",
              "Rotasi terencana: sedikit pegawai melewati masa jabatan maksimum"),
    Indicator("promosi_dan_mutasi", "talent_promotion", "talent_promotion_ratio", 1.5, 1.0,
              "Promotion favours the talent pool (high performance and potential)",
              "Promosi mengutamakan kelompok talenta (kinerja dan potensial tinggi)"),
    Indicator("promosi_dan_mutasi", "fair_promotion", "promotion_fairness", 3.5, 2.5,
              "Employees see promotion and rotation as fair and open",
              "Pegawai menilai promosi dan mutasi adil dan terbuka"),
    Indicator("manajemen_kinerja", "feedback_participation", "feedback_participation", 0.5,
              0.2, "Performance is assessed objectively, with 360° feedback for many",
              "Kinerja dinilai secara objektif, dengan umpan balik 360° bagi banyak pegawai"),
    Indicator("manajemen_kinerja", "feedback_completion", "feedback_completion", 0.7, 0.4,
              "Raters complete the feedback they are asked for",
              "Penilai menyelesaikan umpan balik yang diminta"),
    Indicator("perlindungan_dan_pelayanan", "satisfaction", "employee_satisfaction", 60.0,
              40.0, "Employees are satisfied with how their careers are managed",
              "Pegawai puas terhadap pengelolaan karier mereka"),
    Indicator("sistem_informasi", "information_system", "information_system_satisfaction",
              3.5, 2.5, "An integrated, accurate information system open to every employee",
              "Sistem informasi terintegrasi, akurat dan terbuka bagi setiap pegawai"),
)  # fmt: skip


def verdict(indicator: Indicator, value: float | None) -> Verdict:
    if value is None:
        return "no_data"
    if BY_CODE[indicator.figure].better == "higher":
        if value >= indicator.supports:
            return "supports"
        return "contradicts" if value <= indicator.contradicts else "inconclusive"
    if value <= indicator.supports:
        return "supports"
    return "contradicts" if value >= indicator.contradicts else "inconclusive"


def threshold_value(value: float, unit: str, *, indonesian: bool) -> str:
    """A threshold as its figure is shown: shares in per cent (``80%``), others as
    numbers, with a decimal comma in Indonesian."""
    text = f"{value * 100:g}%" if unit == "share" else f"{value:g}"
    return text.replace(".", ",") if indonesian else text


def threshold_text(indicator: Indicator) -> tuple[str, str]:
    """The thresholds as a sentence (English, Indonesian)."""
    d = BY_CODE[indicator.figure]
    s_en, c_en = (threshold_value(v, d.unit, indonesian=False)
                  for v in (indicator.supports, indicator.contradicts))  # fmt: skip
    s_id, c_id = (threshold_value(v, d.unit, indonesian=True)
                  for v in (indicator.supports, indicator.contradicts))  # fmt: skip
    if d.better == "higher":
        return (f"supports at ≥ {s_en}, contradicts at ≤ {c_en}",
                f"mendukung bila ≥ {s_id}, bertentangan bila ≤ {c_id}")  # fmt: skip
    return (f"supports at ≤ {s_en}, contradicts at ≥ {c_en}",
            f"mendukung bila ≤ {s_id}, bertentangan bila ≥ {c_id}")  # fmt: skip


# --- promotion of the talent pool --------------------------------------------------------

LADDER: Final[dict[str, int]] = {
    "pelaksana": 1, "pemula": 1, "terampil": 2, "mahir": 2, "penyelia": 3,
    "ahli_pertama": 3, "pengawas": 4, "ahli_muda": 4, "administrator": 5, "ahli_madya": 5,
    "jpt_pratama": 6, "ahli_utama": 6, "jpt_madya": 7, "jpt_utama": 8,
}  # fmt: skip
"""A position's step on one career ladder: its kind, or for a fungsional position its
level, with the functional levels set beside the structural ones as the 2019
equalisation (penyetaraan jabatan) set them: pengawas ≈ ahli muda, administrator ≈ ahli
madya. A promotion is a new primary assignment one or more steps up."""
TALENT_BOXES: Final = (7, 8, 9)


def ladder_step(kind: str, functional_level: str | None) -> int | None:
    return LADDER.get(functional_level or "") if kind == "fungsional" else LADDER.get(kind)


def ladder_sql(kind: str, functional_level: str) -> str:
    """``ladder_step`` as SQL over two column names (pinned to it by a test)."""
    levels = " ".join(f"WHEN '{k}' THEN {v}" for k, v in LADDER.items())
    return (
        f"(CASE WHEN {kind} = 'fungsional' THEN (CASE {functional_level} {levels} END) "
        f"ELSE (CASE {kind} {levels} END) END)"
    )


def promotion_ratio(top_promoted: int, top: int, rest_promoted: int, rest: int) -> float | None:
    """The talent pool's promotion rate over the rest's: None without either group, or
    when the rest had no promotion (nothing to compare against)."""
    if not top or not rest or not rest_promoted:
        return None
    return round((top_promoted / top) / (rest_promoted / rest), 4)
