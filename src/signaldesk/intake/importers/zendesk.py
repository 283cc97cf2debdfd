"""Zendesk tickets as the incremental export API returns them: `{"tickets": [...], "users": [...],
"groups": [...]}`, a bare `[...]`, or one ticket object per line (NDJSON). Tickets stream in
constant memory (jsonstream); sideloaded users go to a temporary SQLite file (sideload) and are
read back per chunk; groups (a handful) are kept in a dict for the run."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import nh3

from signaldesk.accounts.models import Team
from signaldesk.commerce.models import IdentityKind
from signaldesk.intake.importers.base import ImportFileError, Tally, TextSource
from signaldesk.intake.importers.customers import ensure_customers, identities, link_identities
from signaldesk.intake.importers.jsonstream import JsonStream, JsonSyntaxError
from signaldesk.intake.importers.parse import RowProblem, choice, parse_dt
from signaldesk.intake.importers.sideload import User, UserStore
from signaldesk.intake.importers.ticketwrite import (
    MessageDraft,
    TicketDraft,
    agents_by_external_id,
    orders_by_number,
    teams_by_external_id,
    write_tickets,
)
from signaldesk.tickets.models import Channel, Direction

CHUNK_TICKETS = 5000  # parsed tickets with their comments are held per chunk
CLEANER = nh3.Cleaner()  # nh3.clean's defaults, built once (clean() rebuilds them per call)
HINT = 'is this a Zendesk tickets export ({"tickets": [...]} or one ticket per line)?'
CHANNELS = {
    "email": Channel.EMAIL,
    "web": Channel.FORM,
    "web_form": Channel.FORM,
    "web_widget": Channel.FORM,
    "chat": Channel.CHAT,
    "native_messaging": Channel.CHAT,
    "mobile_sdk": Channel.CHAT,
    "sms": Channel.CHAT,
    "api": Channel.API,
    "any_channel": Channel.API,
    "sample_ticket": Channel.API,
    "rule": Channel.API,
    "closed_ticket": Channel.API,
    "facebook": Channel.SOCIAL,
    "twitter": Channel.SOCIAL,
    "instagram": Channel.SOCIAL,
    "instagram_dm": Channel.SOCIAL,
    "line": Channel.SOCIAL,
    "wechat": Channel.SOCIAL,
    "whatsapp": Channel.WHATSAPP,
    "voice": Channel.PHONE,
    "phone": Channel.PHONE,
    "help_center": Channel.SELF_SERVICE,
}
STATUSES = {
    "new": "new",
    "open": "open",
    "pending": "pending",
    "hold": "on_hold",
    "on_hold": "on_hold",
    "solved": "solved",
    "closed": "closed",
}
PRIORITIES = {p: p for p in ("low", "normal", "high", "urgent")}
TYPES = {t: t for t in ("question", "incident", "problem", "task")}


class Item:
    __slots__ = ("error", "line", "obj")

    def __init__(self, line: int, obj: Any, error: str = "") -> None:
        self.line = line
        self.obj = obj
        self.error = error


class ZendeskSource:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.users = UserStore()
        self.groups: dict[str, str] = {}
        self._text: TextSource | None = None
        probe = TextSource(path)
        self.encoding = probe.encoding
        try:
            first = probe.text.readline(READ_FIRST)
            self.form = self._detect(first)
            if self.form != "ndjson":
                probe.close()
                probe = TextSource(path)
                stream = JsonStream(probe.text)
                if self.form == "object":
                    self._scan(stream)
                else:
                    self._first_of_array(stream)
        except BaseException:
            self.users.close()
            raise
        finally:
            probe.close()

    def _detect(self, first: str) -> str:
        stripped = first.lstrip("\ufeff \t\r\n")
        if not stripped:
            raise ImportFileError(
                f"{self.path.name}: the file is empty or does not start with JSON — {HINT}"
            )
        if stripped[0] == "[":
            return "array"
        if stripped[0] != "{":
            raise ImportFileError(
                f"{self.path.name}: not JSON (starts with {stripped[0]!r}) — {HINT}"
            )
        if first.endswith("\n"):
            try:
                obj = json.loads(first)
            except (ValueError, RecursionError):  # JSONDecodeError, 4300+ digits, deep nesting
                return "object"  # a pretty-printed or single huge object
            if isinstance(obj, dict) and "tickets" not in obj:
                if "id" not in obj or "created_at" not in obj:
                    raise ImportFileError(
                        f"{self.path.name}: line 1 is not a ticket (no id/created_at) — {HINT}"
                    )
                return "ndjson"
        return "object"

    def _first_of_array(self, stream: JsonStream) -> None:
        try:
            first = next(stream.array_items(), None)
        except JsonSyntaxError as exc:
            raise ImportFileError(
                f"{self.path.name}: line {exc.line}: invalid JSON: {exc.reason} — {HINT}"
            ) from None
        if first is not None and (not isinstance(first[1], dict) or "id" not in first[1]):
            raise ImportFileError(f"{self.path.name}: the first element is not a ticket — {HINT}")

    def _scan(self, stream: JsonStream) -> None:
        """Validate the whole document and collect sideloaded users and groups."""
        found = False
        try:
            for key in stream.object_keys():
                if key == "tickets":
                    found = True
                    for _ in stream.array_items():
                        pass
                elif key == "users":
                    for _, user in stream.array_items():
                        if isinstance(user, dict) and user.get("id") is not None:
                            self.users.add(
                                str(user["id"]),
                                (
                                    str(user.get("email") or "").strip().lower(),
                                    str(user.get("name") or ""),
                                    str(user.get("phone") or ""),
                                    str(user.get("role") or "end-user"),
                                ),
                            )
                elif key == "groups":
                    for _, group in stream.array_items():
                        if isinstance(group, dict) and group.get("id") is not None:
                            self.groups[str(group["id"])] = str(group.get("name") or "")
                else:
                    stream.value()
        except JsonSyntaxError as exc:
            raise ImportFileError(
                f"{self.path.name}: line {exc.line}: invalid JSON: {exc.reason} — {HINT}"
            ) from None
        if not found:
            raise ImportFileError(f'{self.path.name}: no "tickets" array — {HINT}')
        self.users.flush()

    @property
    def bytes_read(self) -> int:
        return self._text.bytes_read if self._text is not None else 0

    def _tickets(self, stream: JsonStream) -> Iterator[tuple[int, Any]]:
        if self.form == "array":
            yield from stream.array_items()
            return
        for key in stream.object_keys():
            if key == "tickets":
                yield from stream.array_items()
            elif stream.peek() == "[":
                for _ in stream.array_items():
                    pass
            else:
                stream.value()

    def _ndjson(self, text: Any) -> Iterator[Item]:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                yield Item(number, json.loads(line))
            except json.JSONDecodeError as exc:
                yield Item(number, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
            except RecursionError:
                yield Item(number, None, "invalid JSON: nested too deeply")
            except ValueError as exc:  # an integer of more than 4300 digits
                yield Item(number, None, f"invalid JSON: {exc}"[:200])

    def items(self) -> Iterator[Item]:
        self._text = TextSource(self.path)
        if self.form == "ndjson":
            yield from self._ndjson(self._text.text)
            return
        stream = JsonStream(self._text.text)
        try:
            for line, obj in self._tickets(stream):
                yield Item(line, obj)
        except JsonSyntaxError as exc:
            yield Item(exc.line, None, f"invalid JSON, rest of file skipped: {exc.reason}")

    def chunks(self) -> Iterator[list[Item]]:
        chunk: list[Item] = []
        for item in self.items():
            chunk.append(item)
            if len(chunk) >= CHUNK_TICKETS:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def close(self) -> None:
        if self._text is not None:
            self._text.close()
        self.users.close()


READ_FIRST = 1 << 20


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class ZendeskImporter:
    kind = "zendesk-tickets"

    def open(self, path: Path, options: Mapping[str, str]) -> ZendeskSource:
        return ZendeskSource(path)

    def prepare(self, source: ZendeskSource, ctx: Any) -> None:
        self.source = source
        self._users: dict[str, User] = {}
        self.fields = {
            name[6:]: str(value).strip()
            for name, value in ctx.options.items()
            if name.startswith("field.")
        }
        if source.groups:
            teams = teams_by_external_id(source.groups)
            for gid, name in source.groups.items():
                if gid not in teams:
                    Team.objects.get_or_create(
                        slug=f"zendesk-{gid}"[:60],
                        defaults={
                            "name": (name or f"Zendesk group {gid}")[:120],
                            "external_id": gid,
                        },
                    )

    def finish(self, ctx: Any) -> None:
        return None

    def _requesters(self, ids: set[str], ctx: Any, emails: dict[str, str]) -> dict[str, int]:
        """Zendesk user id -> customer id via the `zendesk:<id>` identity, else the sideloaded
        (or via.source) email, creating customers for unknown emails."""
        found = {
            k[8:]: v
            for k, v in identities(IdentityKind.EXTERNAL, {f"zendesk:{i}" for i in ids}).items()
        }
        wanted: dict[str, dict[str, Any]] = {}
        email_of: dict[str, str] = {}
        for uid in ids - found.keys():
            user = self._users.get(uid)
            email = user[0] if user and user[0] else emails.get(uid, "")
            if email and "@" in email and len(email) <= 254:
                email_of[uid] = email
                wanted[email] = {
                    "name": user[1] if user else "",
                    "phone": (user[2] if user else "")[:32],
                }
        by_email, _ = ensure_customers(wanted, currency=ctx.currency)
        links = {f"zendesk:{uid}": by_email[e] for uid, e in email_of.items() if e in by_email}
        link_identities(IdentityKind.EXTERNAL, links)
        found.update({uid: by_email[e] for uid, e in email_of.items() if e in by_email})
        return found

    def handle(self, chunk: list[Item], ctx: Any, tally: Tally) -> None:
        parsed: list[tuple[Item, dict[str, Any]]] = []
        via_emails: dict[str, str] = {}
        for item in chunk:
            if item.error:
                tally.fail(item.line, "", item.error)
                continue
            t = item.obj
            if not isinstance(t, dict):
                tally.fail(item.line, "", "not a ticket object")
                continue
            parsed.append((item, t))
            rid = _text(t.get("requester_id"))
            via = t.get("via") or {}
            address = (
                (((via.get("source") or {}).get("from") or {}).get("address"))
                if isinstance(via, dict)
                else None
            )
            if rid and isinstance(address, str):
                via_emails[rid] = address.strip().lower()
        self._users = self._chunk_users(parsed)
        requesters = self._requesters(
            {_text(t.get("requester_id")) for _, t in parsed} - {""}, ctx, via_emails
        )
        agents = agents_by_external_id(_text(t.get("assignee_id")) for _, t in parsed)
        teams = teams_by_external_id(_text(t.get("group_id")) for _, t in parsed)
        order_field = self.fields.get("order_number")
        numbers = {
            _text(cf.get("value")).strip()
            for _, t in parsed
            for cf in (t.get("custom_fields") or [])
            if isinstance(cf, dict) and _text(cf.get("id")) == order_field
        }
        orders = orders_by_number(numbers)
        drafts: list[TicketDraft] = []
        for item, t in parsed:
            try:
                drafts.append(self._draft(item.line, t, requesters, agents, teams, orders))
            except RowProblem as exc:
                tally.problem(item.line, exc)
        write_tickets("zendesk", drafts, tally)

    def _draft(
        self,
        line: int,
        t: dict[str, Any],
        requesters: dict[str, int],
        agents: dict[str, int],
        teams: dict[str, int],
        orders: dict[str, tuple[int, str]],
    ) -> TicketDraft:
        tid = _text(t.get("id")).strip()
        if not tid:
            raise RowProblem("id", "is empty")
        if len(tid) > 64:
            raise RowProblem("id", "longer than 64 characters")
        created = parse_dt(_text(t.get("created_at")), "created_at", required=True)
        assert created is not None
        updated = parse_dt(_text(t.get("updated_at")), "updated_at") or created
        via: dict[str, Any] = t["via"] if isinstance(t.get("via"), dict) else {}
        channel = CHANNELS.get(_text(via.get("channel")).lower(), Channel.API)
        custom: dict[str, Any] = {}
        for cf in t.get("custom_fields") or []:
            if isinstance(cf, dict) and cf.get("value") not in (None, "", []):
                custom[_text(cf.get("id"))] = cf["value"]
        for name, fid in self.fields.items():
            if fid in custom:
                custom[name] = custom[fid]
        rid, aid, gid = (_text(t.get(k)) for k in ("requester_id", "assignee_id", "group_id"))
        for name, value in (("requester", rid), ("assignee", aid), ("group", gid)):
            if value:
                custom[f"zendesk_{name}_id"] = value
        order = orders.get(_text(custom.get("order_number")).strip())
        rating: dict[str, Any] = (
            t["satisfaction_rating"] if isinstance(t.get("satisfaction_rating"), dict) else {}
        )
        customer_id = requesters.get(rid)
        values: dict[str, Any] = {
            "subject": _text(t.get("subject")) or _text(t.get("raw_subject")),
            "channel": channel,
            "status": choice(_text(t.get("status")), "status", STATUSES),
            "priority": choice(_text(t.get("priority")), "priority", PRIORITIES, default="normal"),
            "ticket_type": choice(_text(t.get("type")), "type", TYPES, default="general"),
            "tags": [str(x) for x in (t.get("tags") or [])],
            "custom_fields": custom,
            "customer_id": customer_id,
            "order_id": order[0] if order else None,
            "variant_id": None,
            "owner_team_id": teams.get(gid),
            "assignee_id": agents.get(aid),
            "created_at": created,
            "updated_at": updated,
            "satisfaction_score": _text(rating.get("score"))
            if rating.get("score") not in ("unoffered", None)
            else "",
            "satisfaction_comment": _text(rating.get("comment")),
        }
        draft = TicketDraft(line=line, external_id=tid, values=values)
        comments = t.get("comments")
        if isinstance(comments, list) and comments:
            for c in comments:
                draft.messages.append(self._message(c, rid, customer_id, created))
        elif t.get("description"):
            draft.messages.append(
                MessageDraft(
                    key=f"zendesk:ticket:{tid}:description",
                    direction=Direction.INBOUND,
                    author_customer_id=customer_id,
                    author_label=self._label(rid),
                    body_text=_text(t.get("description")),
                    body_html="",
                    external_id=f"{tid}:description",
                    created_at=created,
                )
            )
        outbound = [m.created_at for m in draft.messages if m.direction == Direction.OUTBOUND]
        inbound = [m.created_at for m in draft.messages if m.direction == Direction.INBOUND]
        values["first_response_at"] = min(outbound) if outbound else None
        values["last_customer_message_at"] = max(inbound) if inbound else None
        return draft

    def _chunk_users(self, parsed: list[tuple[Item, dict[str, Any]]]) -> dict[str, User]:
        """The sideloaded users this chunk's tickets mention (requesters, comment authors)."""
        ids: set[str] = set()
        for _, t in parsed:
            ids.add(_text(t.get("requester_id")))
            comments = t.get("comments")
            if isinstance(comments, list):
                ids.update(_text(c.get("author_id")) for c in comments if isinstance(c, dict))
        return self.source.users.lookup(ids)

    def _label(self, uid: str) -> str:
        user = self._users.get(uid)
        return (user[1] or user[0]) if user else (f"zendesk user {uid}" if uid else "")

    def _message(self, c: Any, rid: str, customer_id: int | None, fallback: Any) -> MessageDraft:
        if not isinstance(c, dict) or c.get("id") is None:
            raise RowProblem("comments", "comment without an id")
        cid = _text(c.get("id"))
        author = _text(c.get("author_id"))
        user = self._users.get(author)
        if not c.get("public", True):
            direction = Direction.NOTE
        elif author == rid or (user is not None and user[3] == "end-user"):
            direction = Direction.INBOUND
        else:
            direction = Direction.OUTBOUND
        html = _text(c.get("html_body"))
        return MessageDraft(
            key=f"zendesk:comment:{cid}",
            direction=direction,
            author_customer_id=customer_id if author == rid else None,
            author_label=self._label(author),
            body_text=_text(c.get("body") or c.get("plain_body")),
            body_html=CLEANER.clean(html) if html else "",
            external_id=cid,
            created_at=parse_dt(_text(c.get("created_at")), "comments.created_at") or fallback,
        )
