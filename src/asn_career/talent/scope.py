"""Who reads one employee's 9-box and professionalism index: HR of the employee's agency
(and admins, integrations with ``talent:read``), and the employee themself: the merit
system keeps talent information open to every ASN, so one's own box and index are one's
own to read. A supervisor reads only their own, not their staff's; the caller's NIP is the
token's subject, as ``/mentoring/my-matches`` and ``/feedback/my-requests`` recognise it."""

from asn_career.core.auth import HR_ROLES, Principal, Role
from asn_career.core.errors import NotFound
from asn_career.profiles.models import Employee

SELF_OR_HR_ROLES = frozenset({*HR_ROLES, Role.SUPERVISOR, Role.EMPLOYEE})


def is_self(principal: Principal, employee: Employee) -> bool:
    return principal.role in (Role.SUPERVISOR, Role.EMPLOYEE) and principal.subject == employee.nip


def require_self_or_hr(principal: Principal, employee: Employee) -> None:
    """404 (as for an employee one may not see) unless HR or the employee themself; the
    employee was already found inside the caller's visibility (``VisibleEmployee``)."""
    if principal.role not in HR_ROLES and not is_self(principal, employee):
        raise NotFound()
