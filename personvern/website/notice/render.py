"""The notice as HTML (the public page, published versions) or Markdown (the command, diffs).

The HTML templates are the source: ``notice_en.html`` in English with ``{% translate %}`` msgids,
``notice_nb.html`` with the bokmål prose, worded after the firm's own notice (the catalogue's
translations of the same msgids serve the staff UI, where some terms differ, e.g. "Legal basis"
is "Behandlingsgrunnlag" there and "Rettslig grunnlag" in the notice). Markdown is converted
from the same HTML, so the two formats cannot say different things. A published version is
stored as Markdown (what its SHA-256 covers); ``markdown_to_html`` turns it back into the page
visitors read."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError

from ..choices import NOTICE_LANGUAGES, NoticeFormat, WebsiteErrorCode
from .builder import Notice, build_notice


def check_options(*, language: str, fmt: str = NoticeFormat.HTML) -> None:
    if language not in NOTICE_LANGUAGES:
        raise DomainError(
            code=WebsiteErrorCode.INVALID_LANGUAGE, message=_("Use nb or en."), field="lang"
        )
    if fmt not in NoticeFormat.values:
        raise DomainError(
            code=WebsiteErrorCode.INVALID_FORMAT, message=_("Use html or md."), field="format"
        )


def notice_html(notice: Notice) -> str:
    with translation.override(notice.language):
        return render_to_string(
            f"website/notice/notice_{notice.language}.html", {"notice": notice}
        ).strip()


def render_notice(
    *, language: str, fmt: str = NoticeFormat.HTML, base_url: str | None = None
) -> str:
    """The notice as the register generates it now. Portal links start with the configured
    public address unless ``base_url`` is given (``""``: relative links)."""
    check_options(language=language, fmt=fmt)
    html = notice_html(build_notice(language=language, base_url=base_url))
    return html if fmt == NoticeFormat.HTML else html_to_markdown(html)


class _Markdown(HTMLParser):
    """The small set of elements the notice templates use: headings, paragraphs, lists,
    links, strong, line breaks and one kind of table."""

    HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### "}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.href: str | None = None
        self.row: list[str] | None = None
        self.rows: list[list[str]] = []
        self.prefix = ""

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.current)).strip()
        text = text.replace(" , ", ", ").replace(",,", ",")
        if text:
            if self.row is not None:
                self.row.append(text.replace("|", "\\|"))
            else:
                self.blocks.append(self.prefix + text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HEADINGS or tag in ("p", "li", "td", "th", "dt", "dd"):
            self._flush()
            self.prefix = self.HEADINGS.get(tag, "- " if tag == "li" else "")
        elif tag == "tr":
            self.row = []
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.current.append("[")
        elif tag == "strong":
            self.current.append("**")
        elif tag == "br":
            self.current.append(", ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HEADINGS or tag in ("p", "li", "td", "th", "dt", "dd"):
            self._flush()
            self.prefix = ""
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            if self.rows:
                head, *body = self.rows
                lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
                lines += ["| " + " | ".join(row) + " |" for row in body]
                self.blocks.append("\n".join(lines))
            self.rows = []
        elif tag == "a":
            self.current.append(f"]({self.href or ''})")
            self.href = None
        elif tag == "strong":
            self.current.append("**")

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def html_to_markdown(html: str) -> str:
    parser = _Markdown()
    parser.feed(html)
    parser.close()
    parser._flush()
    out: list[str] = []
    for index, block in enumerate(parser.blocks):
        # Items of one list stay together; every other block is a paragraph of its own.
        previous = parser.blocks[index - 1] if index else ""
        if index and not (block.startswith("- ") and previous.startswith("- ")):
            out.append("\n")
        out.append(block + "\n")
    return "".join(out)


# Links a published notice may carry: the web, e-mail and Personvern's own pages. Anything else
# (a ``javascript:`` URL typed into the register) stays text.
_SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/))", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _inline(text: str) -> str:
    """Escape the text, then restore the links and strong emphasis ``html_to_markdown`` wrote."""

    def link(match: re.Match[str]) -> str:
        label, href = match.group(1), match.group(2)
        if not _SAFE_HREF.match(href):
            return match.group(0)
        return f'<a href="{href}">{label}</a>'

    return _STRONG.sub(r"<strong>\1</strong>", _LINK.sub(link, str(escape(text))))


def _table(lines: list[str]) -> str:
    rows = [
        [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(line.strip()[1:-1])]
        for line in lines
        if not re.fullmatch(r"\|( --- \|)+", line.strip())
    ]
    head, *body = rows
    out = ["<table>", "<tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in body]
    return "\n".join([*out, "</table>"])


def markdown_to_html(text: str) -> str:
    """The HTML of a notice stored as Markdown: the subset ``html_to_markdown`` writes
    (headings, paragraphs, lists, tables, links, strong). Every text is escaped."""
    out: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = re.match(r"^(#{1,3}) (.*)$", line)
        if not line.strip():
            index += 1
        elif heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            index += 1
        elif line.startswith(("- ", "|")):
            marker = line[0]
            block = []
            while index < len(lines) and lines[index].startswith(marker):
                block.append(lines[index])
                index += 1
            if marker == "|":
                out.append(_table(block))
            else:
                items = "".join(f"<li>{_inline(item[2:])}</li>" for item in block)
                out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{_inline(line)}</p>")
            index += 1
    return "\n".join(out)
