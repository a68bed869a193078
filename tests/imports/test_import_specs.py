"""The importer follows the domains' import specs (``core.spec.KindSpec``)."""

import pytest

from asn_career.imports.files.kinds import KINDS as IMPORT_KINDS
from asn_career.imports.files.loading import SPECS
from asn_career.imports.files.mapping import KIND_COLUMNS, KINDS

STORED_AS = {
    "nip": "employee_id",
    "level": "level_code",
    "position_code": "position_id",
    "competency": "competency_id",
}
"""A natural key field → the column that holds it once resolved in a history (the rest,
and an employee's own ``nip``, keep their names)."""


@pytest.mark.parametrize("kind", KINDS)
def test_the_loader_upserts_by_the_specs_natural_key(kind: str) -> None:
    spec = KIND_COLUMNS[kind]
    assert set(spec.natural_key) <= set(spec.by_name())
    loader_key = [k.column for k in SPECS[kind].target.key if k.column != "agency_code"]
    stored_as = {} if kind == "employees" else STORED_AS
    assert loader_key == [stored_as.get(name, name) for name in spec.natural_key]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_stages_its_spec(kind: str) -> None:
    assert IMPORT_KINDS[kind].columns is KIND_COLUMNS[kind]
    assert KIND_COLUMNS[kind].kind == kind
