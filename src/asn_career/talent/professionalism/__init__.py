"""The professionalism index (IP ASN, PermenPANRB 38/2018) per employee and aggregated."""
