"""SignalDesk: customer-service workflows that turn tickets into business signals."""

__version__ = "0.1.0"
