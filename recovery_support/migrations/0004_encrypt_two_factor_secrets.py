"""Two-factor secrets stored before they were encrypted (recovery_support/mfa.py) are
encrypted now; those already encrypted are left as they are."""

from django.db import migrations

from recovery_support.mfa import decrypt, encrypt, is_encrypted


def _secret_fields(data: dict) -> list[str]:
    return [name for name in ("secret", "seed") if name in data]


def encrypt_secrets(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.using(schema_editor.connection.alias):
        data = authenticator.data
        changed = False
        for name in _secret_fields(data):
            if not is_encrypted(data[name]):
                data[name] = encrypt(data[name])
                changed = True
        codes = data.get("migrated_codes")
        if codes is not None and not all(is_encrypted(code) for code in codes):
            data["migrated_codes"] = [c if is_encrypted(c) else encrypt(c) for c in codes]
            changed = True
        if changed:
            authenticator.save(update_fields=["data"])


def decrypt_secrets(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.using(schema_editor.connection.alias):
        data = authenticator.data
        for name in _secret_fields(data):
            if is_encrypted(data[name]):
                data[name] = decrypt(data[name])
        if data.get("migrated_codes") is not None:
            data["migrated_codes"] = [
                decrypt(c) if is_encrypted(c) else c for c in data["migrated_codes"]
            ]
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("recovery_support", "0003_user_has_own_space"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
