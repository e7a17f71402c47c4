"""resolve: turn a lint-clean spec into the model."""
