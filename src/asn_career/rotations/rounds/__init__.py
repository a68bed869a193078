"""``/rotations/rounds``: rounds proposed by the exact solver, approved, enacted or rejected."""
