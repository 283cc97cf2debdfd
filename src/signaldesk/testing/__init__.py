"""Test helpers shared across packages: factories, browser fixtures."""
