"""Writes for taxonomy versions and contact reasons. Versions are immutable: loading changed
YAML or editing a reason creates a new version (copy-on-write); activation is audited."""

from __future__ import annotations

import copy
import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.taxonomy.models import ContactReason, TaxonomyVersion
from signaldesk.taxonomy.schema import (
    AUTO_KEYS,
    ESCALATION_KEYS,
    REASON_KEYS,
    RESPONSE_KEYS,
    dump_taxonomy,
    parse_taxonomy,
)

logger = logging.getLogger(__name__)

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("default_taxonomy.yaml")
_NESTED = {"response": RESPONSE_KEYS, "auto_action": AUTO_KEYS, "escalation": ESCALATION_KEYS}


def _next_label(now: dt.datetime) -> str:
    prefix = f"{now:%Y.%m}."
    used = TaxonomyVersion.objects.filter(label__startswith=prefix).values_list("label", flat=True)
    numbers = [int(label[len(prefix) :]) for label in used if label[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _reason_rows(version: TaxonomyVersion, doc: Mapping[str, Any]) -> list[ContactReason]:
    rows = []
    for position, r in enumerate(doc["reasons"]):
        auto, esc = r["auto_action"], r["escalation"]
        rows.append(
            ContactReason(
                version=version,
                position=position,
                reason_id=r["id"],
                name=r["name"],
                group=r["group"],
                description=r["description"],
                examples=list(r["examples"]),
                aliases=list(r["aliases"]),
                required_context=list(r["required_context"]),
                macro_id=r["response"]["macro"],
                macro_template=r["response"]["template"],
                auto_action_allowed=auto["allowed"],
                auto_action=auto["action"] or "",
                auto_action_limit=_decimal(auto["limit"]),
                escalation_value_threshold=_decimal(esc["value_threshold"]),
                escalation_repeat_contacts=esc["repeat_contacts"],
                escalation_vip=esc["vip"],
                escalation_batch_spike=esc["batch_spike"],
                escalation_policy_exception=esc["policy_exception"],
                owner_team=r["owner_team"],
                review_cadence=r["review_cadence"],
                ticket_type=r["ticket_type"],
                priority=r["priority"],
            )
        )
    return rows


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def taxonomy_load_text(
    *,
    text: str,
    source: str,
    actor: Actor,
    activate: bool = True,
    notes: str = "",
    parent: TaxonomyVersion | None = None,
) -> TaxonomyVersion:
    """Validate YAML text and store it as a new version, unless a version with the same content
    (same canonical hash) exists: then that version is returned (and activated if asked)."""
    parsed = parse_taxonomy(text, source=source)
    existing = TaxonomyVersion.objects.filter(content_hash=parsed.content_hash).first()
    if existing is not None:
        if activate and not existing.is_active:
            return taxonomy_activate(version_id=existing.pk, actor=actor)
        return existing
    now = timezone.now()
    version = TaxonomyVersion.objects.create(
        label=_next_label(now),
        content_hash=parsed.content_hash,
        source_yaml=text,
        source_name=source,
        created_at=now,
        created_by_id=actor.user_id,
        created_by_label=actor.label,
        parent=parent,
        notes=notes,
    )
    ContactReason.objects.bulk_create(_reason_rows(version, parsed.doc))
    audit_record(
        actor=actor,
        action="taxonomy.version_created",
        obj=version,
        after={
            "label": version.label,
            "content_hash": version.content_hash,
            "reasons": len(parsed.doc["reasons"]),
            "source": source,
        },
        context={"parent": parent.label if parent else None},
    )
    logger.info("taxonomy.version_created", extra={"label": version.label, "source": source})
    if activate:
        return taxonomy_activate(version_id=version.pk, actor=actor)
    return version


def taxonomy_load_yaml(
    *, path: Path | str | None = None, actor: Actor, activate: bool = True, notes: str = ""
) -> TaxonomyVersion:
    """Load a taxonomy YAML file (the shipped retail default when path is None)."""
    file = Path(path) if path else DEFAULT_TAXONOMY_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"{file}: cannot read taxonomy file ({exc.strerror})") from exc
    return taxonomy_load_text(
        text=text, source=file.name, actor=actor, activate=activate, notes=notes
    )


@transaction.atomic
def taxonomy_activate(*, version_id: int, actor: Actor) -> TaxonomyVersion:
    """Make one version the active taxonomy (new classifications use it). Audited."""
    version = TaxonomyVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise NotFound(f"No taxonomy version {version_id}.")
    if version.is_active:
        return version
    previous = list(TaxonomyVersion.objects.select_for_update().filter(is_active=True))
    TaxonomyVersion.objects.filter(is_active=True).update(is_active=False)
    version.is_active = True
    version.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="taxonomy.version_activated",
        obj=version,
        before={"active": previous[0].label if previous else None},
        after={"active": version.label},
    )
    logger.info("taxonomy.version_activated", extra={"label": version.label})
    return version


def _plain(value: Any) -> Any:
    """YAML-safe scalars (admin forms hand us Decimals)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _apply_changes(reason: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply {"name": …, "escalation": {"vip": True}, "auto_action.limit": 50} to a reason."""
    before: dict[str, Any] = {}
    for key, value in changes.items():
        head, _, tail = key.partition(".")
        if head == "id":
            raise ValidationError("A reason's id cannot be changed; add a new reason instead.")
        if head not in REASON_KEYS:
            raise ValidationError(f"Unknown reason field {key!r}.")
        if head in _NESTED and (tail or isinstance(value, Mapping)):
            sub_changes = {tail: value} if tail else dict(value)
            for sub_key, sub_value in sub_changes.items():
                if sub_key not in _NESTED[head]:
                    raise ValidationError(f"Unknown reason field {head}.{sub_key!r}.")
                before[f"{head}.{sub_key}"] = reason[head].get(sub_key)
                reason[head][sub_key] = _plain(sub_value)
        elif tail:
            raise ValidationError(f"Unknown reason field {key!r}.")
        else:
            before[head] = reason.get(head)
            reason[head] = _plain(value)
    return before


def reason_edit_preview(
    *, base: TaxonomyVersion, reason_id: str, changes: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The YAML text of `base` with one reason edited, validated (raises on invalid edits),
    plus the before values of the changed fields. Writes nothing."""
    doc = copy.deepcopy(parse_taxonomy(base.source_yaml, source=base.source_name).doc)
    reason = next((r for r in doc["reasons"] if r["id"] == reason_id), None)
    if reason is None:
        raise NotFound(f"No contact reason {reason_id!r} in taxonomy {base.label}.")
    before = _apply_changes(reason, changes)
    text = dump_taxonomy(doc)
    parse_taxonomy(text, source=f"{base.label}+{reason_id}.yaml")
    return text, before


@transaction.atomic
def reason_update(
    *,
    reason_id: str,
    changes: Mapping[str, Any],
    actor: Actor,
    base_version_id: int | None = None,
    notes: str = "",
) -> TaxonomyVersion:
    """Edit one reason by creating a new taxonomy version (copy-on-write). The base version is
    the active one unless given; the new version becomes active when the base was active."""
    base_qs = TaxonomyVersion.objects.all()
    base = (
        base_qs.filter(pk=base_version_id).first()
        if base_version_id is not None
        else base_qs.filter(is_active=True).first()
    )
    if base is None:
        raise NotFound("No taxonomy version to edit (load one first).")
    text, before = reason_edit_preview(base=base, reason_id=reason_id, changes=changes)
    after = {k: _plain(v) for k, v in changes.items()}
    version = taxonomy_load_text(
        text=text,
        source=f"{base.label}+{reason_id}.yaml",
        actor=actor,
        activate=base.is_active,
        notes=notes or f"Edit of {reason_id} on {base.label}",
        parent=base,
    )
    audit_record(
        actor=actor,
        action="taxonomy.reason_updated",
        obj=version,
        before=before,
        after=after,
        context={"reason_id": reason_id, "base_version": base.label, "version": version.label},
    )
    return version
