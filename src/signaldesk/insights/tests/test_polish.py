"""The optional LLM polish against a real HTTP server on loopback (OpenAI-compatible)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from signaldesk.insights.note import draft_note
from signaldesk.insights.note.tests.sample import store_week
from signaldesk.insights.polish import polish_note
from signaldesk.replies.llm import LlmConfig


@pytest.fixture
def llm() -> Iterator[Callable[[Callable[[str], str]], tuple[LlmConfig, list[str]]]]:
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[str], str]) -> tuple[LlmConfig, list[str]]:
        seen: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                seen.append(body["messages"][-1]["content"])
                data = json.dumps(
                    {"choices": [{"message": {"content": answer(seen[-1])}}]}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        host, port = httpd.server_address[:2]
        return LlmConfig(base_url=f"http://{host!s}:{port}/v1", model="t", timeout=5), seen

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def test_polish_is_off_without_a_configured_llm() -> None:
    facts, body = draft_note(store_week(), "product")

    result = polish_note(body, facts.as_dict(), config=LlmConfig(base_url="", model=""))

    assert (result.text, result.polished) == (body, False)


def test_a_polished_note_that_keeps_the_numbers_is_used(llm: Any) -> None:
    facts, body = draft_note(store_week(), "product")
    config, seen = llm(lambda text: text.replace("**In short.**", "**This week in short.**"))

    result = polish_note(body, facts.as_dict(), config=config)

    assert result.polished is True
    assert result.text == body.replace("**In short.**", "**This week in short.**")
    assert len(seen) == 1


def test_a_polished_note_with_an_invented_number_is_rejected(llm: Any) -> None:
    facts, body = draft_note(store_week(), "product")
    config, _ = llm(lambda text: text + "\nContacts will fall by 37% next week.\n")

    result = polish_note(body, facts.as_dict(), config=config)

    assert (result.text, result.polished, result.rejected) == (
        body, False, "numbers not in the facts: 37",
    )  # fmt: skip
