"""Fit: ``GET /positions/{position_id}/candidates``, ``GET /rotations/placement-fit``,
and the loading of fit inputs that rounds share."""
