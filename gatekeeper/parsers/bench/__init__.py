"""Benchmark formats: each file becomes one series per benchmark."""
