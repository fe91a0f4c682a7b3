"""Render a whole page, or one of its inline partials for an htmx request; page a filtered
list whose filters are kept in the URL."""

from django.core.paginator import Page, Paginator
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


def paged(request: HttpRequest, items, size: int) -> tuple[Page, str]:
    """The page of `items` the URL asks for (`?page=`), and the URL's filters without the page,
    for the links to the pages before and after (`includes/pagination.html`)."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, size).get_page(request.GET.get("page")), query.urlencode()
