"""jamdash: observability as code for the JAM service."""

__version__ = "0.1.0"
