"""GET /employees/{nip}/career-summary: one view of a career for a frontend."""
