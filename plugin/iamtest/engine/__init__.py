"""The pure evaluator: standard library only, no I/O, no pytest, YAML or checkov."""
