"""Contact-reason classifier core (Django-free): encoder, features, classifier, metrics."""

from .classifier import DEFAULT_KIND, ModelFormatError, Prediction, ReasonClassifier
from .data import ClassifierInputError, read_table

__all__ = [
    "DEFAULT_KIND",
    "ClassifierInputError",
    "ModelFormatError",
    "Prediction",
    "ReasonClassifier",
    "read_table",
]
