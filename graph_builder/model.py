"""The intermediate model: one parse of a plan, from which every view is derived.

RDF, NetworkX, JSON, the visualisation and the queries all read these dataclasses; none of
them re-parses text. Every extracted fact carries a :class:`Span` whose ``text`` equals
``plan.text[start:end]``, so a quote can always be checked against the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Span",
    "Diagnostic",
    "AgencyMention",
    "Agency",
    "Action",
    "Measure",
    "Target",
    "Instrument",
    "InstrumentTag",
    "TypeEvidence",
    "PlaceMention",
    "PlannedPolicy",
    "PlanMeta",
    "Plan",
]

Role = Literal["lead", "participant", "implementer"]


@dataclass(frozen=True)
class Span:
    """A character range of the source text and the exact text it covers."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Diagnostic:
    """Something the reader or extractor could not read, or read with doubt.

    ``code`` is stable and searchable (e.g. ``GB-W103``); ``level`` is warning or error.
    """

    code: str
    level: Literal["warning", "error"]
    message: str
    start: int | None = None

    def format(self, source: str) -> str:
        where = f":{self.start}" if self.start is not None else ""
        from graph_builder.safetext import for_terminal

        # one line whatever the file name holds (no forged lines, no escape codes)
        return for_terminal(f"{source}{where}: {self.level} {self.code}: {self.message}")


@dataclass
class AgencyMention:
    """One naming of a responsible unit in one responsibility statement.

    ``name`` is the normalised name (elided level prefix restored); ``span`` is what the text
    actually says (``教育局`` where the name is ``市教育局``).
    """

    name: str
    span: Span
    role: Role
    position: int
    source: Literal["clause", "table", "standing", "same_as_above"] = "clause"
    restored_prefix: str | None = None
    agency_key: str | None = None
    #: False for a name whose form is not in the vocabulary, kept because it stands where a
    #: unit stands (under a role label, in a list closed by a role verb); reported GB-W110.
    known: bool = True


@dataclass
class Agency:
    """An organisation of one plan: all surface forms that name it, and its function type."""

    key: str
    name: str
    surface_forms: list[str]
    function: str
    label_zh: str
    label_en: str
    function_cue: str | None = None
    level: str | None = None


@dataclass
class Action:
    """A chapter of the plan (``一、城乡居民增收行动``)."""

    id: str
    title: str
    span: Span
    title_span: Span


@dataclass
class Target:
    """A quantitative target as tests/data/gold/SCHEMA.md defines it.

    It points at its measure by the measure's ``index`` (``measure_index``), not by its
    label: two measures of one plan may share a label (a numbering restarted, a repeated
    （一）), and a label looked up again later picks the wrong one or none. ``action`` is the
    chapter id it stands in (for a plan-level target, the only reference). The label the gold
    schema writes is derived from the measure: :meth:`Plan.measure_label`.
    """

    action: str | None
    measure_index: int | None
    span: Span
    indicator: str
    value: float
    unit: str
    comparator: str
    year: int | None
    value_span: Span | None = None
    value_max: float | None = None  # upper bound of a range (增长5%-8%)


@dataclass
class Instrument:
    """A priced financial instrument (one object per tier).

    Like :class:`Target` it names its measure by index (``measure_index``) and its chapter
    by id (``action``); see there why not by label.
    """

    action: str | None
    measure_index: int | None
    span: Span
    type: str
    object: str | None
    rate_pct: float | None
    amount: float | None
    amount_unit: str | None
    amount_is_cap: bool
    per: str | None
    product: str | None = None
    product_span: Span | None = None
    #: the top of a range written as one (10%-50%, 2000-5000元): one instrument, two ends
    rate_pct_max: float | None = None
    amount_max: float | None = None
    #: every unit the amount is paid per, as written (2400元/年/孩 → ("年", "孩")); ``per`` is
    #: the one counted (孩)
    per_units: tuple[str, ...] = ()
    #: The other places the same instrument is written in its measure, each span once, in
    #: text order (``span`` is the first). An instrument written twice is one fact read
    #: twice: repeating ``补贴1000元`` 4,000 times must not make 4,000 facts that each copy
    #: the sentence. See :func:`graph_builder.extract.instruments.merge_repeats`.
    mentions: list[Span] = field(default_factory=list)
    #: How often it was read (1 + the repeats merged into it); repeats that quote the very
    #: same span (amounts of one clause) add to the count, not to ``mentions``.
    mention_count: int = 1

    @property
    def amount_yuan(self) -> float | None:
        """The amount in 元 (2万元 → 20000), from the currency units of
        ``ontology/quantities.ttl``; None when the unit is no currency with a fixed value."""
        from graph_builder.extract.quantities import to_yuan

        return to_yuan(self.amount, self.amount_unit)

    @property
    def amount_max_yuan(self) -> float | None:
        from graph_builder.extract.quantities import to_yuan

        return to_yuan(self.amount_max, self.amount_unit)

    @property
    def rate(self) -> float | None:
        """The rate as a decimal fraction (15% → 0.15), computed exactly."""
        return _fraction(self.rate_pct)

    @property
    def rate_max(self) -> float | None:
        return _fraction(self.rate_pct_max)


def _fraction(percent: float | None) -> float | None:
    from decimal import Decimal

    return None if percent is None else float(Decimal(repr(float(percent))) / 100)


@dataclass
class InstrumentTag:
    """A policy-instrument type a measure uses, with the span that shows it."""

    concept: str
    span: Span
    cue: str


@dataclass
class TypeEvidence:
    """A measure-type concept and the cue spans that decided it.

    ``spans`` cites each vote once: the first occurrence of each cue word in the title and
    in the body (a repeated cue votes once, so citing its every repeat would only copy it:
    4,000 spans of 补贴 for one vote). ``counts[i]`` is how often the cue of ``spans[i]`` is
    written there, so nothing is hidden.
    """

    concept: str
    score: float
    spans: list[Span] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)

    def count_of(self, i: int) -> int:
        """How often the cue of ``spans[i]`` occurs (1 when no count was recorded)."""
        return self.counts[i] if i < len(self.counts) else 1


@dataclass
class PlaceMention:
    """A region named in the text, linked to a GB/T 2260 code."""

    name: str
    adcode: str
    level: str
    parent: str | None
    span: Span


@dataclass
class PlannedPolicy:
    """A row of an appendix table of policy documents to be issued."""

    title: str
    agencies: list[AgencyMention]
    deadline: str | None
    span: Span
    deadline_span: Span | None = None


@dataclass
class Measure:
    """A numbered measure and the units responsible for it."""

    #: Its position in ``Plan.measures``: the reference targets and instruments hold
    #: (``measure_index``), unique where the label need not be.
    index: int
    action: str | None
    label: str
    label_span: Span
    title: str
    title_span: Span
    span: Span
    clause: Span | None = None
    responsibilities: list[AgencyMention] = field(default_factory=list)
    implementers: list[AgencyMention] = field(default_factory=list)
    measure_type: TypeEvidence | None = None
    measure_type_also: list[TypeEvidence] = field(default_factory=list)
    instrument_tags: list[InstrumentTag] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    deadline: str | None = None
    deadline_span: Span | None = None
    #: Text of the measure's clauses that the reader could not place (neither a unit, a role
    #: cue, a rule nor a deadline); kept with offsets and reported GB-W111.
    unread: list[Span] = field(default_factory=list)

    @property
    def agencies(self) -> list[str]:
        return [m.name for m in self.responsibilities]

    @property
    def leads(self) -> list[AgencyMention]:
        return [m for m in self.responsibilities if m.role == "lead"]

    @property
    def lead(self) -> str | None:
        leads = self.leads
        return leads[0].name if leads else None


@dataclass
class PlanMeta:
    """Document-level facts: title, region, status, issuer, date, number."""

    title: str | None = None
    title_span: Span | None = None
    region: str | None = None
    region_level: str | None = None
    parent_region: str | None = None
    adcode: str | None = None
    region_span: Span | None = None
    status: Literal["draft", "issued"] | None = None
    status_span: Span | None = None
    issuer: str | None = None
    issuer_span: Span | None = None
    date: str | None = None
    date_span: Span | None = None
    doc_number: str | None = None
    doc_number_span: Span | None = None


@dataclass
class Plan:
    """Everything extracted from one document."""

    doc_id: str
    source: str
    text: str
    sha256: str
    encoding: str
    meta: PlanMeta = field(default_factory=PlanMeta)
    actions: list[Action] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    agencies: dict[str, Agency] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    planned_policies: list[PlannedPolicy] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    coordinator: AgencyMention | None = None
    #: The issuer (``meta.issuer``) as an organisation with its function type, resolved by
    #: :func:`graph_builder.normalize.agencies.group_agencies` so that every view reads the
    #: one classification instead of classifying the name again. Not in ``agencies``: those
    #: are the units the measures name (the JSON's ``agencies``), the issuer is the author.
    issuer_agency: Agency | None = None
    lead_rule: Literal["stated", "first_listed", "marked"] = "first_listed"
    lead_rule_span: Span | None = None
    ignored: list[Span] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def measure_of(self, item: Target | Instrument) -> Measure | None:
        """The measure a target or instrument stands in (None: plan-level text).

        Raises when ``measures`` no longer holds each measure at its ``index`` (a list
        filtered or reordered after the items were read): the reference would then name
        another measure, which is the silent mislink the index exists to prevent."""
        i = item.measure_index
        if i is None:
            return None
        m = self.measures[i] if 0 <= i < len(self.measures) else None
        if m is None or m.index != i:
            raise ValueError(f"{self.doc_id}: no measure at index {i} (measures were changed)")
        return m

    def measure_label(self, item: Target | Instrument) -> str | None:
        """The label of the measure ``item`` stands in, for the views that print it (the gold
        schema's ``measure`` field); derived, never looked up by."""
        m = self.measure_of(item)
        return None if m is None else m.label

    def iter_mentions(self):
        """Every agency mention of the plan, in document order of the measures."""
        for m in self.measures:
            yield from m.responsibilities
            yield from m.implementers
        for p in self.planned_policies:
            yield from p.agencies
        if self.coordinator:
            yield self.coordinator
