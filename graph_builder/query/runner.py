"""Run SPARQL queries, canned, from a file or typed in, on a graph, a store or an endpoint.

Canned queries live in ``queries/*.rq``; each starts with comment lines ``# title:``,
``# question:`` and ``# columns:`` that ``policykg query --list`` prints. They are plain
SPARQL 1.1 that needs no union default graph: each plan is one named graph and the
vocabularies another, and the queries read them through ``GRAPH ?g { … }``. So they give the
same rows on a store whose default graph is empty (an Oxigraph server, Fuseki, GraphDB,
Virtuoso) as on one whose default graph is the union.

Queries may use the parameter ``?_lang`` (the convention of grlc: a variable starting with
``_`` is filled in before the query is sent) for the language of labels; it is replaced by a
language tag literal (``"en"``), and a query sent as it is falls back to Chinese labels.

Local answers come from pyoxigraph (default, fast) or rdflib (a test checks they agree);
remote ones from any SPARQL 1.1 endpoint through SPARQLWrapper.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.safetext import csv_cell

__all__ = [
    "QUERY_DIR",
    "CannedQuery",
    "Result",
    "QueryFailed",
    "list_queries",
    "resolve_query",
    "looks_like_sparql",
    "bind_parameters",
    "load_graph",
    "run_query",
    "run_endpoint",
    "format_result",
    "filter_rows",
    "DEFAULT_GRAPH",
    "OUTPUT_FORMATS",
]

QUERY_DIR = Path(__file__).resolve().parent / "queries"

#: Where ``make run`` writes the graph; the default GRAPH of ``policykg query``.
DEFAULT_GRAPH = Path("outputs") / "graph.trig"

_INT = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#int",
    "http://www.w3.org/2001/XMLSchema#long",
    "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
    "http://www.w3.org/2001/XMLSchema#positiveInteger",
}
_NUM = {
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#float",
}
_BOOL = "http://www.w3.org/2001/XMLSchema#boolean"


@dataclass(frozen=True)
class CannedQuery:
    """A query shipped with the project: its name, header fields and SPARQL text."""

    name: str
    path: Path
    title: str
    question: str
    columns: str

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


class QueryFailed(Exception):
    """A query that could not be run (syntax, engine or endpoint), said in one line."""


@dataclass
class Result:
    """The answer to any query form.

    ``kind`` is ``"select"`` (``columns`` and ``rows`` of Python values: str, int, float,
    bool or None), ``"ask"`` (``boolean``) or ``"graph"`` (CONSTRUCT, DESCRIBE: ``triples``,
    pyoxigraph triples).
    """

    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    kind: str = "select"
    boolean: bool | None = None
    triples: list = field(default_factory=list)

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def _header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if not line.startswith("#"):
            break
        if m:
            fields[m.group(1)] = m.group(2).strip()
    return fields


def list_queries() -> list[CannedQuery]:
    """The canned queries, by name."""
    out = []
    for path in sorted(QUERY_DIR.glob("*.rq")):
        h = _header(path)
        out.append(
            CannedQuery(
                path.stem, path, h.get("title", ""), h.get("question", ""), h.get("columns", "")
            )
        )
    return out


_SPARQL_START = re.compile(
    r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE
)


def looks_like_sparql(text: str) -> bool:
    """Whether ``text`` is a query typed on the command line rather than a name or a path."""
    return bool(_SPARQL_START.match(text)) and ("{" in text or "\n" in text)


def resolve_query(name_or_path: str) -> tuple[str, str]:
    """(name, SPARQL text) of a canned query name, a ``.rq`` file path or a typed-in query."""
    if looks_like_sparql(name_or_path):
        return "query", name_or_path
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise FileNotFoundError(f"{name_or_path}: no such query file")
        return path.stem, path.read_text(encoding="utf-8")
    canned = {q.name: q for q in list_queries()}
    if name_or_path not in canned:
        known = ", ".join(sorted(canned))
        raise KeyError(f"unknown query {name_or_path!r}; canned queries: {known}")
    return name_or_path, canned[name_or_path].text


_PARAM_LANG = re.compile(r"[?$]_lang\b")
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def bind_parameters(sparql: str, lang: str = "zh") -> str:
    """``sparql`` with its ``?_lang`` parameter replaced by the language tag ``lang``."""
    if not _LANG_TAG.fullmatch(lang):
        raise ValueError(f"{lang!r} is not a language tag (en, zh …)")
    tag = f'"{lang.lower()}"'
    return "\n".join(
        line if line.lstrip().startswith("#") else _PARAM_LANG.sub(tag, line)
        for line in sparql.split("\n")
    )


def _graph_file(path: str | Path | None) -> Path:
    path = Path(path) if path else DEFAULT_GRAPH
    if path.is_dir():
        path = path / "graph.trig"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no graph file (run `make run` or `policykg build`, or name a .trig, "
            ".nq, .ttl, .nt or .jsonld file)"
        )
    return path


_OX_FORMATS = {
    ".trig": "TRIG",
    ".nq": "N_QUADS",
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
}


_TRIPLES_ONLY = {".ttl", ".nt"}


def load_graph(path: str | Path | None = None, engine: str = "oxigraph"):
    """Load a graph file into the engine's store: a pyoxigraph Store, or an rdflib Dataset.

    The triples of a file without named graphs (.ttl, .nt) go into one named graph (the file's
    URI), so queries written for named graphs (``GRAPH ?g``) read it too.
    """
    path = _graph_file(path)
    graph_name = path.resolve().as_uri() if path.suffix.lower() in _TRIPLES_ONLY else None
    if engine == "oxigraph":
        import pyoxigraph as ox

        fmt = _OX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ValueError(f"{path}: unknown graph format {path.suffix!r}")
        store = ox.Store()
        store.bulk_load(
            path=str(path),
            format=getattr(ox.RdfFormat, fmt),
            to_graph=ox.NamedNode(graph_name) if graph_name else None,
        )
        return store
    if engine == "rdflib":
        from rdflib import Dataset, URIRef

        from graph_builder.export.rdf_export import parse

        if graph_name is None:
            return parse(path)
        ds = Dataset(default_union=True)
        ds.graph(URIRef(graph_name)).parse(
            str(path), format="nt" if path.suffix == ".nt" else "turtle"
        )
        return ds
    raise ValueError(f"unknown engine {engine!r} (oxigraph or rdflib)")


def _ox_value(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else None
        return _typed(term.value, dt)
    return term.value


def _typed(lexical: str, datatype: str | None):
    if datatype in _INT:
        return int(lexical)
    if datatype in _NUM:
        return float(lexical)
    if datatype == _BOOL:
        return lexical in ("true", "1")
    return lexical


def _rdflib_value(term):
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        return _typed(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def run_query(sparql: str, store, lang: str = "zh") -> Result:
    """Run any query form on ``store``: a pyoxigraph Store, an rdflib Dataset or an rdflib
    Graph. ``?_lang`` is bound to ``lang``. A query without ``GRAPH`` reads the union of all
    graphs here (a convenience for queries typed in; the canned ones need no union)."""
    sparql = bind_parameters(sparql, lang)
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        ox = None
    if ox is not None and isinstance(store, ox.Store):
        try:
            answer = store.query(sparql, use_default_graph_as_union=True)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryFailed(str(exc).splitlines()[0]) from None
        return _from_oxigraph(answer)
    try:
        res = store.query(sparql)
    except Exception as exc:  # noqa: BLE001 - rdflib raises pyparsing and its own errors
        raise QueryFailed(str(exc).splitlines()[0] if str(exc) else repr(exc)) from None
    if res.type == "ASK":
        return Result(kind="ask", boolean=bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        import pyoxigraph as ox

        from graph_builder.graph.oxigraph import to_ox_term

        triples = [ox.Triple(*(to_ox_term(t) for t in triple)) for triple in res]
        return Result(kind="graph", triples=triples)
    columns = [str(v) for v in res.vars]
    rows = [tuple(_rdflib_value(row[v]) for v in res.vars) for row in res]
    return Result(columns, rows)


def _from_oxigraph(answer) -> Result:
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return Result(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return Result(kind="graph", triples=list(answer))
    columns = [v.value for v in answer.variables]
    return Result(columns, [tuple(_ox_value(s[c]) for c in columns) for s in answer])


def run_endpoint(sparql: str, url: str, lang: str = "zh", timeout: float = 120.0) -> Result:
    """Run any query form on a SPARQL 1.1 Protocol endpoint (``…/query`` of Oxigraph,
    ``…/DATASET/sparql`` of Fuseki, ``…/repositories/REPO`` of GraphDB, ``…/sparql`` of
    Virtuoso) with SPARQLWrapper; results as JSON, graphs as Turtle (or whatever RDF syntax
    the server sends back)."""
    import pyoxigraph as ox
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(url)
    client.setTimeout(int(timeout))
    client.setMethod(POST)
    client.setQuery(bind_parameters(sparql, lang))
    graph_form = client.queryType in ("CONSTRUCT", "DESCRIBE")
    client.setReturnFormat(TURTLE if graph_form else JSON)
    try:
        response = client.query().response
        data = response.read()
        media = (response.headers.get("Content-Type") or "").split(";")[0].strip()
    except SPARQLWrapperException as exc:
        raise QueryFailed(f"{url}: {str(exc).splitlines()[0]}") from None
    except OSError as exc:  # URLError, HTTPError, timeouts
        raise QueryFailed(f"{url}: {getattr(exc, 'reason', None) or exc}") from None
    try:
        if graph_form:
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
            return Result(kind="graph", triples=list(ox.parse(data, format=fmt)))
        return _from_oxigraph(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError) as exc:
        raise QueryFailed(f"{url}: the answer is not {media or 'what was asked'}: {exc}") from None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def filter_rows(result: Result, column: str, value: str) -> Result:
    """Rows whose ``column`` matches what a user typed: equal, or containing it once both are
    NFKC-normalised and case-folded (宁波 finds 宁波市, ningbo finds Ningbo). Numbers must be
    equal. Raises KeyError for a column the result does not have."""
    if column not in result.columns:
        raise KeyError(f"no column {column!r}; columns: {', '.join(result.columns)}")
    i, want = result.columns.index(column), _norm(value)

    def keep(cell) -> bool:
        if cell is None:
            return False
        if isinstance(cell, bool | int | float):
            return _norm(_cell(cell)) == want or (
                isinstance(cell, float) and _is_number(value) and float(value) == cell
            )
        return want in _norm(str(cell))

    return Result(list(result.columns), [r for r in result.rows if keep(r[i])])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return format(v, "g")
    return str(v)


#: Output formats: for SELECT, for CONSTRUCT/DESCRIBE; ASK prints true or false.
OUTPUT_FORMATS = {"select": ("table", "csv", "json"), "graph": ("turtle", "nt", "jsonld")}


def format_result(result: Result, fmt: str | None = None) -> str:
    """SELECT as an aligned text table, CSV or JSON (a list of objects); ASK as ``true`` or
    ``false`` (JSON: the boolean); a graph as Turtle, N-Triples or JSON-LD. ``fmt`` None
    picks the first of its kind."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return _format_graph(result.triples, fmt or "turtle")
    fmt = fmt or "table"
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        for r in result.rows:
            w.writerow([csv_cell(_cell(v)) for v in r])  # no cell a spreadsheet runs
        return buf.getvalue()
    if fmt != "table":
        raise ValueError(f"format {fmt!r} is for graphs; a SELECT prints as table, csv or json")
    cells = [[_cell(v).replace("\n", " ") for v in r] for r in result.rows]
    widths = [_width(c) for c in result.columns]
    for r in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, r, strict=True)]

    def line(values) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    out = [line(result.columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(result.rows)} rows)")
    return "\n".join(s.rstrip() for s in out) + "\n"


def _format_graph(triples: list, fmt: str) -> str:
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD}  # fmt: skip
    if fmt not in formats:
        raise ValueError(f"format {fmt!r} is for SELECT; a graph prints as turtle, nt or jsonld")
    if fmt == "turtle":
        from graph_builder.graph.namespace import PREFIXES

        data = ox.serialize(triples, format=formats[fmt], prefixes=dict(PREFIXES))
    elif fmt == "nt":  # sorted lines, as every N-Triples the package writes
        from graph_builder.graph.ntriples import ntriples, ox_triples

        data = ntriples(ox_triples(triples))
    else:
        data = ox.serialize(triples, format=formats[fmt])
    return data.decode("utf-8")
