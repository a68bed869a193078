"""The career-system evaluation of an agency: its figures and the merit-system evidence."""
