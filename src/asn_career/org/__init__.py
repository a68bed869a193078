"""Organisation reference: agencies, units, positions, competencies, ranks, education."""
