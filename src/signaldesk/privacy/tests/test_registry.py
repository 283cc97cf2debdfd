"""Every model that can hold customer personal data is declared in privacy/registry.py.

A model must be declared when it has a foreign key to Customer, Order, Ticket or Message, or a
field named like an address (email, phone, address). Declare it as Personal (rows + how each
field is erased), Special, or Exempt (with the reason it holds no customer personal data)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from signaldesk.privacy.registry import REGISTRY, Exempt, Personal, declarations

LINKS = {"commerce.Customer", "commerce.Order", "tickets.Ticket", "tickets.Message"}
ADDRESS_WORDS = ("email", "phone", "address")


def needs_declaration(model: type[models.Model]) -> bool:
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is not None and f.related_model._meta.label in LINKS:
            return True
        if any(word in f.name for word in ADDRESS_WORDS):
            return True
    return model._meta.label in LINKS


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("signaldesk.")]


def test_every_model_with_customer_links_or_addresses_is_declared() -> None:
    declared = declarations()
    undeclared = sorted(
        m._meta.label
        for m in project_models()
        if needs_declaration(m) and m._meta.label not in declared
    )
    assert undeclared == []


def test_declarations_name_existing_models_and_fields_once() -> None:
    labels = [d.model for d in REGISTRY]
    assert len(labels) == len(set(labels))
    problems = []
    for decl in REGISTRY:
        model = apps.get_model(decl.model)
        if isinstance(decl, Personal):
            names = {f.name for f in model._meta.concrete_fields}
            problems += [f"{decl.model}.{n}" for n in decl.erase if n not in names]
            if decl.delete and decl.erase:
                problems.append(f"{decl.model}: delete and erase")
        if isinstance(decl, Exempt) and not decl.why.strip():
            problems.append(f"{decl.model}: exempt without a reason")
    assert problems == []


def test_the_check_catches_a_customer_link() -> None:
    from signaldesk.suppression.models import SuppressionEntry
    from signaldesk.taxonomy.models import ContactReason

    assert (needs_declaration(SuppressionEntry), needs_declaration(ContactReason)) == (True, False)
