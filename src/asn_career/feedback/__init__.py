"""360° feedback: questionnaires, cycles and raters, answering, and anonymous reports."""
