"""The matrix file: YAML with positions, schema and rule checks, typed model."""
