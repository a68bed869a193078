"""``/rotations/relatives``: recorded close relationships, which rounds respect as
conflicts of interest."""
