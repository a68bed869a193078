"""Request counts per caller and minute, shared by every process through Postgres."""
