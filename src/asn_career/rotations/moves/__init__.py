"""``POST /employees/{nip}/moves``: one atomic move."""
