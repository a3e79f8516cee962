"""Two-factor secrets are stored encrypted: a copy of the database alone does not give
anyone's authenticator codes or recovery codes."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.db import connection

from tests.recovery_support.test_two_factor_flow import current_code

pytestmark = pytest.mark.django_db


def test_a_totp_secret_is_stored_encrypted_and_still_checks_codes(member):
    secret = generate_totp_secret()

    totp = TOTP.activate(member, secret)

    stored = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP).data
    assert secret not in str(stored)
    assert totp.validate_code(current_code(secret))


def test_the_seed_of_recovery_codes_is_stored_encrypted(member):
    codes = RecoveryCodes.activate(member)

    seed = codes.instance.data["seed"]
    assert not all(c in "0123456789abcdef" for c in seed), "not the hex seed itself"
    assert len(codes.get_unused_codes()) == 10


def test_secrets_stored_in_clear_before_are_encrypted_by_the_migration(
    member, other_member, settings
):
    secret = generate_totp_secret()
    clear = Authenticator.objects.create(
        user=member, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    seed = "ab" * 40
    codes = Authenticator.objects.create(
        user=member,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": seed, "used_mask": 0},
    )
    ours, settings.MFA_ADAPTER = settings.MFA_ADAPTER, "allauth.mfa.adapter.DefaultMFAAdapter"
    expected_codes = codes.wrap().get_unused_codes()  # as allauth read them in clear
    settings.MFA_ADAPTER = ours
    TOTP.activate(other_member, generate_totp_secret())
    already = Authenticator.objects.get(user=other_member).data

    migration = importlib.import_module(
        "recovery_support.migrations.0004_encrypt_two_factor_secrets"
    )
    with connection.schema_editor() as schema_editor:
        migration.encrypt_secrets(apps, schema_editor)
        migration.encrypt_secrets(apps, schema_editor)  # twice: nothing is encrypted twice

    clear.refresh_from_db()
    assert secret not in str(clear.data)
    assert TOTP(clear).validate_code(current_code(secret))
    codes.refresh_from_db()
    assert seed not in str(codes.data)
    assert codes.wrap().get_unused_codes() == expected_codes
    assert Authenticator.objects.get(user=other_member).data == already
