"""Drafting core (Django-free): macro filling with sources, redaction, thread summaries."""
