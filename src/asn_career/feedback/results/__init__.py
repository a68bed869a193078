"""Group-level results of a published cycle as CSV or XLSX, flattened from the frozen
reports (``feedback_reports.body``) and never from the answers."""
