"""Per-subject reports, the cycle summary, publishing and group-level exports."""
