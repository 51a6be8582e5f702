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

import nh3
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

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


# Text from the register is text: characters that Markdown would read as emphasis, a link, code,
# an autolink or an entity are escaped, so a value such as ``[Klikk](https://…)`` or ``<b>`` reads
# the same on the page as in the register and can never become markup. An underscore is escaped
# only where it could close emphasis, so names such as ``_ga`` stay as they are.
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<>]|&(?=#?\w+;)|_(?!\w))")
# At the start of a block: what would begin a heading, quote, list or ordered list.
_BLOCK_MARKER = re.compile(r"^([#>+\-]|\d+[.)])")


def _escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_last(match: re.Match[str]) -> str:
    return f"{match.group(0)[:-1]}\\{match.group(0)[-1]}"


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
                self.blocks.append(self.prefix + _BLOCK_MARKER.sub(_escape_last, text))
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
        self.current.append(_escape_inline(data))


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
# (a ``javascript:`` URL, or ``//host`` that leaves the site's scheme) stays text.
_SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/))", re.IGNORECASE)
# What the Markdown of a notice can produce; anything else nh3 removes (an image, for one, would
# let a stored notice load a tracker). Attributes: a link's target and nothing else.
_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "th", "td", "a", "strong", "em", "code", "pre", "blockquote", "hr", "br",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto"}
# Lists and tables are written without line breaks between their parts, as the page always had.
_INLINE_PARTS = re.compile(r"^(bullet_list|ordered_list|list_item|thead|tbody|tr|th|td)_")


def _compact(state: StateCore) -> None:
    for token in state.tokens:
        closes_block = token.type in ("bullet_list_close", "ordered_list_close")
        if _INLINE_PARTS.match(token.type) and not closes_block:
            token.block = False


def _markdown() -> MarkdownIt:
    """CommonMark with tables; raw HTML in the text is shown as text, never passed through."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.validateLink = lambda url: bool(_SAFE_HREF.match(url))  # type: ignore[method-assign]
    md.core.ruler.push("compact", _compact)
    return md


_MARKDOWN = _markdown()


def markdown_to_html(text: str) -> str:
    """The HTML of a notice stored as Markdown (what ``html_to_markdown`` writes), rendered by
    markdown-it-py and cleaned by nh3, so a stored text can carry no script, event handler or
    unsafe link whatever it says."""
    return nh3.clean(
        _MARKDOWN.render(text),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    ).strip()
