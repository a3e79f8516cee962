from datetime import date

from django import template

from networks import gaps
from networks.models import SupportSource

register = template.Library()


@register.filter
def days_overdue(source: SupportSource, today: date) -> int | None:
    return gaps.days_overdue(source, today)
