"""Django's makemessages, reading our Jinja2 rows (templates/**/*.jinja) as well.

Django's template lexer reads a .jinja file as it reads a template: the words in
`{{ _("...") }}` are found as those of `{{ _("...") }}` in a Django template
(recovery_support/jinja.py says which shapes to use).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    def handle(self, *args, **options):
        if options["domain"] == "django":
            options["extensions"] = [*(options["extensions"] or ["html", "txt", "py"]), "jinja"]
        return super().handle(*args, **options)
