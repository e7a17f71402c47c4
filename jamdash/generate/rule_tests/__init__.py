"""Promtool unit-test cases for the generated rules."""
