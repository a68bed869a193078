"""Training: needs, requests, the course catalogue, enrolments, plans under a budget,
compliance with 20 JP a year, and individual development plans."""
