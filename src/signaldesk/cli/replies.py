"""`signaldesk replies sync`: default macros from the active taxonomy and the shipped knowledge
articles (both idempotent; macros edited in the admin are kept)."""

from __future__ import annotations

import typer

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Reply macros and knowledge articles.")


@app.command(help="Create/update the default macros from the taxonomy and load the articles.")
def sync() -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.knowledge.services import articles_load
    from signaldesk.replies.services import macros_sync_from_taxonomy

    actor = Actor.system("cli")
    macros = macros_sync_from_taxonomy(actor=actor)
    articles = articles_load(actor=actor)
    typer.echo("macros: " + ", ".join(f"{k} {v}" for k, v in macros.items()))
    typer.echo("articles: " + ", ".join(f"{k} {v}" for k, v in articles.items()))
