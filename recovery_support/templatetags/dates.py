from django import template

from recovery_support.dates import local_date

register = template.Library()
register.filter("local_date", local_date, expects_localtime=True)
