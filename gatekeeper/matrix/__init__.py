"""The matrix file: YAML with positions, schema and rule checks, typed model.

Layer: evidence. May import the base and model layers and ``parsers`` (what each format's
statistics measure, for ``validate``).
"""
