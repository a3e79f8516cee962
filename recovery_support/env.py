"""Reading configuration from the environment, failing loudly on bad values.

A typo in production configuration should stop the process at start-up with a
message naming the variable, never run with a silently different setting.
"""

import os
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def env_str(name: str, default: str | object = _MISSING) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_fernet_keys(name: str, default: list[str] | object = _MISSING) -> list[str]:
    """Encryption keys, comma-separated, newest first: each a Fernet key
    (`Fernet.generate_key()`, 32 url-safe base64-encoded bytes)."""
    keys = env_list(name, []) or default
    if keys is _MISSING:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    for key in keys:  # type: ignore[union-attr]
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be Fernet keys (32 url-safe base64-encoded bytes each)."
            ) from None
    return keys  # type: ignore[return-value]


def env_zone(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be an IANA time zone, not {value!r}.") from None
    return value


def redis_database(url: str, database: int) -> str:
    """The same Redis server as `url`, another numbered database."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ImproperlyConfigured(f"REDIS_URL is not a URL: {url!r}.") from None
    if parts.scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, not {url!r}.")
    return urlunsplit(parts._replace(path=f"/{database}"))
