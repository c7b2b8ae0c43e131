"""Tables as plain-text converters leave them.

Three renderings are recognised, each giving cells with exact offsets:

* one cell per line, each cell line starting with a tab, rows separated by blank lines
  (Word → text converters; a line without a leading tab continues the cell above; a lone
  tab within a table is an empty cell);
* one row per line, cells separated by tabs;
* Markdown pipe tables (``| a | b |``);
* one cell per line with no tab, as a web page's table reads when its text is copied: a
  header of short cells that opens with 序号 and names a responsible-unit column, then rows
  that each open with their number (1, 2, 3 …) alone on a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_builder import lexicon as lx

__all__ = ["Cell", "Table", "find_tables"]


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class Table:
    start: int
    end: int
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [c.text for c in self.rows[0]] if self.rows else []


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _cell(text: str, start: int, end: int) -> Cell:
    while start < end and text[start] in " \t\u3000\r|":
        start += 1
    while end > start and text[end - 1] in " \t\u3000\r|":
        end -= 1
    return Cell(start, end, text[start:end])


def _cell_per_line(text: str) -> list[Table]:
    tables: list[Table] = []
    rows: list[list[tuple[int, int]]] = []
    row: list[tuple[int, int]] = []
    block_start = None
    last_end = None
    blank_run = 0

    def close():
        nonlocal rows, row, block_start
        if row:
            rows.append(row)
        if block_start is not None and len(rows) >= 2:
            t = Table(block_start, last_end)
            t.rows = [[_cell(text, a, b) for a, b in r] for r in rows]
            tables.append(t)
        rows, row, block_start = [], [], None

    for pos, line in _lines(text):
        stripped = line.strip(" \u3000\r")
        # A lone tab inside a table is an empty cell (it keeps the row's columns in place).
        empty_cell = line.startswith("\t") and block_start is not None and not line.strip()
        if line.startswith("\t") and (stripped.strip("\t") or empty_cell):
            if block_start is None:
                block_start = pos
            if blank_run and row:
                rows.append(row)
                row = []
            row.append((pos, pos + len(line)))
            last_end = pos + len(line)
            blank_run = 0
        elif not stripped.strip("\t"):
            blank_run += 1
            if blank_run > 2:
                close()
        elif block_start is not None and row and blank_run == 0:
            a, _ = row[-1]
            row[-1] = (a, pos + len(line))
            last_end = pos + len(line)
        else:
            close()
            blank_run = 0
    close()
    return tables


def _separated(text: str, sep: str, min_cells: int) -> list[Table]:
    tables: list[Table] = []
    current: list[tuple[int, str]] = []

    def close():
        if len(current) >= 2:
            t = Table(current[0][0], current[-1][0] + len(current[-1][1]))
            for pos, line in current:
                cells, col = [], pos
                body = line
                for part in body.split(sep):
                    cells.append(_cell(text, col, col + len(part)))
                    col += len(part) + 1
                cells = [c for c in cells if c.text]
                if cells and not all(set(c.text) <= set("-: ") for c in cells):
                    t.rows.append(cells)
            if len(t.rows) >= 2:
                tables.append(t)
        current.clear()

    for pos, line in _lines(text):
        inner = line.strip(" \u3000\r")
        if sep == "|":
            ok = inner.startswith("|") and inner.count("|") >= min_cells + 1
        else:
            ok = (
                not line.startswith("\t")
                and len([p for p in inner.split(sep) if p.strip()]) >= min_cells
            )
        if ok:
            current.append((pos, line))
        else:
            close()
    close()
    return tables


#: Headings of a task-division table's number column and unit column (the same words as
#: the extractor's, from the ontology: one list for both).
_NUMBER_HEAD = lx.document_words("number_column")
_UNIT_HEAD = lx.role_columns("responsible")
_MAX_HEAD_CELL = 16


def _numbered_rows(text: str) -> list[Table]:
    """Tables copied from a web page as one cell per line, without tabs (see module doc)."""
    lines = [(pos, line.strip(" \t\u3000\r|")) for pos, line in _lines(text)]
    cells = [(pos, s, i) for i, (pos, s) in enumerate(lines) if s]
    tables: list[Table] = []
    k = 0
    while k < len(cells):
        if cells[k][1] not in _NUMBER_HEAD:
            k += 1
            continue
        head = [cells[k]]
        j = k + 1
        while j < len(cells) and cells[j][1] != "1" and len(cells[j][1]) <= _MAX_HEAD_CELL:
            head.append(cells[j])
            j += 1
        width = len(head)
        if width < 2 or not any(h in c[1] for c in head for h in _UNIT_HEAD):
            k += 1
            continue
        rows = [[c for c in head]]
        expected = 1
        while j < len(cells) and cells[j][1] == str(expected):
            row = cells[j : j + width]
            if len(row) < width or any(c[1] == str(expected + 1) for c in row[1:]):
                break
            rows.append(row)
            expected += 1
            j += width
        if len(rows) >= 2:
            t = Table(head[0][0], rows[-1][-1][0] + len(lines[rows[-1][-1][2]][1]) + 1)
            for r in rows:
                t.rows.append([_cell(text, pos, pos + len(text[pos:].split("\n", 1)[0])) for pos, _s, _i in r])
            t.end = max(c.end for c in t.rows[-1])
            tables.append(t)
            k = j
        else:
            k += 1
    return tables


def find_tables(text: str) -> list[Table]:
    """All tables of ``text``, in document order, without overlaps."""
    found = (
        _cell_per_line(text)
        + _separated(text, "|", 2)
        + _separated(text, "\t", 3)
        + _numbered_rows(text)
    )
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[Table] = []
    for t in found:
        if kept and t.start < kept[-1].end:
            continue
        kept.append(t)
    return kept
