"""The member's own data: everything they own, as JSON or as a printable page, and
deleting the account with all of it."""

import json
from dataclasses import dataclass

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from networks.models import ContactLog, SupportSource
from plans.models import (
    Activity,
    CheckIn,
    CheckInSchedule,
    Goal,
    HelpCall,
    Plan,
    PlanSource,
    RelapseItem,
    Reminder,
    Revision,
)
from recovery_support import limits
from recovery_support.models import User
from recovery_support.push.models import DeliveryChoices, Notice, PushSubscription
from sharing import tasks
from sharing.forms import DeleteAccountForm
from sharing.models import (
    AccessRecord,
    CalendarFeed,
    Comment,
    CounselorAlert,
    Encouragement,
    Grant,
    HelpRequest,
    Invitation,
    LessonRead,
    Review,
)


@dataclass(frozen=True)
class Owned:
    model: type[models.Model]
    lookups: tuple[str, ...]  # a row is the member's if any of these is the member
    hidden: tuple[str, ...] = ()  # secrets that never leave the database
    # For rows that are someone else's but concern the person too (access another
    # member gave them): only these fields, a person named rather than numbered.
    only: tuple[str, ...] = ()
    # The export's key when one model has two sections: an identifier, not a label.
    export_key: str = ""
    title: str = ""  # its heading on the printable page (translated, lazily)

    def rows(self, user) -> models.QuerySet:
        query = Q()
        for lookup in self.lookups:
            query |= Q(**{lookup: user.pk})
        return self.model.objects.filter(query).order_by("pk")

    def fields(self) -> list[models.Field]:
        meta = self.model._meta
        return [
            f
            for f in meta.concrete_fields + meta.many_to_many
            if f.name not in self.hidden and (not self.only or f.name in self.only)
        ]

    # The JSON export is for programs as much as people: its keys (model labels and
    # field names) stay English identifiers in every language, so a file exported in
    # Spanish reads the same to a program as one in English. The printable page's
    # headings (`heading`: the models' verbose names, translated) are for people.
    @property
    def key(self) -> str:
        return self.export_key or self.model._meta.label

    @property
    def heading(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural).capitalize()


# Every kind of row a member owns. tests/recovery_support/test_my_data.py fails when a
# model is added to the project without being listed here (or in NOT_OWNED).
OWNED = (
    Owned(User, ("pk",), hidden=("password",)),
    Owned(EmailAddress, ("user",)),
    Owned(Authenticator, ("user",), hidden=("data",)),
    Owned(PushSubscription, ("owner",), hidden=("endpoint", "p256dh", "auth")),
    Owned(DeliveryChoices, ("owner",)),
    Owned(Notice, ("recipient",)),
    Owned(SupportSource, ("owner",)),
    Owned(ContactLog, ("source__owner",)),
    Owned(Plan, ("owner",)),
    Owned(PlanSource, ("plan__owner",)),
    Owned(Activity, ("plan__owner",)),
    Owned(RelapseItem, ("plan__owner",)),
    Owned(Goal, ("plan__owner",)),
    Owned(Revision, ("plan__owner",)),
    Owned(CheckInSchedule, ("owner",)),
    Owned(Reminder, ("schedule__owner",)),
    Owned(CheckIn, ("owner",)),
    Owned(HelpCall, ("owner",)),
    Owned(Invitation, ("member",), hidden=("token_hash",)),
    Owned(Grant, ("member",)),
    # Access others gave the person: who, as what, since and until when. The choices
    # those members made about them (hiding their messages, say) are not theirs.
    Owned(
        Grant,
        ("grantee",),
        only=("id", "member", "role", "created_at", "ends_on"),
        export_key="sharing.Grant held",
        title=_("Access others gave you"),
    ),
    Owned(AccessRecord, ("member",)),
    Owned(Comment, ("plan__owner",)),
    Owned(Review, ("plan__owner",)),
    Owned(Encouragement, ("grant__member", "grant__grantee")),
    Owned(CounselorAlert, ("grant__member",)),
    Owned(HelpRequest, ("member",)),
    # Help the person took on for someone else: what, when and for whom; not that
    # member's note, place or the thanks' wording beyond what was sent to them.
    Owned(
        HelpRequest,
        ("claimed_by",),
        only=("id", "member", "kind", "at", "open_until", "claimed_at", "thanks", "thanked_at"),
        export_key="sharing.HelpRequest claimed",
        title=_("Help you took on"),
    ),
    Owned(CalendarFeed, ("owner",), hidden=("token_hash",)),
    Owned(LessonRead, ("reader",)),
)


def _value(owned: Owned, row: models.Model, field: models.Field):
    if isinstance(field, models.ManyToManyField):
        return sorted(getattr(row, field.name).values_list("pk", flat=True))
    if owned.only and field.is_relation:
        return str(getattr(row, field.name))
    return field.value_from_object(row)


def _name(owned: Owned, field: models.Field) -> str:
    if field.many_to_many or (owned.only and field.is_relation):
        return field.name
    return field.attname


def export_for(user) -> dict:
    """{model label: [row as a dict]}: every row the member owns, every field except
    secrets (password hash, two-factor keys, invitation token hashes); of access others
    gave them, only what is theirs to know."""
    data = {}
    for owned in OWNED:
        fields = owned.fields()
        rows = owned.rows(user)
        if any(isinstance(f, models.ManyToManyField) for f in fields):
            rows = rows.prefetch_related(*(f.name for f in fields if f.many_to_many))
        related = [f.name for f in fields if owned.only and f.is_relation]
        if related:
            rows = rows.select_related(*related)
        data[owned.key] = [{_name(owned, f): _value(owned, row, f) for f in fields} for row in rows]
    return data


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "sharing/my_data.html")


@require_GET
@login_required
@reauthentication_required
def export_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(
        {"exported_at": timezone.now(), "data": export_for(request.user)},
        cls=DjangoJSONEncoder,
        indent=2,
        ensure_ascii=False,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="recovery-support-{stamp}.json"'
    return response


@require_GET
@login_required
@reauthentication_required
def export_page(request: HttpRequest) -> HttpResponse:
    sections = [
        (owned.heading, rows)
        for owned, rows in zip(OWNED, export_for(request.user).values(), strict=True)
    ]
    context = {"sections": sections, "today": timezone.localdate()}
    return render(request, "sharing/export.html", context)


@transaction.atomic
def account_delete(*, user) -> None:
    """1. note who has access now; 2. delete the account, and with it (by cascade)
    every row it owns and every grant given or held; 3. once committed, tell the
    people who had access that it ended, without saying why."""
    had_access = list(
        Grant.objects.active().filter(member=user).values_list("grantee__email", flat=True)
    )
    name = str(user)
    user.delete()
    if had_access:
        transaction.on_commit(lambda: tasks.send_access_ended.delay(had_access, name))


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(user=request.user)
    # Each try is a guess at the password: it counts before the password is checked.
    if request.method == "POST" and not limits.over_limit(request, "delete_account", form):
        form = DeleteAccountForm(request.POST, user=request.user)
        if form.is_valid():
            account_delete(user=request.user)
            logout(request)
            messages.success(
                request, gettext("Your account and everything in it are deleted. Take care.")
            )
            return redirect("home")
    return render(request, "sharing/delete.html", {"form": form}, status=limits.status_for(form))
