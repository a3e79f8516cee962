"""The table the cache is kept in while Redis is down (recovery_support/cache.py)."""

from django.core.management import call_command
from django.db import migrations

TABLE = "cache_without_redis"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("recovery_support", "0004_encrypt_two_factor_secrets")]

    operations = [migrations.RunPython(create_table, drop_table)]
