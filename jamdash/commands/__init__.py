"""One module per jamdash command, each exposing a click command named `command`."""
