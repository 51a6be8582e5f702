"""The text of uploaded documents: PDF, DOCX, e-mail (with attachments) and plain text."""

from __future__ import annotations

from personvern.pii.engine import scan
from personvern.pii.engine.documents import extract_text

from .documents import docx_with, eml_with, pdf_with


def kinds(text: str | None) -> list[str]:
    assert text is not None
    return [m.kind for m in scan(text)]


def test_pdf():
    text = extract_text("cv.pdf", pdf_with("Jeg er medlem av Fellesforbundet."))
    assert kinds(text) == ["union"]


def test_docx_paragraphs_and_tables():
    data = docx_with("Erfaring: regnskap.", table=[["Fagforening", "Fagforbundet"],
                                                    ["Status", "Hun er sykmeldt"]])  # fmt: skip
    assert kinds(extract_text("cv.docx", data)) == ["health"]
    data = docx_with("Jeg er medlem av Fagforbundet.")
    assert kinds(extract_text("CV.DOCX", data)) == ["union"]


def test_email_body_and_attached_document():
    data = eml_with(
        "Hei, jeg ble dømt for en fartsbot i fjor.",
        attachment=("cv.docx", docx_with("Han er homofil.")),
    )
    assert sorted(kinds(extract_text("soknad.eml", data))) == ["criminal", "sexual_orientation"]


def test_plain_text_in_utf8_and_windows_1252():
    assert kinds(extract_text("notat.txt", b"Ho er sjukmeld.")) == ["health"]
    assert kinds(extract_text("notat.txt", "Han stemmer på Høyre.".encode("cp1252"))) == [
        "politics"
    ]


def test_an_unknown_or_broken_file_gives_no_text():
    assert extract_text("bilde.png", b"\x89PNG....") is None
    assert extract_text("cv.docx", b"not a zip") is None
    assert extract_text("cv.pdf", b"%PDF-1.4 broken") in (None, "")
