"""Questionnaires: versioned items with anchored 1–5 scales, immutable once a cycle uses them."""
