"""How the demo's raters answer a 360° questionnaire: pure and deterministic.

Real raters are not interchangeable. Each has a leniency (most near zero, some clearly
lenient or severe), some subjects rate themselves well above what others see (a blind spot)
or below it (a hidden strength), a few raters give every item the same score, and raters
who rarely see the subject at work mark items "not observed". The calibration and the
blind-spot detection of the reports have something to find because of this.
"""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from asn_career.feedback.rules import SCALE_MAX, SCALE_MIN

LENIENT, SEVERE = 0.9, -0.9


@dataclass(frozen=True)
class DemoItem:
    id: int
    dimension: str
    not_observed_allowed: bool


def rater_leniency(rng: random.Random) -> float:
    """Most raters within ±0.3 of the truth; one in eight lenient, one in eight severe."""
    draw = rng.random()
    if draw < 0.125:
        return LENIENT + rng.gauss(0.0, 0.15)
    if draw < 0.25:
        return SEVERE + rng.gauss(0.0, 0.15)
    return rng.gauss(0.0, 0.2)


def self_view(rng: random.Random) -> float:
    """How far a subject's self-rating sits from what others see: a third inflate it by
    more than a point (blind spots), one in ten deflate it (hidden strengths)."""
    draw = rng.random()
    if draw < 0.33:
        return 1.2 + rng.random() * 0.5
    if draw < 0.43:
        return -1.2 - rng.random() * 0.4
    return rng.gauss(0.2, 0.25)


def true_levels(
    rng: random.Random, dimensions: Sequence[str], known: Mapping[str, int]
) -> dict[str, float]:
    """The subject's level on each dimension: their recorded competency level where there
    is one, otherwise around a personal mean."""
    personal = rng.gauss(3.4, 0.45)
    return {
        code: float(known[code]) + rng.gauss(0.0, 0.3) if code in known else personal + rng.gauss(0.0, 0.4)
        for code in dimensions
    }


def answers(
    rng: random.Random,
    items: Sequence[DemoItem],
    levels: Mapping[str, float],
    bias: float,
    *,
    observes_little: bool,
) -> list[tuple[int, int | None]]:
    """One response: (item id, score or None for "not observed")."""
    if rng.random() < 0.03:  # straight-lining: the same score everywhere
        same = rng.choice((4, 4, 5, 3))
        return [(item.id, same) for item in items]
    given: list[tuple[int, int | None]] = []
    for item in items:
        if item.not_observed_allowed and rng.random() < (0.2 if observes_little else 0.03):
            given.append((item.id, None))
            continue
        score = round(levels[item.dimension] + bias + rng.gauss(0.0, 0.45))
        given.append((item.id, max(SCALE_MIN, min(SCALE_MAX, score))))
    return given


STRENGTHS = {
    "BA.1": "Selalu ramah dan sigap membantu masyarakat yang datang ke loket.",
    "BA.2": "Laporan kegiatannya selalu tepat waktu dan dapat dipertanggungjawabkan.",
    "BA.3": "Menguasai aturan kepegawaian dan mau berbagi ilmu dengan rekan kerja.",
    "BA.4": "Menjaga suasana kerja yang rukun, termasuk saat ada perbedaan pendapat.",
    "BA.5": "Menjaga nama baik instansi dan tidak pernah membocorkan data pegawai.",
    "BA.6": "Cepat menyesuaikan diri ketika aplikasi SIASN berganti versi.",
    "BA.7": "Aktif mengajak bidang lain bekerja sama dalam penyusunan rencana kerja.",
    "M.1": "Konsisten menolak gratifikasi dan menjadi contoh bagi tim.",
    "M.2": "Mudah diajak bekerja sama lintas bidang.",
    "M.3": "Menjelaskan kebijakan dengan bahasa yang mudah dipahami.",
    "M.4": "Fokus pada hasil dan menuntaskan pekerjaan sampai selesai.",
    "M.5": "Mengutamakan kepuasan masyarakat dalam setiap layanan.",
    "M.6": "Meluangkan waktu membimbing pegawai baru.",
    "M.7": "Memimpin tim dengan tenang saat ada perubahan struktur organisasi.",
    "M.8": "Berani mengambil keputusan dengan pertimbangan data yang jelas.",
}
IMPROVEMENTS = {
    "BA.1": "Perlu lebih sabar saat melayani pertanyaan yang berulang.",
    "BA.2": "Sebaiknya dokumen pendukung kegiatan diarsipkan lebih rapi.",
    "BA.3": "Perlu memperbarui pengetahuan tentang regulasi terbaru.",
    "BA.4": "Sesekali kurang terbuka menerima masukan dari rekan.",
    "BA.5": "Perlu lebih berhati-hati saat membagikan informasi internal.",
    "BA.6": "Masih ragu mencoba cara kerja baru yang berbasis aplikasi.",
    "BA.7": "Perlu lebih sering melibatkan tim dalam perencanaan.",
    "M.1": "Perlu lebih tegas menegakkan aturan di dalam tim.",
    "M.2": "Kadang menyelesaikan pekerjaan sendiri tanpa melibatkan tim.",
    "M.3": "Penyampaian arahan dalam rapat perlu lebih terstruktur.",
    "M.4": "Target kerja perlu dipantau lebih rutin agar tidak menumpuk di akhir tahun.",
    "M.5": "Waktu tunggu layanan masih bisa dipersingkat.",
    "M.6": "Perlu memberi umpan balik yang lebih rutin kepada staf.",
    "M.7": "Perlu menjelaskan alasan perubahan kepada staf lebih awal.",
    "M.8": "Keputusan sering tertunda menunggu arahan pimpinan.",
}


def comment(rng: random.Random, dimension: str, score: int | None) -> str | None:
    """A comment on one answer now and then, in the tone the score suggests."""
    if score is None or rng.random() > 0.08:
        return None
    pool = STRENGTHS if score >= 4 else IMPROVEMENTS
    return pool.get(dimension)
