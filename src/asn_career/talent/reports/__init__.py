"""Career evaluation of several agencies side by side: JSON, CSV, XLSX and PDF."""
