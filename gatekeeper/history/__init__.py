"""The project's memory: one record a judged push (``records``), read back as trends and the
dates phases were first reached. Pure: GitHub's storage of it is ``gatekeeper.github.history``.
"""
