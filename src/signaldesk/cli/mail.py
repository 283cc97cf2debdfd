"""`signaldesk mail …`: the e-mail channel.

- `listen`: run the inbound SMTP listener (aiosmtpd) until interrupted.
- `receive FILE.eml`: take in one stored message (as the listener would), print the outcome.
IMAP polling is not implemented yet (docs/email.md)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="E-mail channel: inbound SMTP listener and message intake.")


@app.command(help="Run the inbound SMTP listener (Ctrl-C stops it).")
def listen(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(2525, help="TCP port."),
) -> None:
    setup_django()
    from signaldesk.mail.smtp import smtp_controller

    controller = smtp_controller(host=host, port=port)
    controller.start()
    typer.echo(f"SignalDesk SMTP listener on {host}:{port} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        controller.stop()


@app.command(help="Take in one RFC 5322 message from a file (.eml).")
def receive(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.mail.parse import MailRefused
    from signaldesk.mail.services import mail_receive

    try:
        receipt = mail_receive(raw=path.read_bytes(), source="cli", actor=Actor.system("cli"))
    except MailRefused as refused:
        typer.echo(f"refused: {refused.reason}", err=True)
        raise typer.Exit(code=2) from None
    state = "stored" if receipt.created else "already received"
    typer.echo(
        f"{receipt.kind} {state}: {receipt.message_id} → ticket {receipt.ticket_id}, "
        f"{len(receipt.attachments_rejected)} attachments rejected"
    )
