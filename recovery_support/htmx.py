from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def render_partials(
    request: HttpRequest, template: str, names: list[str], context: dict, status: int = 200
) -> HttpResponse:
    """Several partials of one page template in one response: the swap target first,
    then any out-of-band fragments."""
    html = "".join(render_to_string(f"{template}#{name}", context, request) for name in names)
    return HttpResponse(html, status=status)
