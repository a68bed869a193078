"""Import/export spec of employees (``core.spec``): the API's schema and the NIP and rank
rules of ``profiles.employees.rules``; the unit (by code or name) is resolved by the
importer in the database."""

from typing import Any

from asn_career.core.errors import ValidationProblem
from asn_career.core.spec import (
    Column,
    KindSpec,
    RowContext,
    RowInvalid,
    pick,
    problem_errors,
    validated,
)
from asn_career.profiles.employees.rules import new_employee_identity
from asn_career.profiles.employees.schemas import EmployeeCreate

_SIASN_PROFILE_COLUMNS = (
    "nipLama",
    "pendidikanTerakhirNama",
    "tkPendidikanTerakhir",
    "tmtPns",
    "instansiKerjaNama",
    "unorId",
    "unorIndukNama",
    "jenisJabatan",
    "jabatanNama",
    "tmtJabatan",
    "eselon",
    "tmtGolAkhir",
    "pangkatAkhir",
    "bupPensiun",
    "kuadranKinerjaNilai",
    "agama",
    "statusPerkawinan",
    "alamat",
    "noHp",
)


def _employee(fields: dict[str, Any], ctx: RowContext) -> dict[str, Any]:
    data = pick(
        fields,
        "nip",
        "name",
        "front_title",
        "back_title",
        "gender",
        "birth_date",
        "birth_place",
        "employment_type",
        "appointment_date",
        "rank",
        "status",
        "nik",
        "email",
    )
    body: EmployeeCreate = validated(EmployeeCreate, {**data, "agency": ctx.agency}, fields)
    try:
        info = new_employee_identity(
            body.nip,
            body.employment_type,
            birth_date=body.birth_date,
            gender=body.gender,
            appointment_date=body.appointment_date,
            rank=body.rank,
        )
    except ValidationProblem as exc:
        raise RowInvalid(problem_errors(exc, fields)) from exc
    return {
        "nip": body.nip,
        "name": body.name,
        "front_title": body.front_title,
        "back_title": body.back_title,
        "gender": info.gender,
        "birth_date": info.birth_date,
        "birth_place": body.birth_place,
        "employment_type": info.employment_type,
        "appointment_date": body.appointment_date or info.appointment_date,
        "rank_code": body.rank,
        "status": body.status,
        "unit_code": fields.get("unit_code"),
        "unit_name": fields.get("unit_name"),
        "nik": body.nik,
        "email": body.email,
    }


EMPLOYEES = KindSpec(
    kind="employees",
    columns=(
        Column("nip", True, ("nipBaru",), "nip"),
        Column("name", True, ("nama",)),
        Column("front_title", False, ("gelarDepan",)),
        Column("back_title", False, ("gelarBelakang",)),
        Column("gender", False, ("jenisKelamin",), siasn_type="gender"),
        Column("birth_date", False, ("tglLahir", "tanggalLahir"), "date"),
        Column("birth_place", False, ("tempatLahir",)),
        Column("employment_type", False, ("jenisPegawaiNama",), siasn_type="employment_type"),
        Column("appointment_date", False, ("tmtCpns",), "date"),
        Column("rank", False, ("golRuangAkhir",), siasn_type="rank"),
        Column("status", False, ("kedudukanHukumNama", "statusPegawai"), siasn_type="status"),
        Column("unit_code", False, ("kodeUnor",)),
        Column("unit_name", False, ("unorNama",)),
        Column("nik", False, ("nik",), "nip"),
        Column("email", False, ("email", "emailGov")),
    ),
    natural_key=("nip",),
    validate=_employee,
    siasn_ignored=_SIASN_PROFILE_COLUMNS,
)
