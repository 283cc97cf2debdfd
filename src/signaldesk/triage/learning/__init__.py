"""Learning loop of the contact-reason classifier: model registry, training from labelled
history + agent corrections + taxonomy examples, classification at triage, review queue."""
