"""Django-free text-analysis cores used by triage (language, sentiment, risk, entities,
cleaning)."""
