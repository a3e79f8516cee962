"""The admin shows nothing of allauth's: two-factor keys are secrets, and an email
address added there would be taken as verified for someone else's account. allauth's
admin modules are imported here first (this app comes before allauth), so that what
they register can be taken out again."""

import allauth.account.admin
import allauth.mfa.admin  # noqa: F401
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.contrib import admin

for model in (Authenticator, EmailAddress, EmailConfirmation):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
