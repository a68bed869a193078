"""Who sees which employees, as a SQL condition every profiles query applies.

- admin: everyone; hr_officer and integration: the employees of their agencies;
- supervisor: themselves and everyone whose position reports, directly or through other
  positions, to the supervisor's current position;
- employee: themselves only (the token's ``sub`` is the NIP);
and supervisors and employees only within the agencies their token names.
"""

from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    and_,
    any_,
    bindparam,
    false,
    literal,
    or_,
    select,
    true,
)

from asn_career.core.auth import Principal, Role
from asn_career.org.models import Position
from asn_career.profiles.models import Employee


def reporting_line_positions(supervisor_nip: ColumnElement[str]) -> ColumnElement[bool]:
    """``Employee.position_id`` lies below the supervisor's position in the reporting line."""
    own_position = (
        select(Employee.position_id).where(Employee.nip == supervisor_nip).scalar_subquery()
    )
    line = (
        select(Position.id)
        .where(Position.reports_to_position_id == own_position)
        .cte("reporting_line", recursive=True)
    )
    line = line.union(select(Position.id).where(Position.reports_to_position_id == line.c.id))
    return Employee.position_id.in_(select(line.c.id))


def _visibility(
    role: Role, viewer: ColumnElement[str], viewer_agencies: ColumnElement[Any]
) -> ColumnElement[bool]:
    if role is Role.ADMIN:
        return true()
    in_agencies = Employee.agency_code == any_(viewer_agencies)
    if role in (Role.HR_OFFICER, Role.INTEGRATION):
        return in_agencies
    # Even one's own profile is seen only through a token that names its agency.
    if role is Role.SUPERVISOR:
        return and_(in_agencies, or_(Employee.nip == viewer, reporting_line_positions(viewer)))
    if role is Role.EMPLOYEE:
        return and_(in_agencies, Employee.nip == viewer)
    return false()


def employee_visibility(principal: Principal) -> ColumnElement[bool]:
    """The condition for ``principal``, its values bound in."""
    agencies = literal(sorted(principal.agencies), ARRAY(String))
    return _visibility(principal.role, literal(principal.subject, String), agencies)


def visibility_template(role: Role) -> ColumnElement[bool]:
    """The condition for any caller of ``role``, with their NIP and agencies left as the
    bind parameters ``viewer`` and ``viewer_agencies`` (see ``viewer_params``): for
    statements compiled once and run for every caller (``core.prepared``)."""
    return _visibility(
        role, bindparam("viewer", type_=String), bindparam("viewer_agencies", type_=ARRAY(String))
    )


def viewer_params(principal: Principal) -> dict[str, Any]:
    return {"viewer": principal.subject, "viewer_agencies": sorted(principal.agencies)}


def may_see_nik(principal: Principal, employee_agency: str) -> bool:
    """NIK is shown in clear only to HR of the employee's agency (and admins)."""
    return principal.role is Role.ADMIN or (
        principal.role is Role.HR_OFFICER and employee_agency in principal.agencies
    )
