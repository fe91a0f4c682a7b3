"""Render a whole page, or one of its inline partials for an htmx request."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(
    request: HttpRequest,
    template_name: str,
    context: dict,
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """The page for a normal request; `template_name#partial` for an htmx one."""
    if request.htmx and not request.htmx.boosted:
        template_name = f"{template_name}#{partial}"
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
