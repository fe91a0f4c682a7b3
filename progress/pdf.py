"""Printable documents as PDF, drawn by WeasyPrint from a template and the print stylesheet."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def document(template_name: str, context: dict, *, request=None):
    """The laid-out document: `.write_pdf()` for the file, `.pages` to count its pages."""
    from weasyprint import CSS, HTML  # loads the system's Pango only when a PDF is asked for

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html).render(stylesheets=[CSS(filename=finders.find("css/print.css"))])
