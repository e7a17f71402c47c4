"""load: read the spec file and YAML with positions, then check its shape."""
