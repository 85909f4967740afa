"""Load-test formats: each file becomes request or metric series.

Part of ``gatekeeper.parsers`` (the evidence layer): may import the base and model layers and
the readers in ``gatekeeper.parsers``; never the engine, reports or GitHub.
"""
