"""Load-test formats: each file becomes request or metric series."""
