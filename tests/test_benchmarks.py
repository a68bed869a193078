"""The benchmark's raw baseline must send the very SQL the app sends, or the race is unfair."""

from benchmarks.baseline import get_sql, list_sql
from sqlalchemy.dialects.postgresql.asyncpg import dialect
from sqlalchemy.engine import Dialect

from asn_career.core.auth import Principal, Role
from asn_career.profiles.employees.repository import _profile_query, search_query
from asn_career.profiles.employees.schemas import EmployeeSearch

ASYNCPG: Dialect = dialect()  # type: ignore[no-untyped-call]
HR = Principal(subject="hr", role=Role.HR_OFFICER, agencies=frozenset({"12.71"}))


def test_baseline_get_sql_is_the_apps() -> None:
    sql, names = _profile_query(Role.HR_OFFICER).sql(ASYNCPG)
    assert sql == get_sql()
    assert names == ("nip", "viewer_agencies")  # the baseline's argument order


def test_baseline_list_sql_is_the_apps() -> None:
    query, _ = search_query(HR, EmployeeSearch(agency="12.71", status="active"), None, limit=51)
    sql, names = query.sql(ASYNCPG)
    assert sql == list_sql()
    assert names == ("viewer_agencies", "agency", "status", "limit")
