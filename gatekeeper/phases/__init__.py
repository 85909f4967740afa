"""Phases in git: phase tags record completed phases; ``status`` reads them, ``promote``
makes them through the gate.

``tags`` and ``promotion`` are pure; ``store`` is the interface to where tags live; ``git``
is its local implementation and the only module that runs git. Its GitHub implementation is
``gatekeeper.github.tags`` (GitHub's side of the layers): nothing here imports ``github`` or
talks HTTP.

Layer: phases. May import everything up to the reports; never ``github`` or ``commands``.
"""
