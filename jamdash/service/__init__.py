"""A reference JAM service, instrumented only through the generated modules (docs/service.md)."""
