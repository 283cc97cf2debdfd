"""Validate a taxonomy YAML file with errors that name the file, the line and the field.

The YAML is composed into nodes (PyYAML keeps each node's start mark), then checked field by
field. The result is a normalised document (defaults filled in) plus its content hash: the
SHA-256 of the canonical JSON of that document, so comments and whitespace never make a new
taxonomy version."""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from signaldesk.core.yamlnodes import ConfigError, ConfigIssue, compose

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
OWNER_TEAMS = (
    "operations",
    "product",
    "supplier",
    "ecommerce",
    "finance",
    "merchandising",
    "lifecycle",
)
CADENCES = ("daily", "weekly")
TICKET_TYPES = ("general", "return", "refund", "replacement", "complaint")
PRIORITIES = ("low", "normal", "high", "urgent")
CONTEXT_FIELDS = (
    "order",
    "sku",
    "variant",
    "size",
    "batch",
    "supplier",
    "photo",
    "delivery_method",
    "carrier",
    "tracking",
    "delivery_status",
    "delivery_address",
    "fulfilment_location",
    "customer_history",
    "loyalty_tier",
    "payment_method",
    "discount_code",
    "campaign_source",
    "account_email",
    "device",
    "return_status",
    "refund_amount",
    "proof_of_purchase",
    "product_page",
    "subscription",
    "review_link",
)
MIN_EXAMPLES = 3
REQUIRED_REASON_ID = "other"
SCHEMA_VERSION = 1

TOP_KEYS = ("schema_version", "groups", "reasons")
GROUP_KEYS = ("id", "name")
REASON_KEYS = (
    "id",
    "name",
    "group",
    "description",
    "examples",
    "aliases",
    "required_context",
    "response",
    "auto_action",
    "escalation",
    "owner_team",
    "review_cadence",
    "ticket_type",
    "priority",
)
REASON_OPTIONAL = {"aliases": list, "escalation": dict}
RESPONSE_KEYS = ("macro", "template")
AUTO_KEYS = ("allowed", "action", "limit")
ESCALATION_KEYS = ("value_threshold", "repeat_contacts", "vip", "batch_spike", "policy_exception")


TaxonomyIssue = ConfigIssue


class TaxonomyValidationError(ConfigError):
    code = "taxonomy_invalid"


@dataclass(frozen=True)
class ParsedTaxonomy:
    doc: dict[str, Any]
    content_hash: str


def content_hash(doc: dict[str, Any]) -> str:
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else json.dumps(value, default=str)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[TaxonomyIssue] = []
        self._constructor = SafeConstructor()

    def error(self, node: Node, path: str, message: str) -> None:
        self.issues.append(TaxonomyIssue(self.source, node.start_mark.line + 1, path, message))

    def scalar(self, node: Node) -> Any:
        return self._constructor.construct_object(node, deep=True)

    # -- containers -------------------------------------------------------------------------
    def mapping(
        self, node: Node, path: str, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.error(node, path, f"must be a mapping, got {_show(self.scalar(node))}")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(self.scalar(key_node))
            sub = f"{path}.{key}" if path else key
            if key not in allowed:
                self.error(key_node, sub, f"unknown key (allowed: {', '.join(allowed)})")
            elif key in out:
                first = out[key][0].start_mark.line + 1
                self.error(key_node, sub, f"duplicate key (first on line {first})")
            else:
                out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                self.error(node, f"{path}.{key}" if path else key, "required field is missing")
        return out

    def sequence(self, node: Node, path: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, path, f"must be a list, got {_show(self.scalar(node))}")
            return None
        return list(node.value)

    # -- scalars ----------------------------------------------------------------------------
    def text(self, node: Node, path: str, *, allow_empty: bool = False) -> str | None:
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str):
            shown = _show(value) if isinstance(node, ScalarNode) else "a collection"
            self.error(node, path, f"must be a string, got {shown}")
            return None
        if not allow_empty and not value.strip():
            self.error(node, path, "must not be empty")
            return None
        return value.strip()

    def choice(self, node: Node, path: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, path)
        if value is not None and value not in choices:
            self.error(node, path, f"must be one of {', '.join(choices)}, got {_show(value)}")
            return None
        return value

    def slug(self, node: Node, path: str) -> str | None:
        value = self.text(node, path)
        if value is not None and not SLUG_RE.match(value):
            self.error(
                node,
                path,
                f"must be a slug (lowercase letters, digits and _), got {_show(value)}",
            )
            return None
        return value

    def number(self, node: Node, path: str, *, integer: bool = False) -> float | int | None:
        value = self.scalar(node) if isinstance(node, ScalarNode) else "a collection"
        if value is None:
            return None
        kind = "a whole number" if integer else "a number"
        ok_types = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_types):
            self.error(node, path, f"must be {kind}, got {_show(value)}")
            return None
        if value < 0:
            self.error(node, path, f"must be ≥ 0, got {_show(value)}")
            return None
        return value

    def boolean(self, node: Node, path: str) -> bool | None:
        value = self.scalar(node) if isinstance(node, ScalarNode) else "a collection"
        if not isinstance(value, bool):
            self.error(node, path, f"must be true or false, got {_show(value)}")
            return None
        return value

    def text_list(self, node: Node, path: str) -> list[str]:
        items = self.sequence(node, path)
        if items is None:
            return []
        values = [self.text(item, f"{path}[{i}]") for i, item in enumerate(items)]
        return [v for v in values if v is not None]

    # -- document ---------------------------------------------------------------------------
    def document(self, root: Node) -> dict[str, Any]:
        top = self.mapping(root, "", TOP_KEYS, TOP_KEYS)
        if top is None:
            return {}
        doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "groups": [], "reasons": []}
        if "schema_version" in top:
            node = top["schema_version"][1]
            if self.scalar(node) != SCHEMA_VERSION:
                got = _show(self.scalar(node))
                self.error(node, "schema_version", f"must be {SCHEMA_VERSION}, got {got}")
        group_ids: list[str] = []
        if "groups" in top:
            for i, g_node in enumerate(self.sequence(top["groups"][1], "groups") or []):
                g = self.mapping(g_node, f"groups[{i}]", GROUP_KEYS, GROUP_KEYS)
                if not g:
                    continue
                gid = self.slug(g["id"][1], f"groups[{i}].id") if "id" in g else None
                name = self.text(g["name"][1], f"groups[{i}].name") if "name" in g else None
                if gid is not None and gid in group_ids:
                    self.error(g["id"][1], f"groups[{i}].id", f"duplicate group {_show(gid)}")
                elif gid is not None:
                    group_ids.append(gid)
                    doc["groups"].append({"id": gid, "name": name or gid})
        if "reasons" in top:
            reasons_node = top["reasons"][1]
            seen: dict[str, int] = {}
            for i, r_node in enumerate(self.sequence(reasons_node, "reasons") or []):
                reason = self.reason(r_node, f"reasons[{i}]", tuple(group_ids), seen)
                if reason is not None:
                    doc["reasons"].append(reason)
            if isinstance(reasons_node, SequenceNode) and REQUIRED_REASON_ID not in seen:
                self.error(
                    reasons_node, "reasons", f"the reason {REQUIRED_REASON_ID!r} must be present"
                )
        return doc

    def reason(
        self, node: Node, path: str, groups: tuple[str, ...], seen: dict[str, int]
    ) -> dict[str, Any] | None:
        required = tuple(k for k in REASON_KEYS if k not in REASON_OPTIONAL)
        m = self.mapping(node, path, REASON_KEYS, required)
        if m is None:
            return None
        before = len(self.issues)
        v = {key: value for key, (_, value) in m.items()}
        out: dict[str, Any] = {}
        if "id" in v:
            rid = self.slug(v["id"], f"{path}.id")
            if rid is not None and rid in seen:
                self.error(
                    v["id"], f"{path}.id", f"duplicate id {rid!r} (first on line {seen[rid]})"
                )
            elif rid is not None:
                seen[rid] = v["id"].start_mark.line + 1
            out["id"] = rid
        for key in ("name", "description"):
            if key in v:
                out[key] = self.text(v[key], f"{path}.{key}")
        if "group" in v:
            out["group"] = self.choice(v["group"], f"{path}.group", groups)
        if "examples" in v:
            out["examples"] = self.text_list(v["examples"], f"{path}.examples")
            if isinstance(v["examples"], SequenceNode) and len(v["examples"].value) < MIN_EXAMPLES:
                self.error(
                    v["examples"],
                    f"{path}.examples",
                    f"needs at least {MIN_EXAMPLES} example phrases, "
                    f"got {len(v['examples'].value)}",
                )
        out["aliases"] = []
        if "aliases" in v:
            out["aliases"] = [a.lower() for a in self.text_list(v["aliases"], f"{path}.aliases")]
        if "required_context" in v:
            ctx = self.text_list(v["required_context"], f"{path}.required_context")
            for i, item in enumerate(ctx):
                if item not in CONTEXT_FIELDS:
                    item_node = v["required_context"].value[i]
                    self.error(
                        item_node,
                        f"{path}.required_context[{i}]",
                        f"unknown context field {item!r} (known: {', '.join(CONTEXT_FIELDS)})",
                    )
            out["required_context"] = ctx
        if "response" in v:
            out["response"] = self.response(v["response"], f"{path}.response")
        if "auto_action" in v:
            out["auto_action"] = self.auto_action(v["auto_action"], f"{path}.auto_action")
        out["escalation"] = self.escalation(v.get("escalation"), f"{path}.escalation")
        out["owner_team"] = self._opt_choice(v, "owner_team", path, OWNER_TEAMS)
        out["review_cadence"] = self._opt_choice(v, "review_cadence", path, CADENCES)
        out["ticket_type"] = self._opt_choice(v, "ticket_type", path, TICKET_TYPES)
        out["priority"] = self._opt_choice(v, "priority", path, PRIORITIES)
        return out if len(self.issues) == before else None

    def _opt_choice(
        self, v: dict[str, Node], key: str, path: str, choices: tuple[str, ...]
    ) -> str | None:
        return self.choice(v[key], f"{path}.{key}", choices) if key in v else None

    def response(self, node: Node, path: str) -> dict[str, Any]:
        m = self.mapping(node, path, RESPONSE_KEYS, RESPONSE_KEYS) or {}
        out: dict[str, Any] = {"macro": None, "template": None}
        if "macro" in m:
            out["macro"] = self.slug(m["macro"][1], f"{path}.macro")
        if "template" in m:
            t_node = m["template"][1]
            template = self.text(t_node, f"{path}.template")
            if template is not None:
                try:
                    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
                except ValueError as exc:
                    self.error(t_node, f"{path}.template", f"bad template: {exc}")
                    fields = []
                for name in fields:
                    if not name.isidentifier():
                        self.error(t_node, f"{path}.template", f"bad variable {{{name}}}")
            out["template"] = template
        return out

    def auto_action(self, node: Node, path: str) -> dict[str, Any]:
        m = self.mapping(node, path, AUTO_KEYS, ("allowed",)) or {}
        out: dict[str, Any] = {"allowed": False, "action": "", "limit": None}
        if "allowed" in m:
            out["allowed"] = self.boolean(m["allowed"][1], f"{path}.allowed")
        if "action" in m and self.scalar(m["action"][1]) not in (None, ""):
            out["action"] = self.slug(m["action"][1], f"{path}.action")
        if "limit" in m:
            out["limit"] = self.number(m["limit"][1], f"{path}.limit")
        if out["allowed"] is True and not out["action"]:
            self.error(node, f"{path}.action", "required when allowed is true")
        return out

    def escalation(self, node: Node | None, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value_threshold": None,
            "repeat_contacts": None,
            "vip": False,
            "batch_spike": False,
            "policy_exception": False,
        }
        if node is None:
            return out
        m = self.mapping(node, path, ESCALATION_KEYS, ()) or {}
        if "value_threshold" in m:
            out["value_threshold"] = self.number(m["value_threshold"][1], f"{path}.value_threshold")
        if "repeat_contacts" in m:
            rc_node = m["repeat_contacts"][1]
            out["repeat_contacts"] = self.number(rc_node, f"{path}.repeat_contacts", integer=True)
        for key in ("vip", "batch_spike", "policy_exception"):
            if key in m:
                out[key] = self.boolean(m[key][1], f"{path}.{key}")
        return out


def parse_taxonomy(text: str, *, source: str) -> ParsedTaxonomy:
    """Validate taxonomy YAML text; raise TaxonomyValidationError listing every problem."""
    root = compose(text, source=source, error=TaxonomyValidationError)
    checker = _Checker(source)
    doc = checker.document(root)
    if checker.issues:
        raise TaxonomyValidationError(checker.issues)
    return ParsedTaxonomy(doc=doc, content_hash=content_hash(doc))


def dump_taxonomy(doc: dict[str, Any]) -> str:
    """YAML text for a normalised document (used for copy-on-write edits; comments are lost)."""
    header = "# Generated by SignalDesk from an edit of a previous taxonomy version.\n"
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
