"""Plain records passed between stages (ingest → extract → resolve → build).

Stages exchange these frozen dataclasses, never natasha or pyoxigraph objects, so each stage can be tested with
hand-built input. Offsets are code points into ``Document.text`` (the decoded file), half-open.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartialDate:
    """A date at the precision the text gives: year only, year-month, full date, or month(-day) without a year.

    >>> PartialDate(2019, 5).iso()
    '2019-05'
    >>> PartialDate(None, 9, 2).iso()
    '--09-02'
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        s = f"{self.year:04d}"
        if self.month:
            s += f"-{self.month:02d}"
            if self.day:
                s += f"-{self.day:02d}"
        return s

    @property
    def precision(self) -> str:
        """'year' | 'month' | 'day' | 'month-day' | 'month-only'."""
        if self.year is None:
            return "month-day" if self.day else "month-only"
        if self.day:
            return "day"
        if self.month:
            return "month"
        return "year"


@dataclass(frozen=True)
class DateValue:
    """A resolved date or range with how it was obtained (``resolved_from`` keeps the surface text)."""

    start: PartialDate
    end: PartialDate | None = None
    resolved_from: str = ""  # surface text, e.g. "в январе текущего года"
    relative: bool = False  # True when resolved against the document date


@dataclass(frozen=True)
class DocMeta:
    """What is known about a document (from seeds/metadata.yaml), not extracted."""

    title: str | None = None
    date: PartialDate | None = None
    publisher: str | None = None
    genre: str | None = None  # NewsArticle | PressRelease | Transcript | Communique | Statement
    language: str = "ru"
    source_url: str | None = None


@dataclass(frozen=True)
class Document:
    id: str  # file stem
    text: str  # the decoded file: every offset indexes this string
    sha256: str  # of the raw bytes
    meta: DocMeta = field(default_factory=DocMeta)
    encoding: str = "utf-8"
    skipped: tuple[tuple[int, int], ...] = ()  # boilerplate ranges to ignore (never deleted from text)
    sentences: tuple[tuple[int, int], ...] = ()  # sentence ranges over text, outside skipped ranges
    path: str = ""  # as given, for messages


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def quote(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Entity:
    """One real-world entity as found in one document (all its mentions)."""

    key: str  # document-local key; resolve replaces it with a canonical IRI slug
    type: str  # gold type: Person, State, GovernmentBody, Municipality, Region, Association, Company, Bank,
    # InternationalOrganization, MediaOutlet, Project, Place
    name_ru: str  # canonical nominative name
    mentions: tuple[Span, ...]
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    iri: str | None = None  # set by resolve
    confidence: float = 0.8


@dataclass(frozen=True)
class PostHolding:
    person: str  # entity key
    title: str  # role without the organisation, nominative: "Министр иностранных дел"
    full_title: str  # as worded, nominative: "Министр иностранных дел Японии"
    org: str | None  # entity (or institution) key
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class Participant:
    entity: str  # entity key
    capacity: str | None = None  # full post title the person acts in, if stated
    role: str | None = None  # Host | Visitor | Organizer | ...


@dataclass(frozen=True)
class Event:
    type: str  # gold event type
    label: str  # short Russian description
    evidence: tuple[Span, ...]
    date: DateValue | None = None
    place: str | None = None  # entity key
    participants: tuple[Participant, ...] = ()
    ordinal: int | None = None
    ordinal_as_written: str | None = None
    planned: bool = False
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instrument:
    type: str  # Memorandum | Communique | Agreement | Plan | Treaty | GovernmentOrder | JointStatement | Programme
    status: str  # planned | concluded | in_force | terminated | not_concluded
    evidence: tuple[Span, ...]
    title: str | None = None  # as named in the text, nominative
    label: str | None = None  # description when untitled
    key: str | None = None  # gazetteer key for well-known instruments (peace treaty …)
    signed: DateValue | None = None
    signed_place: str | None = None
    proposed: DateValue | None = None
    proposed_by: str | None = None
    parties: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    terminated: DateValue | None = None
    terminated_by: str | None = None
    terminated_by_instrument: int | None = None  # index into Extraction.instruments
    governs: str | None = None  # institution key
    item_count: int | None = None


@dataclass(frozen=True)
class Institution:
    key: str
    type: str  # TechnicalAssistanceCenter | CenterOrFund | SpecialEconomicZone
    name_ru: str
    mentions: tuple[Span, ...]
    count: int | None = None
    country: str | None = None
    locations: tuple[str, ...] = ()
    founded: DateValue | None = None
    closed: DateValue | None = None
    status: str | None = None  # planned | operating | closed
    established_by: tuple[str, ...] = ()
    iri: str | None = None


@dataclass(frozen=True)
class Statement:
    speakers: tuple[str, ...]  # entity keys
    quote: str  # verbatim substring of the text (== evidence[0] quote)
    evidence: tuple[Span, ...]
    mode: str = "ReportedSpeech"  # DirectQuote | ReportedSpeech
    date: DateValue | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    doc: Document
    entities: tuple[Entity, ...] = ()
    posts: tuple[PostHolding, ...] = ()
    events: tuple[Event, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    institutions: tuple[Institution, ...] = ()
    statements: tuple[Statement, ...] = ()
    warnings: tuple[str, ...] = ()
