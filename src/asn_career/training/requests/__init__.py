"""Training requests: employees ask, supervisors or HR endorse or reject."""
