"""The mutations, and what each one may do to a verdict.

Every mutation has an ``Effect``, stated here once, which decides the property it is held to:

- ``SAME``: a rewrite that keeps the document's meaning (JSON: whitespace, key order,
  ``\\uXXXX`` escapes, other spellings of the same float, never an integer as a float;
  XML: attribute order, quote style, whitespace inside tags, character references, CDATA,
  ``<a/>`` for ``<a></a>``, a UTF-8 byte order mark, CRLF line ends; CSV: LF or CRLF
  record ends, quoting a field).
  The verdict must be identical: exit code and every benchmark's outcome (property a).
  Console text (go test, Catch2, wrk, ...) gets none: its tools define no equivalent
  spellings, and we do not invent any.
- ``VALUE``: a plausible change of value, which may move the verdict either way: a number
  replaced by ``0`` or ``1e308`` (finite, not negative), a digit changed into another
  digit, a whole record (CSV row, NDJSON line, console line) deleted or repeated, a JSON
  member or array item or an XML element deleted or repeated, a truncation at a record
  boundary of a row-based file, a byte flip inside a JSON key or an XML name that leaves
  the document well-formed (a field renamed: one the tool may omit, one it may add).
- ``BROKEN``: evidence no tool writes, which must never turn a failing benchmark into a
  pass (property b): a truncation anywhere but at a record boundary of a row-based file
  (so any truncation of a JSON or XML document that removes more than whitespace),
  ``NaN`` and ``±Infinity``, ``-1`` in place of a number that was not negative when the
  benchmark it turns into a pass then measures a negative value of a statistic with a unit
  (durations, counts, sizes and rates are never negative; a statistic without a unit, such
  as a k6 gauge, may be, and so may hyperfine's ``exit_codes``), any other byte flip (one that
  breaks the syntax, or changes a value such as a status, a unit or a line of console
  text), a deleted or repeated line that leaves JSON or XML ill-formed, a CSV header
  deleted or repeated. One exception, for byte flips and number replacements that keep the
  syntax: when gatekeeper then reads a test or series name that the original does not
  have, the change renamed a record (``/a`` to ``oa``), which is a value change.

Every mutation also holds to property (c) (exit 0-3, no traceback, no hang).
A mutation is a function of (seed, case, index) alone, so a failure can be replayed.
"""

from __future__ import annotations

import random

from tests.fuzz.common_kinds import COMMON
from tests.fuzz.mutation import Doc, Effect, Mutation, Mutator
from tests.fuzz.shaped_kinds import CSV, JSON, NDJSON, XML

__all__ = ["KINDS", "Doc", "Effect", "Mutation", "mutate"]


KINDS: dict[str, list[Mutator]] = {
    "json": [*COMMON, *JSON],
    "ndjson": [*COMMON, *NDJSON],
    "xml": [*COMMON, *XML],
    "csv": [*COMMON, *CSV],
    "text": list(COMMON),
}
"""The mutation kinds for each shape of file; mutation ``index`` uses kind ``index % len``."""


def mutate(doc: Doc, seed: str, case: str, index: int) -> Mutation:
    """Mutation ``index`` of a case: the same (seed, case, index) always gives the same bytes.
    A kind with nothing to work on hands over to the next one."""
    kinds = KINDS[doc.shape]
    for step in range(len(kinds)):
        kind = kinds[(index + step) % len(kinds)]
        rng = random.Random(f"{seed}/{case}/{index}")
        mutation = kind(doc, rng, index // len(kinds))
        if mutation is not None and mutation.data != doc.data:
            return mutation
    return Mutation("none", Effect.SAME, "no kind applies", doc.data)
