"""The optional LLM against real HTTP servers on loopback that play an OpenAI-compatible API."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from signaldesk.replies.drafting.summary import ThreadMessage
from signaldesk.replies.guardrails import GroundingContext
from signaldesk.replies.llm import LlmConfig, llm_rewrite_tone, llm_summarise

DRAFT = "Hi Ana Lopez, order #10023 is late. We wrote to ana.lopez@example.com about it."
CTX = GroundingContext(
    known_amounts=frozenset({Decimal("59.90")}),
    known_orders=frozenset({"10023"}),
    customer_emails=frozenset({"ana.lopez@example.com"}),
    customer_names=frozenset({"Ana Lopez"}),
)

Answer = Callable[[str], str]


class _Server:
    def __init__(self, answer: Answer) -> None:
        self.received: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.received.append({"path": self.path, "body": body})
                content = answer(body["messages"][-1]["content"])
                data = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def config(self) -> LlmConfig:
        host, port = self.httpd.server_address[:2]
        return LlmConfig(base_url=f"http://{host!s}:{port}/v1", model="test", timeout=5)


@pytest.fixture
def llm_server() -> Iterator[Callable[[Answer], _Server]]:
    servers: list[_Server] = []

    def start(answer: Answer) -> _Server:
        server = _Server(answer)
        server.thread.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.httpd.shutdown()
        server.httpd.server_close()


def test_well_behaved_llm_rewrite_is_used_with_pii_restored(llm_server: Any) -> None:
    server = llm_server(lambda text: "Dear " + text.replace("Hi ", "", 1))
    result = llm_rewrite_tone(DRAFT, "formal", context=CTX, config=server.config)
    assert result.source == "llm"
    assert result.text == (
        "Dear Ana Lopez, order #10023 is late. We wrote to ana.lopez@example.com about it."
    )
    assert result.findings == ()
    assert server.received[0]["path"] == "/v1/chat/completions"


def test_hallucinated_refund_promise_is_blocked(llm_server: Any) -> None:
    server = llm_server(lambda text: text + " We have refunded €59.90 to your card.")
    result = llm_rewrite_tone(DRAFT, "friendly", context=CTX, config=server.config)
    assert result.source == "extractive"
    assert result.text == DRAFT
    assert [(f.check, f.severity) for f in result.findings] == [("promise", "block")]
    assert result.rejected_text.endswith("We have refunded €59.90 to your card.")


def test_no_raw_personal_data_reaches_the_llm(llm_server: Any) -> None:
    server = llm_server(lambda text: text)
    result = llm_rewrite_tone(DRAFT, "concise", context=CTX, config=server.config)
    sent = json.dumps(server.received[0]["body"], ensure_ascii=False)
    assert server.received[0]["body"]["messages"][-1]["content"] == (
        "Hi [NAME_1], order #[ORDER_1] is late. We wrote to [EMAIL_1] about it."
    )
    for raw in ("Ana", "Lopez", "10023", "ana.lopez@example.com"):
        assert raw not in sent
    assert result.text == DRAFT
    summary = llm_summarise(
        [ThreadMessage("inbound", "I am Ana Lopez, call +49 151 12345678")],
        names=["Ana Lopez"],
        config=server.config,
    )
    assert server.received[1]["body"]["messages"][-1]["content"] == (
        "inbound: I am [NAME_1], call [PHONE_1]"
    )
    assert summary == "inbound: I am Ana Lopez, call +49 151 12345678"


def test_disabled_llm_falls_back_to_the_extractive_draft() -> None:
    result = llm_rewrite_tone(DRAFT, "formal", context=CTX, config=LlmConfig("", "m"))
    assert (result.source, result.text) == ("extractive", DRAFT)
    assert llm_summarise([], config=LlmConfig("", "m")) is None


def test_unreachable_llm_falls_back_after_one_retry(llm_server: Any) -> None:
    server = llm_server(lambda text: text)
    config = server.config
    server.httpd.shutdown()
    server.httpd.server_close()
    result = llm_rewrite_tone(DRAFT, "formal", context=CTX, config=config)
    assert (result.source, result.text) == ("extractive", DRAFT)
