"""Who sees which employees, as a SQL condition every profiles query applies.

- admin: everyone; hr_officer and integration: the employees of their agencies;
- supervisor: themselves and everyone whose position reports, directly or through other
  positions, to the supervisor's current position (within the supervisor's agencies);
- employee: themselves only (the token's ``sub`` is the NIP).
"""

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from asn_career.core.auth import Principal, Role
from asn_career.org.models import Position
from asn_career.profiles.models import Employee


def reporting_line_positions(supervisor_nip: str) -> ColumnElement[bool]:
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


def employee_visibility(principal: Principal) -> ColumnElement[bool]:
    if principal.role is Role.ADMIN:
        return true()
    if principal.role in (Role.HR_OFFICER, Role.INTEGRATION):
        return principal.agency_clause(Employee.agency_code)
    if principal.role is Role.SUPERVISOR:
        return or_(
            Employee.nip == principal.subject,
            and_(
                principal.agency_clause(Employee.agency_code),
                reporting_line_positions(principal.subject),
            ),
        )
    if principal.role is Role.EMPLOYEE:
        return Employee.nip == principal.subject
    return false()


def may_see_nik(principal: Principal, employee_agency: str) -> bool:
    """NIK is shown in clear only to HR of the employee's agency (and admins)."""
    return principal.role is Role.ADMIN or (
        principal.role is Role.HR_OFFICER and employee_agency in principal.agencies
    )
