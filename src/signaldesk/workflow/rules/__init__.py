"""Declarative workflow rules: a Django-free core (engine.py, parse.py) over a plain dict of
facts, and Django glue that loads facts, applies outcomes and simulates (facts.py, services.py,
simulate.py). See docs/rules.md."""
