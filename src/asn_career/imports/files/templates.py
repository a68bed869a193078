"""Empty import templates an office fills in: the header row of a kind in the chosen
mapping, and (XLSX) a "Petunjuk" sheet describing each column. Pure: no I/O.

The columns, which of them are required, their types and SIASN names all come from the
kind's spec (``imports.files.mapping.KIND_COLUMNS``, declared by the domains); the codes a
column takes come from the SIASN vocabulary (``imports.siasn.vocabulary``), whose values
are also ours (every value of ours decodes to itself). Only what a column *means* is
written here, by field name, since no spec says it.
"""

import csv
import io
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from asn_career.core.spec import Column, KindSpec
from asn_career.imports.files.mapping import KIND_COLUMNS, MappingName, required_fields
from asn_career.imports.siasn.vocabulary import VOCABULARIES

TemplateFormat = Literal["xlsx", "csv"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
INSTRUCTIONS_SHEET = "Petunjuk"

# What each field means (Indonesian, English); ``(kind, field)`` where a name means
# different things in different kinds. ``test_import_templates`` checks every column has one.
_MEANINGS: dict[tuple[str, str] | str, tuple[str, str]] = {
    ("units", "code"): ("Kode unit organisasi (unik di instansi)", "Unit code (unique)"),
    ("units", "name"): ("Nama unit organisasi", "Unit name"),
    ("units", "kind"): ("Jenis unit", "Kind of unit"),
    "parent_code": ("Kode unit atasan (kosong: unit teratas)", "Parent unit code (empty: root)"),
    ("positions", "code"): ("Kode jabatan (unik di instansi)", "Position code (unique)"),
    ("positions", "title"): ("Nama jabatan", "Position title"),
    ("positions", "kind"): ("Jenis jabatan", "Kind of position"),
    "unit_code": ("Kode unit organisasi", "Unit code"),
    "functional_level": ("Jenjang jabatan fungsional", "Functional level"),
    "min_rank": ("Golongan/ruang terendah", "Lowest rank (golongan/ruang)"),
    "max_rank": ("Golongan/ruang tertinggi", "Highest rank (golongan/ruang)"),
    "reports_to_code": ("Kode jabatan atasan langsung", "Code of the superior position"),
    "required_competencies": ("Kompetensi yang disyaratkan", "Required competencies"),
    "preferred_education_fields": ("Bidang pendidikan yang diutamakan", "Preferred fields"),
    "is_shared": ("Jabatan dapat dipegang banyak pegawai", "Held by several employees"),
    "nip": ("NIP pegawai (18 digit)", "Employee NIP (18 digits)"),
    ("employees", "name"): ("Nama lengkap tanpa gelar", "Full name without titles"),
    "front_title": ("Gelar depan", "Title before the name"),
    "back_title": ("Gelar belakang", "Title after the name"),
    "gender": ("Jenis kelamin", "Gender"),
    "birth_date": ("Tanggal lahir", "Date of birth"),
    "birth_place": ("Tempat lahir", "Place of birth"),
    "employment_type": ("Jenis pegawai (PNS atau PPPK)", "Employment type (PNS or PPPK)"),
    "appointment_date": ("TMT CPNS/PPPK", "Appointment date (TMT)"),
    "rank": ("Golongan/ruang terakhir", "Current rank (golongan/ruang)"),
    "status": ("Kedudukan hukum", "Employment status"),
    "unit_name": ("Nama unit organisasi (bila kode tidak ada)", "Unit name (when no code)"),
    "nik": ("NIK (16 digit)", "National ID number (16 digits)"),
    "email": ("Alamat email", "Email address"),
    ("education", "level"): ("Tingkat pendidikan", "Education level"),
    "field": ("Jurusan/program studi", "Field of study"),
    "institution": ("Nama sekolah/perguruan tinggi", "School or university"),
    "graduation_year": ("Tahun lulus", "Year of graduation"),
    "position_code": ("Kode jabatan", "Position code"),
    "position_title": ("Nama jabatan (bila kode tidak ada)", "Position title (when no code)"),
    "start_date": ("Tanggal mulai (TMT)", "Start date"),
    "end_date": ("Tanggal selesai (kosong: masih berlaku)", "End date (empty: ongoing)"),
    "decree_number": ("Nomor SK", "Decree number"),
    "decree_date": ("Tanggal SK", "Decree date"),
    "is_primary": ("Jabatan utama", "Primary assignment"),
    ("trainings", "title"): ("Nama pelatihan/diklat", "Training title"),
    "hours_jp": ("Jumlah jam pelajaran (JP)", "Hours (JP)"),
    "year": ("Tahun", "Year"),
    "provider": ("Penyelenggara", "Provider"),
    "form": ("Bentuk pengembangan kompetensi", "Form of training"),
    ("trainings", "competencies"): ("Kode kompetensi yang dikembangkan", "Competency codes"),
    "certificate_number": ("Nomor sertifikat", "Certificate number"),
    "period": ("Periode penilaian SKP", "SKP period"),
    "results": ("Hasil kerja", "Work results rating"),
    "behaviour": ("Perilaku kerja", "Work behaviour rating"),
    "score": ("Nilai SKP", "SKP score"),
    "predicate": ("Predikat kinerja (harus sesuai matriks)", "Predicate (must match the matrix)"),
    "competency": ("Kode kompetensi", "Competency code"),
    ("competencies", "level"): ("Level kompetensi", "Competency level"),
    "source": ("Sumber penilaian", "Source of the assessment"),
    "assessed_on": ("Tanggal penilaian", "Date of the assessment"),
    "notes": ("Keterangan", "Notes"),
    "severity": ("Tingkat hukuman disiplin", "Severity"),
    ("sanctions", "kind"): ("Jenis hukuman disiplin", "Kind of sanction"),
    "reason": ("Alasan hukuman", "Reason"),
    ("training_courses", "code"): ("Kode kursus (unik di instansi)", "Course code (unique)"),
    ("training_courses", "title"): ("Nama pelatihan", "Course title"),
    "description": ("Uraian singkat", "Description"),
    "cost_per_participant": ("Biaya per peserta (Rp)", "Cost per participant (IDR)"),
    "fixed_cost_per_batch": ("Biaya tetap per angkatan (Rp)", "Fixed cost per batch (IDR)"),
    "min_participants": ("Peserta minimum per angkatan", "Minimum participants per batch"),
    "max_participants": ("Peserta maksimum per angkatan", "Maximum participants per batch"),
    "starts_on": ("Tanggal mulai pelaksanaan", "First day"),
    "ends_on": ("Tanggal selesai pelaksanaan", "Last day"),
    "eligible_position_kinds": (
        "Jenis jabatan yang boleh ikut (kosong: semua)",
        "Eligible position kinds (empty: all)",
    ),
    ("training_courses", "competencies"): (
        "Kompetensi yang dikembangkan dan level yang dicapai, KODE:LEVEL",
        "Competencies and the level reached, CODE:LEVEL",
    ),
    "reassess_on_completion": (
        "Kompetensi dinilai ulang setelah pelatihan selesai",
        "Reassess the competencies after completion",
    ),
    "active": ("Kursus aktif (menerima pendaftaran)", "Active (takes enrolments)"),
}

_TYPES: dict[str, tuple[str, str]] = {
    "text": ("teks", "text"),
    "nip": ("angka sebagai teks (format kolom: Teks)", "digits as text (format: Text)"),
    "int": ("bilangan bulat", "whole number"),
    "decimal": ("angka (desimal dengan , atau .)", "number (decimals with , or .)"),
    "bool": ("ya/tidak (true/false)", "yes/no (true/false)"),
    "list": ("daftar, dipisah ;", "list, separated by ;"),
    "requirements": ("KODE:LEVEL dipisah ; (mis. M.1:3;T.2:2)", "CODE:LEVEL; … (e.g. M.1:3)"),
}


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    field: str
    required: str
    type_id: str
    type_en: str
    meaning_id: str
    meaning_en: str
    accepted: tuple[str, ...]


def meaning(kind: str, field: str) -> tuple[str, str]:
    """(Indonesian, English) meaning of a kind's field; ``KeyError`` when none is written."""
    return _MEANINGS.get((kind, field)) or _MEANINGS[field]


def header_of(column: Column, mapping: MappingName) -> str:
    """The column's name in a file of ``mapping``: its first SIASN name, else its own."""
    return column.siasn[0] if mapping == "siasn" and column.siasn else column.name


def _type(column: Column, mapping: MappingName) -> tuple[str, str]:
    kind = (column.siasn_type or column.type) if mapping == "siasn" else column.type
    if kind == "date":
        if mapping == "siasn":
            return ("tanggal DD-MM-YYYY atau YYYY-MM-DD", "date DD-MM-YYYY or YYYY-MM-DD")
        return ("tanggal YYYY-MM-DD", "date YYYY-MM-DD")
    if kind in VOCABULARIES:
        return ("kode (lihat nilai yang diterima)", "code (see accepted values)")
    return _TYPES.get(kind, _TYPES["text"])


def _accepted(column: Column, mapping: MappingName) -> tuple[str, ...]:
    """The values a vocabulary column takes: ours (native), or SIASN's codes and names
    with the value each stands for (siasn; ours are accepted there too)."""
    vocabulary = VOCABULARIES.get(column.siasn_type or "")
    if vocabulary is None:
        return ()
    if mapping == "native":
        return tuple(vocabulary.values)
    return tuple(
        f"{', '.join(written)} → {ours}" if written else ours
        for ours, written in vocabulary.values.items()
    )


def _required(spec: KindSpec, mapping: MappingName) -> dict[str, str]:
    """Field → ``ya``/``yes``-style marks: required, or one of a group."""
    marks = {name: "ya / yes" for name in required_fields(spec, mapping)}
    for group in spec.one_of:
        shown = group.siasn if mapping == "siasn" else group.native
        if shown is None:
            continue
        by_name = spec.by_name()
        names = " / ".join(header_of(by_name[f], mapping) for f in group.fields)
        for name in group.fields:
            marks.setdefault(name, f"salah satu / one of: {names}")
    return marks


def template_columns(kind: str, mapping: MappingName) -> list[TemplateColumn]:
    """Every column of ``kind``, in the spec's order, as a file of ``mapping`` names it."""
    spec = KIND_COLUMNS[kind]
    required = _required(spec, mapping)
    found = []
    for column in spec.columns:
        type_id, type_en = _type(column, mapping)
        meaning_id, meaning_en = meaning(kind, column.name)
        found.append(
            TemplateColumn(
                header=header_of(column, mapping),
                field=column.name,
                required=required.get(column.name, "tidak / no"),
                type_id=type_id,
                type_en=type_en,
                meaning_id=meaning_id,
                meaning_en=meaning_en,
                accepted=_accepted(column, mapping),
            )
        )
    return found


def file_name(kind: str, mapping: MappingName, fmt: TemplateFormat) -> str:
    return f"import-template-{kind}-{mapping}.{fmt}"


def csv_template(kind: str, mapping: MappingName) -> bytes:
    """The header row, UTF-8 with a BOM (as exports write it, so spreadsheets read it)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(
        [c.header for c in template_columns(kind, mapping)]
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_template(kind: str, mapping: MappingName) -> bytes:
    """The header row on the first sheet (bold, frozen; NIP/NIK columns formatted as text
    so their digits survive), and the "Petunjuk" sheet describing each column."""
    columns = template_columns(kind, mapping)
    spec = KIND_COLUMNS[kind].by_name()
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = kind
    data.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        data.cell(row=1, column=index).font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if spec[column.field].type == "nip":
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"

    guide = book.create_sheet(INSTRUCTIONS_SHEET)
    guide.append(
        [
            f"Isi lembar '{kind}' mulai baris 2; jangan ubah baris judulnya. "
            f"Fill in the sheet '{kind}' from row 2; keep its header row. "
            f"Mapping: {mapping}."
        ]
    )
    guide.append([])
    titles = [
        "Kolom / Column",
        "Wajib / Required",
        "Jenis",
        "Type",
        "Arti",
        "Meaning",
        "Nilai yang diterima / Accepted values",
    ]
    guide.append(titles)
    for index in range(1, len(titles) + 1):
        guide.cell(row=3, column=index).font = Font(bold=True)
    for column in columns:
        guide.append(
            [
                column.header,
                column.required,
                column.type_id,
                column.type_en,
                column.meaning_id,
                column.meaning_en,
                "\n".join(column.accepted),
            ]
        )
        guide.cell(row=guide.max_row, column=len(titles)).alignment = Alignment(wrap_text=True)
    for index, width in enumerate((24, 26, 30, 28, 40, 34, 60), start=1):
        guide.column_dimensions[get_column_letter(index)].width = width
    guide.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
