"""Bearer tokens: random secrets shown once, stored as sha256 hashes; roles in rank order."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

TOKEN_PREFIX = "gdp_"


class Role(StrEnum):
    VIEWER = "viewer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # The secrets are 256-bit random strings, so a plain (unsalted, fast) hash is enough.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
