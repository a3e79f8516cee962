from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from recovery_support.emails import with_html_alternative


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.display_name = data.get("display_name", "")
        user.time_zone = data.get("time_zone") or settings.DEFAULT_MEMBER_TIME_ZONE
        user.is_professional = bool(data.get("is_professional"))
        return super().save_user(request, user, form, commit=commit)

    def render_mail(self, template_prefix, email, context, headers=None):
        return with_html_alternative(
            super().render_mail(template_prefix, email, context, headers=headers)
        )
