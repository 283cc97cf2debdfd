import pytest

from signaldesk.accounts.models import AgentProfile
from signaldesk.testing.factories import (
    TEST_PASSWORD,
    CustomerFactory,
    MessageFactory,
    OrderLineFactory,
    ShipmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_build_a_connected_graph() -> None:
    line = OrderLineFactory()
    shipment = ShipmentFactory(order=line.order)
    message = MessageFactory()

    assert line.order.customer.email == line.order.email
    assert line.sku == line.variant.sku
    assert shipment.order == line.order
    assert message.author_customer == message.ticket.customer
    assert message.channel == "email"


def test_user_factory_sets_role_and_password() -> None:
    stakeholder = UserFactory(role="stakeholder")
    admin = UserFactory(role="admin")

    assert AgentProfile.objects.get(user=stakeholder).role == "stakeholder"
    assert (admin.is_superuser, admin.check_password(TEST_PASSWORD)) == (True, True)


def test_customer_with_identities() -> None:
    customer = CustomerFactory.with_identities(email="ana@example.com", phone="+4915112345678")

    assert sorted(customer.identities.values_list("kind", "value")) == [
        ("email", "ana@example.com"),
        ("phone", "+4915112345678"),
    ]
