"""Hostile and bad input: a tests-only package (no models, not a Django app). The corpus of bad
inputs lives in tests/corpus/; the tests push it through every importer, every JSON endpoint that
takes a body, the public endpoints' rate limits and the pages that show user text."""
