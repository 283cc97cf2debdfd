from signaldesk.privacy.redact import ERASED, scrub_json, scrub_text, secrets_pattern


def test_scrub_text_replaces_every_secret_case_insensitively_longest_first() -> None:
    pattern = secrets_pattern(["Jane Roe", "Jane", "jane@example.com", "Al"])
    assert scrub_text("JANE ROE wrote from Jane@Example.com; Al", pattern) == (
        f"{ERASED} wrote from {ERASED}; Al"
    )


def test_scrub_json_walks_nested_values_and_erases_named_keys() -> None:
    pattern = secrets_pattern(["jane@example.com"])
    value = {"a": ["to jane@example.com", 3], "name": "Jane", "size": 12, "n": {"email": ""}}
    assert scrub_json(value, pattern, {"name", "size", "email"}) == {
        "a": [f"to {ERASED}", 3],
        "name": ERASED,
        "size": 12,
        "n": {"email": ""},
    }


def test_no_secrets_means_no_change() -> None:
    assert (secrets_pattern(["", "ab"]), scrub_text("Jane", None)) == (None, "Jane")
