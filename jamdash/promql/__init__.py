"""PromQL: building expressions from the model, and checking them in-process with promql-parser."""
