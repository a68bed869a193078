"""The 9-box (PermenPANRB 3/2020) per employee and per agency, and the succession pool."""
