"""Individual development plans (IDP): drafted from the needs, the latest 360° report and
career interests, edited by the employee and supervisor, approved, printed."""
