"""``gatekeeper`` as a user without the ``fast`` extra runs it: pyarrow cannot be imported.

Blocking the import is what an environment without pyarrow does (``import pyarrow``
raises ImportError), so the standard-library engine is measured whole-process, in the
same environment as the other contenders.

    python without_pyarrow.py check --matrix M --dry-run --format json
"""

from __future__ import annotations

import sys

sys.modules["pyarrow"] = None  # type: ignore[assignment]  # import pyarrow: ImportError

from gatekeeper.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
