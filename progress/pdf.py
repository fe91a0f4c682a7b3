"""Printable documents as PDF, drawn by WeasyPrint from a template and the print stylesheet.

The page's HTML is made in the request (templates, the request's context); the PDF is drawn from
it in a child process, forked from a server process that has WeasyPrint loaded, and the child
ends with its drawing. So WeasyPrint's memory (Pango's caches, the boxes of a long table) never
stays in the web worker, and a drawing that runs past LONGEST is killed rather than holding the
worker: the user is told instead (`NotDrawn`). The child is given only the HTML: it needs no
database.
"""

import logging
import multiprocessing

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.template.loader import render_to_string

# Seconds a drawing may take; gunicorn's timeout (gunicorn.conf.py) is longer, so this comes first.
LONGEST = 60

logger = logging.getLogger(__name__)
processes = multiprocessing.get_context("forkserver")
# The server the children fork from imports WeasyPrint once (a second), not each child, and the
# program's main module, which a child would otherwise import again.
processes.set_forkserver_preload(["__main__", "weasyprint", __name__])


class NotDrawn(Exception):
    """The PDF could not be drawn in time, or its process failed; nothing was sent."""


def html(template_name: str, context: dict, *, request: HttpRequest | None = None) -> str:
    return render_to_string(template_name, context, request=request)


def layout(page: str, *, stylesheet: str | None = None):
    """The laid-out document of the HTML `page`: `.write_pdf()` for the file, `.pages`."""
    from weasyprint import CSS, HTML  # the server the children fork from has it loaded already

    stylesheet = stylesheet or finders.find("css/print.css")
    return HTML(string=page).render(stylesheets=[CSS(filename=stylesheet)])


def document(template_name: str, context: dict, *, request: HttpRequest | None = None):
    """The laid-out document, drawn here in this process: for tests that count its pages."""
    return layout(html(template_name, context, request=request))


def draw(page: str) -> bytes:
    """The PDF of the HTML `page`, drawn in a child process that ends with it."""
    receiving, sending = processes.Pipe(duplex=False)
    child = processes.Process(
        target=_draw, args=(page, finders.find("css/print.css"), sending), daemon=True
    )
    child.start()
    sending.close()  # the child's end: if it dies, reading here ends instead of waiting
    try:
        if not receiving.poll(LONGEST):
            logger.warning("A PDF took longer than %s s to draw and was stopped", LONGEST)
            raise NotDrawn(f"It took longer than {LONGEST} seconds to draw.")
        try:
            return receiving.recv_bytes()
        except EOFError:
            child.join()
            logger.error("A PDF's drawing process ended with %s", child.exitcode)
            raise NotDrawn("Its drawing failed.") from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()  # past LONGEST, or ending anyway once it has sent the PDF
        child.join()
        child.close()


def render(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """The PDF of `template_name` with `context`, as bytes."""
    return draw(html(template_name, context, request=request))


def response(
    template_name: str, context: dict, *, request: HttpRequest, filename: str
) -> HttpResponse:
    """The PDF as a download named `filename`, or a page saying it could not be drawn."""
    try:
        drawn = render(template_name, context, request=request)
    except NotDrawn as reason:
        return not_drawn(request, reason)
    download = HttpResponse(drawn, content_type="application/pdf")
    download["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download


def not_drawn(request: HttpRequest, reason: NotDrawn) -> HttpResponse:
    """The page for a PDF that was not drawn: 503, so a retry later may do better."""
    return render_page(request, "progress/pdf_not_drawn.html", {"reason": reason}, status=503)


def _draw(page: str, stylesheet: str, sending) -> None:
    """In the child: draw and send the PDF."""
    sending.send_bytes(layout(page, stylesheet=stylesheet).write_pdf())
    sending.close()
