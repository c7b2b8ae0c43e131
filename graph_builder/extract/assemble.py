"""Turn what the rules find into the model: structure first, then responsibilities.

Kept apart from the spaCy glue in :mod:`graph_builder.extract.components` so the same
functions run with or without spaCy (tests, the hypothesis suite, quick scripts).
"""

from __future__ import annotations

import re

from graph_builder import errors
from graph_builder import lexicon as lx
from graph_builder.extract.responsibility import Item, find_clauses, parse_clause, split_units
from graph_builder.model import (
    Action,
    AgencyMention,
    Diagnostic,
    Measure,
    Plan,
    PlannedPolicy,
    Span,
)
from graph_builder.segment.preamble import read_meta
from graph_builder.segment.structure import Outline, labels_past_range, parse_outline
from graph_builder.segment.tables import Table

__all__ = ["assemble_structure", "assemble_responsibilities"]

SpanRow = tuple[int, int, str, str]


def assemble_structure(plan: Plan, masked: str, outline: Outline | None = None) -> list[SpanRow]:
    """Fill meta, actions and measures of ``plan``; return the layout spans.

    ``outline`` is ``parse_outline(masked, find_clauses)``, passed in by a caller that keeps
    it (the layout component hands it on to the others on the Doc)."""
    text = plan.text
    if outline is None:
        outline = parse_outline(masked, find_clauses)
    plan.meta = read_meta(masked, outline.body_start if outline.headings else len(masked))
    _quote_as_written(plan, masked)
    rows: list[SpanRow] = []
    meta = plan.meta
    for label, span in (
        ("TITLE", meta.title_span),
        ("STATUS", meta.status_span),
        ("ISSUER", meta.issuer_span),
        ("DATE", meta.date_span),
        ("DOC_NUMBER", meta.doc_number_span),
        ("REGION", meta.region_span),
    ):
        if span:
            rows.append((span.start, span.end, label, ""))
    for c in outline.chapters:
        cid = c.numeral
        plan.actions.append(
            Action(
                id=cid,
                title=text[c.title_start : c.title_end],
                span=Span.of(text, c.label_start, c.title_end),
                title_span=Span.of(text, c.title_start, c.title_end),
            )
        )
        rows.append((c.label_start, c.title_end, "ACTION", f"action:{cid}"))
    for i, b in enumerate(outline.measures):
        h = b.heading
        action = b.chapter.numeral if b.chapter else None
        m = Measure(
            index=i,
            action=action,
            label=h.normalized_label(),
            label_span=Span.of(text, h.label_start, h.label_end),
            title=text[h.title_start : h.title_end],
            title_span=Span.of(text, h.title_start, h.title_end),
            span=Span.of(text, b.start, b.end),
            clause=Span.of(text, b.clause_start, b.clause_end)
            if b.clause_start is not None
            else None,
        )
        plan.measures.append(m)
        rows.append((b.start, b.end, "MEASURE", f"measure:{i}"))
        if m.clause:
            rows.append((m.clause.start, m.clause.end, "CLAUSE", f"measure:{i}"))
    if not any(b.clauses for b in outline.measures):
        _measures_from_task_tables(plan, outline, rows)
    for t in outline.tables:
        rows.append((t.start, t.end, "TABLE", ""))
    _check_numbering(plan)
    for h in outline.dropped:
        plan.diagnostics.append(
            Diagnostic(
                errors.W105,
                "warning",
                f"line labelled {text[h.label_start : h.label_end]} breaks the measure numbering "
                "and names no responsible unit; read as text of the measure above",
                h.label_start,
            )
        )
    _check_brackets(plan, masked, outline.body_start, outline.body_end)
    past = labels_past_range(masked, outline.body_start, outline.body_end)
    if past:
        plan.diagnostics.append(
            Diagnostic(
                errors.W121,
                "warning",
                f"{len(past)} line(s) open with a label past the supported range (（999）, ⑳), "
                f"such as {past[0].group(1)}: not read as measures",
                past[0].start(1),
            )
        )
    if not plan.measures:
        plan.diagnostics.append(
            Diagnostic(errors.W101, "warning", "no numbered measures found: is this an action plan?")
        )
    return rows


def _quote_as_written(plan: Plan, masked: str) -> None:
    """Title, issuer and document number in the text's own characters (the reader works on
    an analysis view: traditional script shown as simplified, odd spaces as spaces)."""
    meta = plan.meta
    for field_name in ("title", "issuer", "doc_number"):
        span = getattr(meta, f"{field_name}_span")
        value = getattr(meta, field_name)
        if span is None or value is None:
            continue
        seen = masked[span.start : span.end]
        written = plan.text[span.start : span.end]
        if value == seen:
            setattr(meta, field_name, written)
        elif value == "".join(seen.split()):  # a title joined from two lines
            setattr(meta, field_name, "".join(written.split()))
        else:
            continue
        setattr(meta, f"{field_name}_span", Span(span.start, span.end, written))


_OPENERS, _CLOSERS = "".join(lx.ROUND_BRACKETS), "".join(lx.ROUND_BRACKETS.values())
#: Reporting stops after this many paragraphs with unbalanced brackets (one line each).
_MAX_BRACKET_WARNINGS = 10


def _check_brackets(plan: Plan, masked: str, start: int, end: int) -> None:
    """Warn once per paragraph whose round brackets do not balance.

    Responsibility clauses are bracket groups, so an unclosed ``（责任单位：…`` or a stray
    ``）`` can cost a measure its agencies; the warning points at the first bracket left over.
    Only brackets and line breaks matter: the scan jumps from one to the next.
    """
    reported = 0
    stack: list[int] = []
    stray = None
    for m in _BRACKET_OR_BREAK.finditer(masked, start, end):
        i, c = m.start(), m.group()
        if c == "\n":
            reported += _bracket_warning(plan, masked, stack, stray)
            if reported >= _MAX_BRACKET_WARNINGS:
                return
            stack, stray = [], None
        elif c in _OPENERS:
            stack.append(i)
        elif stack:
            stack.pop()
        elif stray is None:
            stray = i
    _bracket_warning(plan, masked, stack, stray)  # the last paragraph


_BRACKET_OR_BREAK = re.compile("[" + re.escape(_OPENERS + _CLOSERS) + "\n]")


def _bracket_warning(plan: Plan, masked: str, stack: list[int], stray: int | None) -> int:
    """GB-W106 for one paragraph's first bracket left over, if any; how many were added."""
    where = stack[0] if stack else stray
    if where is None:
        return 0
    what = (
        f"bracket {masked[where]} is not closed in its paragraph"
        if stack
        else f"closing bracket {masked[where]} has no opening bracket"
    )
    plan.diagnostics.append(
        Diagnostic(errors.W106, "warning", f"{what}: a responsibility clause may be misread", where)
    )
    return 1


def _check_numbering(plan: Plan) -> None:
    from graph_builder.segment.numerals import cn_to_int

    prev_action, prev = object(), 0
    for m in plan.measures:
        n = cn_to_int(re.sub(r"[()（）、.．]", "", m.label)) or 0
        if m.action != prev_action:
            if prev and n not in (1, prev + 1):
                pass  # numbering that runs on across chapters is fine
            prev_action = m.action
        elif n == prev:
            plan.diagnostics.append(
                Diagnostic(
                    errors.W102, "warning", f"measure number {m.label} repeated", m.label_span.start
                )
            )
        elif n > prev + 1:
            plan.diagnostics.append(
                Diagnostic(
                    errors.W103,
                    "warning",
                    f"measure numbers skip from {prev} to {n}",
                    m.label_span.start,
                )
            )
        prev = n


def _written_name(text: str, it: Item) -> str:
    """The unit's name in the source's own characters.

    Items are read on the analysis view (traditional script shown as simplified, odd spaces
    as spaces); the name a user sees is the text as written, with only the restored level
    prefix and a distributed head added.
    """
    prefix = it.restored_prefix or ""
    core = it.name[len(prefix) :] if prefix and it.name.startswith(prefix) else it.name
    if prefix and it.prefix_at is not None:
        # as written (自治區 in traditional script), white space inside it skipped
        written = [c for c in text[it.prefix_at : it.prefix_at + 2 * len(prefix)] if not c.isspace()]
        prefix = "".join(written[: len(prefix)])
    surface = text[it.start : it.end]
    if len(core) < len(surface):
        return it.name
    return prefix + surface + core[len(surface) :]


def _mentions(text: str, items: list[Item], role: str | None, source: str) -> list[AgencyMention]:
    out = []
    for pos, it in enumerate(items):
        out.append(
            AgencyMention(
                name=_written_name(text, it),
                span=Span.of(text, it.start, it.end),
                role=role or it.role,
                position=pos,
                source=source,
                restored_prefix=it.restored_prefix,
                known=it.known,
            )
        )
    return out


def assemble_responsibilities(
    plan: Plan, masked: str, outline: Outline | None = None
) -> list[SpanRow]:
    """Fill responsibilities, implementers, planned policies and the coordinator from the
    ``outline`` the structure was assembled from (nothing without one)."""
    text = plan.text
    if outline is None:
        return []
    rows: list[SpanRow] = []
    standing: list[AgencyMention] = []
    previous: list[AgencyMention] = []
    for b, m in zip(outline.measures, plan.measures[: len(outline.measures)], strict=True):
        # (measures read from a task table have no block: their units come from the table)
        if not b.clauses:
            continue
        items, implementers_items, same = [], [], False
        for clause in b.clauses:
            res = parse_clause(masked, clause.inner_start, clause.inner_end)
            m.unread.extend(Span.of(text, ua, ub) for ua, ub in res.leftover)
            if res.lead_rule:
                plan.lead_rule = "stated"
                plan.lead_rule_span = Span.of(text, *res.lead_rule)
            if any(it.marked_lead for it in res.items) and plan.lead_rule != "stated":
                plan.lead_rule = "marked"
            if res.deadline and m.deadline is None:
                m.deadline_span = Span.of(text, *res.deadline)
                m.deadline = _deadline(m.deadline_span.text) or m.deadline_span.text
            same = same or res.same_as_above
            # Later clauses of one measure add units; the lead is the first clause's.
            known = {it.name for it in items}
            for it in res.items:
                if it.name not in known:
                    if items:
                        it.role = "participant" if not it.marked_lead else it.role
                    items.append(it)
                    known.add(it.name)
            implementers_items.extend(res.implementers)
            if res.standing:
                standing = _mentions(text, res.standing, "implementer", "standing")
        if same and not items:
            m.responsibilities = [
                AgencyMention(
                    p.name, p.span, p.role, p.position, "same_as_above", p.restored_prefix
                )
                for p in previous
            ]
        else:
            m.responsibilities = _mentions(text, items, None, "clause")
        implementers = _mentions(text, implementers_items, "implementer", "clause")
        names = {x.name for x in implementers}
        for s in standing:
            if s.name not in names:
                implementers.append(
                    AgencyMention(
                        s.name, s.span, "implementer", len(implementers), "standing",
                        s.restored_prefix,
                    )
                )  # fmt: skip
                names.add(s.name)
        # Units a standing clause makes implementers are not also listed as responsible.
        if names:
            kept = [r for r in m.responsibilities if r.name not in names]
            if kept != m.responsibilities:
                m.responsibilities = [
                    AgencyMention(r.name, r.span, r.role, i, r.source, r.restored_prefix, known=r.known)
                    for i, r in enumerate(kept)
                ]
                if m.responsibilities and not any(r.role == "lead" for r in m.responsibilities):
                    m.responsibilities[0].role = "lead"
        m.implementers = implementers
        if m.responsibilities:
            previous = m.responsibilities
    _from_tables(plan, masked, outline.tables)
    _coordinator(plan, masked, outline)
    for i, m in enumerate(plan.measures):
        for a in m.responsibilities + m.implementers:
            rows.append((a.span.start, a.span.end, a.role, f"measure:{i}/{a.position}"))
        if not m.responsibilities:
            plan.diagnostics.append(
                Diagnostic(
                    errors.W104,
                    "warning",
                    f"measure {m.label} {m.title}: no responsible unit found",
                    m.label_span.start,
                )
            )
    _report_unread(plan)
    for j, p in enumerate(plan.planned_policies):
        for a in p.agencies:
            rows.append((a.span.start, a.span.end, a.role, f"policy:{j}/{a.position}"))
    if plan.coordinator:
        c = plan.coordinator
        rows.append((c.span.start, c.span.end, "coordinator", "plan"))
    return rows


def _report_unread(plan: Plan) -> None:
    """One warning per unit kept by position and per piece of clause text not read."""
    for m in plan.measures:
        for a in m.responsibilities + m.implementers:
            if not a.known and a.source != "same_as_above":
                plan.diagnostics.append(
                    Diagnostic(
                        errors.W110,
                        "warning",
                        f"measure {m.label}: {a.span.text!r} is not a known unit form; "
                        "kept as a unit by its place in the clause",
                        a.span.start,
                    )
                )
        for u in m.unread:
            plan.diagnostics.append(
                Diagnostic(
                    errors.W111,
                    "warning",
                    f"measure {m.label}: clause text {u.text[:40]!r} not read as a unit or cue",
                    u.start,
                )
            )


_DEADLINE = re.compile(
    rf"(?P<y>\d{{4}}){lx.YEAR}(?:(?P<m>\d{{1,2}}){lx.MONTH}|(?P<end>{lx.alternation(lx.document_words('year_end'))}))?"
)


def _deadline(s: str) -> str | None:
    m = _DEADLINE.search(s)
    if not m:
        return None
    if m.group("m"):
        return f"{m.group('y')}-{int(m.group('m')):02d}"
    if m.group("end"):
        return f"{m.group('y')}-12"
    return m.group("y")


def _column(header: list[str], *words: str) -> int | None:
    for i, h in enumerate(header):
        if any(w in h for w in words):
            return i
    return None


#: Column headings of a task-division table (``ontology/responsibility_cues.ttl`` and
#: ``document_cues.ttl``): a heading holding one of the words is that column.
_RESP_HEADS = lx.role_columns("responsible")
_PART_HEADS = lx.role_columns("participant")
_TASK_HEADS = lx.document_words("task_column")
_NUMBER_HEADS = lx.document_words("number_column")
_NAME_HEADS = lx.document_words("name_column")
_TIME_HEADS = lx.document_words("time_column")


def _measures_from_task_tables(plan: Plan, outline, rows: list[SpanRow]) -> None:
    """A plan that is a task-division table (序号 | 重点工作任务 | 牵头单位 | 配合单位 | 完成时限):
    each row with a task is a measure, numbered as the table numbers it, when the numbered
    headings carry no clause and the rows are not those headings' tasks (a 分工表 that
    assigns units to the measures above keeps them). Units are read by :func:`_from_tables`."""
    from graph_builder.segment.numerals import cn_to_int

    text = plan.text
    tasks = [
        r[c].text for t in outline.tables
        if (c := _column(t.header, *_TASK_HEADS)) is not None
        and _column(t.header, *_RESP_HEADS) is not None
        for r in t.rows[1:] if c < len(r)
    ]  # fmt: skip
    if not tasks:
        return
    titles = [m.title for m in plan.measures if m.title]
    matched = sum(1 for x in tasks if any(tt in x or x in tt for tt in titles))
    if matched * 2 >= len(tasks):
        return
    plan.measures.clear()
    outline.measures = []  # the headings were not measures (an attachment list, a title)
    rows[:] = [r for r in rows if r[2] not in ("MEASURE", "CLAUSE")]
    for t in outline.tables:
        header = t.header
        task_col = _column(header, *_TASK_HEADS)
        if _column(header, *_RESP_HEADS) is None or task_col is None:
            continue
        num_col = _column(header, *_NUMBER_HEADS)
        for row in t.rows[1:]:
            cells = dict(enumerate(row))
            task = cells.get(task_col)
            if task is None or not task.text.strip():
                continue
            num = cells.get(num_col) if num_col is not None else None
            n = cn_to_int(num.text.strip(" .、．")) if num is not None and num.text.strip() else None
            if n is None:
                n = len(plan.measures) + 1
            stop = task.text.find("。")
            t_end = task.start + (stop if stop != -1 else len(task.text))
            i = len(plan.measures)
            plan.measures.append(
                Measure(
                    index=i,
                    action=None,
                    label=f"{n}.",
                    label_span=Span.of(text, num.start, num.end) if num else Span.of(text, task.start, task.start),
                    title=text[task.start : t_end],
                    title_span=Span.of(text, task.start, t_end),
                    span=Span.of(text, row[0].start, row[-1].end),
                )
            )
            rows.append((row[0].start, row[-1].end, "MEASURE", f"measure:{i}"))


def _from_tables(plan: Plan, masked: str, tables: list[Table]) -> None:
    text = plan.text
    for t in tables:
        header = t.header
        name_col = _column(header, *_NAME_HEADS)
        resp_col = _column(header, *_RESP_HEADS)
        part_col = _column(header, *_PART_HEADS)
        task_col = _column(header, *_TASK_HEADS)
        time_col = _column(header, *_TIME_HEADS)
        if resp_col is None:
            continue
        lead_labelled = any(w in header[resp_col] for w in lx.lead_column_markers()) and not any(
            w in header[resp_col] for w in lx.document_words("first_named")
        )
        for row in t.rows[1:]:
            cells = {i: c for i, c in enumerate(row)}
            rc = cells.get(resp_col)
            if rc is None:
                continue
            units = split_units(masked, rc.start, rc.end) or []
            for k, u in enumerate(units):
                u.role = "lead" if (k == 0 or lead_labelled) else "participant"
            parts = []
            if part_col is not None and part_col in cells:
                pc = cells[part_col]
                parts = split_units(masked, pc.start, pc.end) or []
                for u in parts:
                    u.role = "participant"
            deadline_cell = cells.get(time_col) if time_col is not None else None
            if task_col is None and name_col is not None and name_col in cells:
                nc = cells[name_col]
                plan.planned_policies.append(
                    PlannedPolicy(
                        title=nc.text,
                        agencies=_mentions(text, units + parts, None, "table"),
                        deadline=_deadline(deadline_cell.text) if deadline_cell else None,
                        span=Span.of(text, row[0].start, row[-1].end),
                        deadline_span=Span.of(text, deadline_cell.start, deadline_cell.end)
                        if deadline_cell
                        else None,
                    )
                )
            elif task_col is not None and task_col in cells:
                _assign_task_row(plan, cells[task_col], row, units + parts, deadline_cell)


def _assign_task_row(plan: Plan, task_cell, row, units: list[Item], deadline_cell=None) -> None:
    """Give a task-division row's units to the measure it names (by title or number)."""
    from graph_builder.segment.numerals import cn_to_int

    text = plan.text
    task = task_cell.text
    target = None
    for m in plan.measures:
        if m.title and (m.title in task or task.startswith(m.title) or task in m.title):
            target = m
            break
    if target is None:
        num = cn_to_int(re.sub(r"\D", "", row[0].text) or row[0].text)
        if num is not None and 1 <= num <= len(plan.measures):
            target = plan.measures[num - 1]
    if target is None:
        return
    if deadline_cell is not None and target.deadline is None:
        target.deadline = _deadline(deadline_cell.text)
        target.deadline_span = Span.of(text, deadline_cell.start, deadline_cell.end)
    if not target.responsibilities:
        target.responsibilities = _mentions(text, units, None, "table")


#: 统筹协调, 牵头抓总 … outside the measures: the unit before it coordinates the whole plan.
_COORD_CUE = re.compile(
    lx.alternation(lx.document_words("coordination_modal")) + "?"
    + lx.alternation(lx.document_words("coordination_verb")) + "?"
    + lx.alternation(lx.document_words("coordination_cue"))
)
_OFFICE_IN = re.compile(lx.alternation(lx.document_words("office_located")))
#: What a coordinating unit's name never holds: punctuation, and the words of
#: ``document_cues.ttl``'s ``name_breaker`` (的, 和).
_NAME_BREAK = re.compile(
    r"[，。；、,;：:\s（）()]|" + lx.alternation(lx.document_words("name_breaker"))
)


def _coordinator(plan: Plan, masked: str, outline) -> None:
    """The unit that coordinates the whole plan, outside the measures' own text."""
    from graph_builder.extract.units import LEVEL_PREFIX, lexicon

    lex = lexicon()
    inside = [(m.span.start, m.span.end) for m in plan.measures]
    end = outline.appendix_start or len(masked)
    candidates = []
    for m in _COORD_CUE.finditer(masked, 0, end):
        if any(a <= m.start() < b for a, b in inside):
            continue
        for length in range(min(20, m.start()), 2, -1):
            a = m.start() - length
            cand = masked[a : m.start()]
            if _NAME_BREAK.search(cand):
                continue
            if LEVEL_PREFIX.match(cand) and lex.head(cand):
                candidates.append((a, m.start()))
                break
    for m in _OFFICE_IN.finditer(masked, 0, end):
        tail = re.match(r"[^，。；,;\s）)]{2,20}", masked[m.end() :])
        if tail and lex.is_unit(tail.group()):
            candidates.append((m.end(), m.end() + tail.end()))
    if candidates:
        a, b = candidates[0]
        plan.coordinator = AgencyMention(masked[a:b], Span.of(plan.text, a, b), "lead", 0, "clause")
