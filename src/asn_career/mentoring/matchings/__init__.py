"""Matching runs: solved over the whole pool, reviewed and published by HR; shortlists."""
