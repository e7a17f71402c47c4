"""model: the resolved, frozen view of a spec that generators read."""
