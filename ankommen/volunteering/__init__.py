"""KOMM-AN volunteers."""
