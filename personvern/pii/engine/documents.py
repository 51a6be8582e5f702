"""The text of an uploaded document, read by well-kept libraries: PDF (pypdf), DOCX
(python-docx), e-mail files (the standard library's ``email``, with their attachments) and
plain text. An unknown or unreadable file gives ``None``: the caller decides what that means."""

from __future__ import annotations

import email
import email.policy
import io
import logging
from email.message import EmailMessage

import nh3

logger = logging.getLogger(__name__)

MAX_DEPTH = 3  # attachments of attachments of an e-mail


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _eml(data: bytes, depth: int) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - the default policy's class
    parts = [str(message.get("Subject", ""))]
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        filename = part.get_filename()
        content_type = part.get_content_type()
        if filename:
            text = extract_text(filename, payload, depth=depth + 1)
        elif content_type == "text/plain":
            text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        elif content_type == "text/html":
            html = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
            text = nh3.clean(html, tags=set())
        else:
            text = None
        if text:
            parts.append(text)
    return "\n".join(parts)


def kind_of(filename: str, data: bytes) -> str | None:
    name = filename.lower()
    if data.startswith(b"%PDF") or name.endswith(".pdf"):
        return "pdf"
    if name.endswith(".docx"):
        return "docx"
    if name.endswith((".eml", ".msg.eml")):
        return "eml"
    if name.endswith((".txt", ".text", ".md", ".csv")):
        return "txt"
    return None


def extract_text(filename: str, data: bytes, *, depth: int = 0) -> str | None:
    """The document's text, or None when its type is unknown or it cannot be read."""
    if depth > MAX_DEPTH:
        return None
    kind = kind_of(filename, data)
    try:
        if kind == "pdf":
            return _pdf(data)
        if kind == "docx":
            return _docx(data)
        if kind == "eml":
            return _eml(data, depth)
        if kind == "txt":
            return _plain(data)
    except Exception as exc:  # a broken upload is the uploader's problem, not a 500
        # The type of error only: a parser's message may quote the content.
        logger.warning("could not read a %s document: %s", kind, type(exc).__name__)
        return None
    return None
