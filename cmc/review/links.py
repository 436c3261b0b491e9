"""Personal links: a secret made with `secrets.token_urlsafe`, of which only the hash is kept,
so that a copy of the database opens nobody's review or suggestion."""

import hashlib
import secrets

from django.conf import settings


def new_secret() -> tuple[str, str]:
    """A fresh secret for a link and the hash to store."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_secret(raw)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def absolute(path: str) -> str:
    """A path of this site as a link to send by email."""
    return f"{settings.CMC_SITE_URL}{path}"
