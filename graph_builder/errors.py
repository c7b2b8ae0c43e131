"""Every GB code (``GB-Exxx`` error, ``GB-Wxxx`` warning) and what it means, in one table.

Why one table: a code is what a user searches for and what tests pin, so each must mean one
thing, and a new one must not reuse a number already given out. Raise sites name a code by
its constant (``errors.E004``, greppable as ``E004``), never by a string literal; a test
scans the package for literals and for codes missing here.

A :class:`Code` *is* its string (``errors.E004 == "GB-E004"``), so messages, JSON and
comparisons are unchanged; it also carries its meaning and level.

Numbering: ``E00x``–``E04x`` reading inputs (by format), ``E05x`` writing outputs,
``E06x`` stores and the endpoint, ``E07x`` limits against hostile inputs, ``E08x`` queries,
``E09x`` the cluster, ``E30x`` store commands, ``E9xx`` internal failures; ``W00x`` inputs
and identity, ``W10x``–``W12x`` what the extractor could not read, ``W15x`` merged repeats,
``W18x`` query answers. Numbers once given out are never reused for another meaning.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Code", "CodedError", "TABLE", "level_of", "line", "tagged"]


class Code(str):
    """A GB code: the string ``GB-Exxx``/``GB-Wxxx`` itself, with its meaning."""

    meaning: str

    @property
    def level(self) -> Literal["error", "warning"]:
        """``error`` for ``GB-E…``, ``warning`` for ``GB-W…``: the word printed before it."""
        return level_of(self)


def level_of(code: str) -> Literal["error", "warning"]:
    """The level a code's letter says, for a :class:`Code` or its plain string (a code read
    back from a manifest or sent between processes)."""
    return "error" if code[3] == "E" else "warning"


#: Every code, by its string: the one table of meanings.
TABLE: dict[str, Code] = {}


def _define(code: str, meaning: str) -> Code:
    """Add ``code`` to :data:`TABLE`; a number given out twice is a bug found at import."""
    if code in TABLE:
        raise ValueError(f"{code} is defined twice")
    out = Code(code)
    out.meaning = meaning
    TABLE[code] = out
    return out


class CodedError(Exception):
    """A failure with a GB code; ``str()`` is the reason alone, the code is ``.code``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def line(subject: str, code: str, message: str) -> str:
    """``SUBJECT: error GB-E…: MESSAGE``: the one form of a code's line on stderr."""
    return f"{subject}: {level_of(code)} {code}: {message}"


def tagged(code: Code, message: str) -> str:
    """``GB-E…: MESSAGE``: a code before its reason (HTTP bodies, store errors)."""
    return f"{code}: {message}"


# Reading inputs.
E001 = _define("GB-E001", "empty file (or only white space)")
E002 = _define("GB-E002", "binary content, not a text document")
E003 = _define("GB-E003", "not UTF-8, UTF-16 or GB18030 text")
E004 = _define("GB-E004", "input not found or not readable (file, folder, pattern, link)")
E005 = _define("GB-E005", "input over the size limit; not read")
E006 = _define("GB-E006", "text over the character limit (several documents in one file?)")
E010 = _define("GB-E010", "format not supported (.doc, .wps, .ofd, .rtf …)")
E011 = _define("GB-E011", "evaluate: no gold annotations found")
E020 = _define("GB-E020", "not a readable web page")
E021 = _define("GB-E021", "web page has no text")
E022 = _define("GB-E022", "web page nested deeper than the HTML parser's limit")
E023 = _define("GB-E023", "web archive (.mht/.mhtml) without a page (no text/html part)")
E030 = _define("GB-E030", "not a readable .docx (damaged or truncated)")
E031 = _define("GB-E031", "ZIP file without word/document.xml: not a Word document")
E032 = _define("GB-E032", ".docx unpacks past the total size cap")
E033 = _define("GB-E033", "Word document has no text")
E040 = _define("GB-E040", "damaged or truncated PDF")
E041 = _define("GB-E041", "encrypted PDF")
E042 = _define("GB-E042", "PDF without a text layer (scanned?)")
E043 = _define("GB-E043", "PDF fonts map glyphs to no characters")
# Writing outputs.
E050 = _define("GB-E050", "cannot write outputs")
E051 = _define("GB-E051", "another build is writing into the output folder")
E052 = _define("GB-E052", "output folder holds files but no manifest.json: not replaced")
# Stores and the SPARQL endpoint.
E060 = _define("GB-E060", "store: bad URL or cannot connect")
E061 = _define("GB-E061", "store: connection dropped")
E062 = _define("GB-E062", "store: not an HTTP answer")
E063 = _define("GB-E063", "store: answer cut short")
E064 = _define("GB-E064", "store: deadline passed")
E065 = _define("GB-E065", "endpoint: SERVICE (federation) refused")
E066 = _define("GB-E066", "endpoint: query over the size or nesting limit")
E067 = _define("GB-E067", "endpoint: query stopped at a limit (time, memory, answer size)")
E068 = _define("GB-E068", "endpoint: request refused (body, Host, origin, token)")
E069 = _define("GB-E069", "endpoint: no query worker can run the request (busy or failed)")
# Limits against hostile inputs.
E070 = _define("GB-E070", "input took longer than --doc-timeout; skipped")
E071 = _define("GB-E071", ".docx XML part over the per-part size cap")
E072 = _define("GB-E072", ".docx with more XML elements than the cap")
E073 = _define("GB-E073", "PDF stream inflates past the cap")
E074 = _define("GB-E074", "Big5 or byte noise that GB18030 would decode into rare characters")
E075 = _define("GB-E075", "FIFO, socket or device: not opened")
E076 = _define("GB-E076", "folder cannot be read: the plans in it are skipped")
# Queries.
E080 = _define("GB-E080", "query failed at the endpoint")
E081 = _define("GB-E081", "query failed on the local graph or store (or is not valid)")
E082 = _define("GB-E082", "no such canned query or query file")
E083 = _define("GB-E083", "graph file or store not found")
E084 = _define("GB-E084", "--where names a column the answer does not have")
E085 = _define("GB-E085", "--format does not fit the kind of answer")
# The cluster.
E090 = _define("GB-E090", "Dask cluster failure")
# Store commands.
E301 = _define("GB-E301", "store answered with an HTTP error status")
E302 = _define("GB-E302", "not an Oxigraph store")
E303 = _define("GB-E303", "cannot listen on the address and port")
# Internal failures: one document fails, the others are built.
E900 = _define("GB-E900", "document too deeply nested to read or parse")
E901 = _define("GB-E901", "the extraction process died on this document")
E997 = _define("GB-E997", "internal error while rendering a document's views")
E998 = _define("GB-E998", "internal error while reading")
E999 = _define("GB-E999", "internal error while extracting")

# Inputs and identity.
W001 = _define("GB-W001", "text contains replacement characters (U+FFFD)")
W003 = _define("GB-W003", "file ends in the middle of a character (truncated?)")
W004 = _define("GB-W004", "another input has the same file name: outputs renamed")
W005 = _define("GB-W005", "the same plan as an earlier input: skipped")
W006 = _define("GB-W006", "another version of an earlier input's plan: skipped")
W007 = _define("GB-W007", "outputs named by the identifier the caller gave")
# What the extractor could not read.
W101 = _define("GB-W101", "no numbered measures found")
W102 = _define("GB-W102", "measure number repeated")
W103 = _define("GB-W103", "measure numbers skip")
W104 = _define("GB-W104", "measure without a responsible unit")
W105 = _define("GB-W105", "a label breaks the measure numbering: read as text of the measure above")
W106 = _define("GB-W106", "unbalanced brackets: a responsibility clause may be misread")
W107 = _define("GB-W107", "a place outside the plan's region tree: no region given")
W108 = _define("GB-W108", "plan without a region names only a generic division")
W109 = _define("GB-W109", "numbered paragraphs but no measure read from them")
W110 = _define("GB-W110", "unit of unknown form kept by its place in the clause")
W111 = _define("GB-W111", "clause text read as neither unit nor cue")
W120 = _define("GB-W120", "malformed numbering.xml: plain numbering used")
W121 = _define("GB-W121", "labels past the supported range (（999）, ⑳) not read as measures")
W150 = _define("GB-W150", "repeats merged into one instrument")
# Query answers.
W180 = _define("GB-W180", "--where matched no row")
W181 = _define("GB-W181", "the answer is an empty graph")
