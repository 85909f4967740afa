"""DKIM-style signing with a small key ring that is rotated by hand.

A toy: real DKIM signs with RSA or Ed25519. This keeps DKIM's shape (a selector per key,
a body hash, a hash over chosen headers, a ``DKIM-Signature`` tag list) and signs with
HMAC-SHA256 from the standard library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_KEYS = 9
"""Steel's goal is "<10 DKIM keys (manual rotation)": the ring never holds ten."""

SIGNED_HEADERS = ("from", "to", "subject")


class KeyRingError(ValueError):
    """A key ring operation that would break the ring's rules."""


@dataclass(frozen=True)
class Key:
    """One signing key, published in DNS under ``<selector>._domainkey.<domain>``."""

    selector: str
    secret: bytes


def canonical_body(body: bytes) -> bytes:
    """DKIM "simple" body canonicalisation: CRLF line ends, no trailing empty lines."""
    lines = body.replace(b"\r\n", b"\n").split(b"\n")
    while lines and lines[-1] == b"":
        lines.pop()
    return b"\r\n".join(lines) + b"\r\n"


def canonical_header(name: str, value: str) -> str:
    """DKIM "relaxed" header canonicalisation: lower-case name, folded whitespace."""
    folded = re.sub(r"\s+", " ", value).strip()
    return f"{name.strip().lower()}:{folded}\r\n"


class KeyRing:
    """The signing keys of one domain; exactly one of them is active."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self._keys: dict[str, Key] = {}
        self.active: str | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, selector: str, secret: bytes) -> Key:
        """Add a key; the first key added becomes the active one."""
        if selector in self._keys:
            raise KeyRingError(f"selector {selector!r} is already in the ring")
        if len(self._keys) >= MAX_KEYS:
            raise KeyRingError(f"the ring already holds {MAX_KEYS} keys: retire one first")
        if len(secret) < 16:
            raise KeyRingError("a key needs at least 16 bytes of secret")
        key = Key(selector, secret)
        self._keys[selector] = key
        if self.active is None:
            self.active = selector
        return key

    def rotate(self, selector: str) -> None:
        """Make ``selector`` the key new mail is signed with (the manual rotation)."""
        if selector not in self._keys:
            raise KeyRingError(f"no key with selector {selector!r}")
        self.active = selector

    def retire(self, selector: str) -> None:
        """Drop a key that no longer signs; mail in flight may still need it to verify."""
        if selector == self.active:
            raise KeyRingError(f"{selector!r} is the active key: rotate to another first")
        if self._keys.pop(selector, None) is None:
            raise KeyRingError(f"no key with selector {selector!r}")

    def sign(self, headers: Mapping[str, str], body: bytes) -> str:
        """The ``DKIM-Signature`` header value for a message, signed with the active key."""
        if self.active is None:
            raise KeyRingError("the ring is empty: add a key before signing")
        key = self._keys[self.active]
        body_hash = base64.b64encode(hashlib.sha256(canonical_body(body)).digest()).decode()
        tags = (
            f"v=1; a=hmac-sha256; c=relaxed/simple; d={self.domain}; s={key.selector}; "
            f"h={':'.join(SIGNED_HEADERS)}; bh={body_hash}; b="
        )
        return tags + self._mac(key, headers, tags)

    def verify(self, headers: Mapping[str, str], body: bytes, signature: str) -> bool:
        """Whether ``signature`` is valid for the message under a key still in the ring."""
        tags = dict(part.strip().split("=", 1) for part in signature.split(";") if "=" in part)
        key = self._keys.get(tags.get("s", ""))
        if key is None or tags.get("d") != self.domain:
            return False
        body_hash = base64.b64encode(hashlib.sha256(canonical_body(body)).digest()).decode()
        if not hmac.compare_digest(tags.get("bh", ""), body_hash):
            return False
        unsigned = signature[: signature.rindex("; b=") + len("; b=")]
        return hmac.compare_digest(tags.get("b", ""), self._mac(key, headers, unsigned))

    @staticmethod
    def _mac(key: Key, headers: Mapping[str, str], tags: str) -> str:
        lower = {name.lower(): value for name, value in headers.items()}
        signed = "".join(canonical_header(name, lower.get(name, "")) for name in SIGNED_HEADERS)
        signed += canonical_header("dkim-signature", tags).rstrip("\r\n")
        digest = hmac.new(key.secret, signed.encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()
