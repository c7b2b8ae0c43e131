"""Run SPARQL queries, canned or from a file, on a built graph and format the answers.

Canned queries live in ``queries/*.rq``; each starts with comment lines ``# title:``,
``# question:`` and ``# columns:`` that ``policykg query --list`` prints. The queries are
plain SPARQL 1.1 over the union of all graphs, so they also run unchanged in GraphDB,
Fuseki, Virtuoso or Oxigraph (with the store's union-default-graph option on).

Two engines give the same answers (a test checks it): pyoxigraph (default, fast) and rdflib.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from graph_builder.safetext import csv_cell

__all__ = [
    "QUERY_DIR",
    "CannedQuery",
    "Result",
    "list_queries",
    "resolve_query",
    "load_graph",
    "run_query",
    "format_result",
    "DEFAULT_GRAPH",
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


@dataclass
class Result:
    """Column names and rows of Python values (str, int, float, bool or None)."""

    columns: list[str]
    rows: list[tuple]

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


def resolve_query(name_or_path: str) -> tuple[str, str]:
    """(name, SPARQL text) of a canned query name or a ``.rq`` file path."""
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


def load_graph(path: str | Path | None = None, engine: str = "oxigraph"):
    """Load a graph file into the engine's store: a pyoxigraph Store, or for rdflib the union
    of its graphs as one rdflib Graph (the queries read the union)."""
    path = _graph_file(path)
    if engine == "oxigraph":
        import pyoxigraph as ox

        fmt = _OX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise ValueError(f"{path}: unknown graph format {path.suffix!r}")
        store = ox.Store()
        store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt))
        return store
    if engine == "rdflib":
        from graph_builder.export.rdf_export import parse, union_graph

        return union_graph(parse(path))
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


def run_query(sparql: str, store) -> Result:
    """Run a SELECT query over the union of all graphs of ``store`` (a pyoxigraph Store, an
    rdflib Dataset or an rdflib Graph)."""
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        ox = None
    if ox is not None and isinstance(store, ox.Store):
        solutions = store.query(sparql, use_default_graph_as_union=True)
        columns = [v.value for v in solutions.variables]
        rows = [tuple(_ox_value(s[c]) for c in columns) for s in solutions]
        return Result(columns, rows)
    from rdflib import Dataset

    if isinstance(store, Dataset):
        from graph_builder.export.rdf_export import union_graph

        store = union_graph(store)
    res = store.query(sparql)
    columns = [str(v) for v in res.vars]
    rows = [tuple(_rdflib_value(row[v]) for v in res.vars) for row in res]
    return Result(columns, rows)


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


def format_result(result: Result, fmt: str = "table") -> str:
    """The result as an aligned text table, CSV, or JSON (a list of objects)."""
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
        raise ValueError(f"unknown output format {fmt!r} (table, csv or json)")
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
