import pytest

from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.taxonomy.tests.planted import build_planted_tickets
from signaldesk.tickets.models import Ticket


@pytest.fixture
def planted(db: None) -> dict[str, list[Ticket]]:
    active_taxonomy()  # loads the shipped default
    return build_planted_tickets()
