"""Each injected incident is visible in the numbers and described in ground_truth.json."""

from __future__ import annotations

from collections import Counter

from signaldesk.demo.tests.conftest import DemoFiles


def _incident(demo: DemoFiles, kind: str) -> dict:
    return next(i for i in demo.json("ground_truth.json")["incidents"] if i["kind"] == kind)


def _ticket_orders(demo: DemoFiles, reason: str) -> list[str]:
    """Order numbers of tickets whose true reason is `reason` (where the ticket names one)."""
    labels = {
        (r["source"], r["ticket_id"]): r["true_reason"] for r in demo.rows("ticket_labels.csv")
    }
    out = []
    for t in demo.json("zendesk_tickets.json")["tickets"]:
        value = t["custom_fields"][0]["value"]
        if labels[("zendesk", str(t["id"]))] == reason and value:
            out.append("#" + value.lstrip("#"))
    for r in demo.rows("tickets.csv"):
        if labels[("tickets_csv", r["ticket_id"])] == reason and r["order_number"]:
            out.append("#" + r["order_number"].lstrip("#"))
    return out


def test_ground_truth_schema(demo: DemoFiles) -> None:
    truth = demo.json("ground_truth.json")
    assert sorted(truth) == ["generator", "incidents", "period", "store"]
    kinds = [i["kind"] for i in truth["incidents"]]
    assert kinds == ["damaged_batch", "carrier_delay", "promo_code_failure", "runs_small"]
    for inc in truth["incidents"]:
        assert sorted(inc) == [
            "description",
            "end",
            "expected_effect",
            "id",
            "kind",
            "onset",
            "owner_team",
            "segment",
        ]
        assert "reason" in inc["segment"]
        assert inc["onset"] >= "2026-07-21"  # second half of the 40-day period
        assert inc["end"] >= inc["onset"]


def test_damaged_batch_ticket_rate_is_many_times_base(demo: DemoFiles) -> None:
    inc = _incident(demo, "damaged_batch")
    batch = inc["segment"]["batch"]
    units_in_batch = 0
    units_other = 0
    batch_orders: set[str] = set()
    for r in demo.rows("shipments.csv"):
        if r["status"] not in ("delivered", "damaged"):
            continue
        if r["batch"] == batch:
            units_in_batch += int(r["quantity"])
            batch_orders.add(r["order_number"])
        else:
            units_other += int(r["quantity"])
    damaged = _ticket_orders(demo, "damaged_item")
    in_batch = sum(1 for o in damaged if o in batch_orders)
    batch_rate = in_batch / units_in_batch
    base_rate = (len(damaged) - in_batch) / units_other
    assert units_in_batch >= 10
    assert batch_rate > 10 * base_rate
    reviews = [r for r in demo.rows("reviews.csv") if r["sku"] == inc["segment"]["sku"]]
    assert sum(1 for r in reviews if int(r["rating"]) <= 2) >= 1
    damaged_returns = [
        r
        for r in demo.rows("returns.csv")
        if r["sku"] == inc["segment"]["sku"] and r["reason_code"] == "damaged"
    ]
    assert len(damaged_returns) >= 2


def test_carrier_delay_in_one_region(demo: DemoFiles) -> None:
    inc = _incident(demo, "carrier_delay")
    seg = inc["segment"]
    late: Counter[bool] = Counter()
    base: Counter[bool] = Counter()
    for r in demo.rows("shipments.csv"):
        if not r["delivered_at"] or not r["shipped_at"]:
            continue
        is_late = r["delivered_at"][:10] > r["promised_date"]
        in_window = inc["onset"] <= r["shipped_at"][:10] <= inc["end"]
        if r["carrier"] == seg["carrier"] and r["region"] == seg["region"] and in_window:
            late[is_late] += 1
        else:
            base[is_late] += 1
    assert late[True] / (late[True] + late[False]) > 0.75
    assert base[True] / (base[True] + base[False]) < 0.12


def test_promo_code_fails_on_mobile(demo: DemoFiles) -> None:
    inc = _incident(demo, "promo_code_failure")
    code = inc["segment"]["discount_code"]
    used: Counter[tuple[str, bool]] = Counter()
    for r in demo.rows("shopify_orders.csv"):
        if (
            f"utm:{inc['segment']['campaign']}" in r["Tags"]
            and inc["onset"] <= r["Created at"][:10] <= inc["end"]
        ):
            used[(r["Source"], r["Discount Code"] == code)] += 1
    mobile_share = used[("mobile_app", True)] / (
        used[("mobile_app", True)] + used[("mobile_app", False)]
    )
    web_share = used[("web", True)] / (used[("web", True)] + used[("web", False)])
    assert mobile_share < 0.15
    assert web_share > 0.6
    labels = {r["ticket_id"]: r["true_reason"] for r in demo.rows("ticket_labels.csv")}
    texts = [
        t["description"]
        for t in demo.json("zendesk_tickets.json")["tickets"]
        if labels[str(t["id"])] == "discount_code"
    ]
    mentions = [t for t in texts if code in t and ("app" in t.lower() or "mobile" in t.lower())]
    assert len(mentions) >= 3


def test_new_product_runs_small(demo: DemoFiles) -> None:
    inc = _incident(demo, "runs_small")
    skus = set(inc["segment"]["skus"])
    returns = demo.rows("returns.csv")
    small = [r for r in returns if r["sku"] in skus]
    reasons = Counter(r["reason_code"] for r in small)
    assert reasons["too_small"] > 0.6 * len(small)
    assert any(r["exchange_sku"] for r in small)
    created: dict[str, str] = {}
    for r in demo.rows("shopify_orders.csv"):
        created.setdefault(r["Name"], r["Created at"])
    first_order = min(
        created[r["Name"]][:10]
        for r in demo.rows("shopify_orders.csv")
        if r["Lineitem sku"] in skus
    )
    assert first_order >= inc["onset"]
    sold: Counter[bool] = Counter()
    for r in demo.rows("shopify_orders.csv"):
        if r["Lineitem sku"][:3] in ("DRS", "KNT", "JNS") and created[r["Name"]] >= inc["onset"]:
            sold[r["Lineitem sku"] in skus] += int(r["Lineitem quantity"])
    too_small: Counter[bool] = Counter(
        r["sku"] in skus
        for r in returns
        if r["reason_code"] == "too_small"
        and r["sku"][:3] in ("DRS", "KNT", "JNS")
        and created[r["order_number"]] >= inc["onset"]
    )
    assert too_small[True] / sold[True] > 4 * too_small[False] / sold[False]
    reviews = [r for r in demo.rows("reviews.csv") if r["sku"] in skus]
    assert any("small" in r["body"].lower() or "klein" in r["body"].lower() for r in reviews)
