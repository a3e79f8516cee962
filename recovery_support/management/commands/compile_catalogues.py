from django.core.management.base import BaseCommand

from recovery_support.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo with polib (no GNU gettext needed)."

    def handle(self, *args, **options) -> None:
        for path in compile_catalogues():
            self.stdout.write(f"Compiled {path}")
