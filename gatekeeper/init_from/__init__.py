"""`gatekeeper init --from`: a first matrix drafted from the artifacts CI already produces.

``scan`` reads the files (the one part that touches the disk); ``families`` groups them into
artifacts with globs; ``propose`` turns what they hold into benchmarks that pass today,
each checked with the engine itself (``analysis``: those of static analysis); ``render``
writes the matrix text; ``draft`` runs them in that order for ``gatekeeper init --from``.

Layer: drafting, above the verdict (docs/architecture.md). May import everything up to the
engine and ``results``; never the reporters, ``phases``, ``github`` or ``commands``.
"""
