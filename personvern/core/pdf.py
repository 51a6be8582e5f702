"""HTML to PDF with WeasyPrint (which needs Debian's pango libraries: ``make install`` puts
them there). Imported only when a PDF is asked for, so the rest runs without them."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    return bytes(HTML(string=html).write_pdf() or b"")
