"""Two-factor secrets (TOTP keys, the seed of recovery codes) are stored encrypted with
settings.MFA_ENCRYPTION_KEYS, so a copy of the database alone gives no one's codes.

The first key encrypts; every key decrypts, so a new key can be put first and the old
one kept after it until every secret has been written again.
"""

import functools

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return _fernet(tuple(settings.MFA_ENCRYPTION_KEYS)).encrypt(text.encode()).decode()


def decrypt(encrypted: str) -> str:
    return _fernet(tuple(settings.MFA_ENCRYPTION_KEYS)).decrypt(encrypted.encode()).decode()


def is_encrypted(text: str) -> bool:
    try:
        decrypt(text)
    except InvalidToken:
        return False
    return True


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)
