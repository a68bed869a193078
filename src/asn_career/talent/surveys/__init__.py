"""Anonymous employee-satisfaction surveys on career management."""
