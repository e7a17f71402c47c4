"""diff: compatibility of the spec against a git revision."""
