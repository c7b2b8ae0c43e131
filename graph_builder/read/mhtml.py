"""Saved web archives (``.mht`` / ``.mhtml``): the page a browser saved with its images.

Government sites and their archives hand plans out this way ("save page as … single file"),
and users save a page so. An archive is a MIME ``multipart/related`` message: its first
``text/html`` part is the page, the other parts are images and style sheets. The page is
read by :mod:`.html` from its bytes as saved (the transfer encoding — quoted-printable or
base64 — undone), so its charset is found as for any page; offsets point into that page's
text rendition, as for a page read directly.
"""

from __future__ import annotations

from email import message_from_bytes, policy

from graph_builder import errors
from graph_builder.read.html import from_bytes as page_from_bytes
from graph_builder.read.text import ReadError, SourceText

__all__ = ["from_bytes"]


def from_bytes(data: bytes, source: str) -> SourceText:
    """Read the page of a web archive; :class:`ReadError` ``GB-E023`` when it holds none."""
    if not data.strip():
        raise ReadError(errors.E001, "empty file")
    message = message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            page = part.get_payload(decode=True)
            if page:
                return page_from_bytes(page, source)
    raise ReadError(errors.E023, "web archive without a page (no text/html part)")
