"""jamdash: observability as code, from one spec per service."""

__version__ = "0.1.0"
