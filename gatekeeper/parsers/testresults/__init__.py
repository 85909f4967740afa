"""Test-result formats: each file becomes TestResults."""
