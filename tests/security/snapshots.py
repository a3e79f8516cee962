"""Every row a person owns (the models of the "my data" export), to compare before and
after a request, and the changes someone else may make to them."""

from django.db import models

from sharing.my_data import OWNED

Key = tuple[str, object]  # (model label, pk)

# What a supporter changes on a member's request for help by taking it on or back.
TAKING_ON = {
    "claimed_by_id",
    "claimed_at",
    "remind_at",
    "reminder_queued_at",
    "reminded_at",
    "handed_back_by_name",
    "handed_back_note",
    "handed_back_at",
}


def snapshot(user) -> dict[Key, dict]:
    """{(model label, pk): {field: value}} of every row the user owns, secrets and all."""
    rows = {}
    for owned in OWNED:
        meta = owned.model._meta
        many = [f.name for f in meta.many_to_many]
        for row in owned.rows(user).prefetch_related(*many):
            values = {f.attname: f.value_from_object(row) for f in meta.concrete_fields}
            for name in many:
                values[name] = sorted(o.pk for o in getattr(row, name).all())
            rows[(meta.label, row.pk)] = values
    return rows


def changes(before: dict[Key, dict], after: dict[Key, dict]) -> list[tuple[Key, dict, dict]]:
    """(key, fields before, fields after) of each row added, changed or removed."""
    return [
        (key, before.get(key, {}), after.get(key, {}))
        for key in sorted(before.keys() | after.keys(), key=str)
        if before.get(key) != after.get(key)
    ]


def allowed_for_grantee(change: tuple[Key, dict, dict], grantee_pk: int) -> bool:
    """What a counselor or supporter may write in the member's data: a record of their
    own read, their own comment, review or encouragement, taking a request for help on
    (or handing it back), and the time of their last look or review on their own grant."""
    (label, _), before, after = change
    added = not before and after
    if added and label == "sharing.AccessRecord":
        return after["viewer_id"] == grantee_pk
    if added and label == "sharing.Comment":
        return after["author_id"] == grantee_pk
    if added and label == "sharing.Review":
        return after["counselor_id"] == grantee_pk
    if added and label == "sharing.Encouragement":
        from sharing.models import Grant

        return Grant.objects.filter(pk=after["grant_id"], grantee_id=grantee_pk).exists()
    if before and after and label == "sharing.HelpRequest":
        changed = {name for name in after if before[name] != after[name]}
        took_on = before["claimed_by_id"] is None and after["claimed_by_id"] == grantee_pk
        handed_back = before["claimed_by_id"] == grantee_pk and after["claimed_by_id"] is None
        return (took_on or handed_back) and changed <= TAKING_ON
    if before and after and label == "sharing.Grant" and after["grantee_id"] == grantee_pk:
        changed = {name for name in after if before[name] != after[name]}
        if changed == {"revoked_at", "ended_by_grantee"}:  # stepping back, once
            return before["revoked_at"] is None and after["ended_by_grantee"]
        return changed <= {"last_viewed_at", "last_reviewed_at"}
    return False


def references(rows: dict[Key, dict], others: dict[Key, dict]) -> list[tuple[Key, str, Key]]:
    """(row, field, other row) for each foreign key or many-to-many in `rows` that points
    at one of `others`: one person's things must never point at another's."""
    from django.apps import apps

    found = []
    for key, values in rows.items():
        meta = apps.get_model(key[0])._meta
        for field in [*meta.concrete_fields, *meta.many_to_many]:
            if not field.is_relation:
                continue
            target = field.related_model._meta.label
            value = values[field.name if field.many_to_many else field.attname]
            for pk in value if isinstance(field, models.ManyToManyField) else [value]:
                if (target, pk) in others:
                    found.append((key, field.name, (target, pk)))
    return found
