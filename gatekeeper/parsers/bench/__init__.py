"""Benchmark formats: each file becomes one series per benchmark.

Part of ``gatekeeper.parsers`` (the evidence layer): may import the base and model layers and
the readers in ``gatekeeper.parsers``; never the engine, reports or GitHub.
"""
