"""check: run checks over generated output (external tools, dashboard rules) and turn results into findings."""
