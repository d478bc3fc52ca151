"""Network of local actors."""
