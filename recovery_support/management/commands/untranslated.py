from django.core.management.base import BaseCommand, CommandError

from recovery_support import untranslated


class Command(BaseCommand):
    help = (
        "List text a person reads that is not marked for translation, as file:line: text. "
        "Rules: recovery_support/untranslated.py; exceptions: "
        "locale/untranslated-allowlist.txt. Exits 1 when there is any."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            default=list(untranslated.DEFAULT_PATHS),
            help="Files or folders, relative to the project (default: all of it).",
        )

    def handle(self, *args, paths: list[str], **options) -> None:
        try:
            findings = untranslated.find(paths)
        except FileNotFoundError as missing:
            raise CommandError(f"No such file or folder: {missing}") from None
        for finding in findings:
            self.stdout.write(str(finding))
        if findings:
            raise CommandError(f"{len(findings)} unmarked text(s).", returncode=1)
        self.stdout.write("Every visible text is marked for translation.")
