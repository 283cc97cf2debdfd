"""Django-free metric cores of the dashboards: plain functions over numbers and dataclasses."""
