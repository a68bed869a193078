"""Exports of an agency's data as CSV or XLSX, in the import columns (round trip)."""
