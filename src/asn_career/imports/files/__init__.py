"""File imports: CSV, XLSX and NDJSON files of units, positions, employees and histories."""
