"""Employees (ASN) and their histories: the data every career decision rests on."""
