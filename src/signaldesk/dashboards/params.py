"""Parsing of the dashboard filters (GET parameters shared by the pages, CSV and the API)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from signaldesk.core.errors import ValidationError
from signaldesk.dashboards.selectors import Period
from signaldesk.tickets.models import Channel

PERIODS = ("7d", "14d", "28d", "56d", "90d", "120d")
DEFAULT_PERIOD = "56d"
MAX_DAYS = 400
_REASON = re.compile(r"^[a-z0-9_]{1,60}$")


def parse_period(params: Mapping[str, str], today: dt.date) -> tuple[Period, str]:
    """(Period, the preset name or '' for a custom range). ``period=28d`` ends today;
    ``since``/``until`` (ISO dates) give a custom range. Raises ValidationError."""
    preset = params.get("period", "") or ("" if params.get("since") else DEFAULT_PERIOD)
    try:
        until = dt.date.fromisoformat(params["until"]) if params.get("until") else today
        if preset:
            if preset not in PERIODS:
                raise ValidationError(f"period must be one of {', '.join(PERIODS)}")
            since = until - dt.timedelta(days=int(preset[:-1]) - 1)
        else:
            since = dt.date.fromisoformat(params.get("since", ""))
    except ValueError as exc:
        raise ValidationError("since and until must be dates (YYYY-MM-DD)") from exc
    if since > until or (until - since).days >= MAX_DAYS:
        raise ValidationError(f"the period must run forwards and span at most {MAX_DAYS} days")
    channel = params.get("channel", "")
    if channel and channel not in Channel.values:
        raise ValidationError(f"channel must be one of {', '.join(Channel.values)}")
    reason = params.get("reason", "")
    if reason and not _REASON.match(reason):
        raise ValidationError("reason must be a reason id such as damaged_item")
    return Period(since, until, channel, reason), preset
