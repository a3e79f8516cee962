"""The project's URLs plus one bare view; never part of the production URLconf."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from recovery_support.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """No queries or template of its own: what is left is Django, the middleware
    (which reads the session and user) and gunicorn."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urlpatterns]
