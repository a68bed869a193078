"""Shared kernel: database, auth, errors, pagination, audit, jobs, observability."""
