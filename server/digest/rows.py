"""The plain data the digest builder works on (gathered by server.services.digests)."""

from dataclasses import dataclass, field
from datetime import date

# Theme id for learning questions that came without a reflection (and so without themes).
NO_THEME = "zonder-thema"


@dataclass(frozen=True)
class ReflectionRow:
    author: str  # opaque; only ever counted, never shown
    week: str  # ISO week in the team's time zone
    themes: frozenset[str] = frozenset()
    zone: str | None = None  # comfort / learning / panic
    visibility: str = "private"
    processed: bool = False
    safety: bool = False
    quote: str = ""  # de-identified "Wat gebeurde er?"; empty unless the author shared it
    learning: str = ""  # de-identified "Wat doe je volgende keer?"; same rule
    has_learning: bool = False  # a learning intention was written (counts even when private)

    @property
    def quotable(self) -> bool:
        return self.visibility == "team" and self.processed and not self.safety


@dataclass(frozen=True)
class VisitRow:
    author: str
    week: str
    reflected: bool  # at least one reflection points at this visit


@dataclass(frozen=True)
class FeedbackRow:
    medewerker: str | None  # whose visit it was: counted so no score singles them out
    week: str
    scores: dict = field(default_factory=dict)
    themes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LinkRow:
    """A feedback link a resident could have seen, in the week it was issued (for the response rate)."""

    medewerker: str | None
    week: str
    answered: bool


@dataclass(frozen=True)
class LearningQuestionRow:
    author: str
    week: str
    themes: frozenset[str] = frozenset()
    text: str = ""  # de-identified text, only when the author shared the question


@dataclass(frozen=True)
class SignalRow:
    term: str
    authors: int
    previous_mean: float


@dataclass(frozen=True)
class ActionRow:
    id: str
    title: str
    status: str  # open / done / dropped
    owner_id: str | None
    owner_name: str | None
    due: date | None
    created_week: str
    done_week: str | None


@dataclass(frozen=True)
class ThemeLabel:
    id: str
    label: str
    group: str  # leren / ervaring / team


@dataclass(frozen=True)
class Keeper:
    theme_id: str
    user_id: str
    name: str


@dataclass
class DigestInput:
    team_id: str
    team_name: str
    iso_week: str
    k: int
    members: frozenset[str]  # the team's medewerkers (those who did not write are a group too)
    week_end: date  # the Sunday of iso_week
    reflections: list[ReflectionRow] = field(default_factory=list)  # this week and the 4 before
    visits: list[VisitRow] = field(default_factory=list)
    feedback: list[FeedbackRow] = field(default_factory=list)
    learning_questions: list[LearningQuestionRow] = field(default_factory=list)
    signals: list[SignalRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    keepers: list[Keeper] = field(default_factory=list)
    labels: dict[str, ThemeLabel] = field(default_factory=dict)
    score_items: list[str] = field(default_factory=list)  # the team's Wmo items
    # Content of earlier weeks' digests as first built: trends use what was published, so a later
    # change of k, membership or rows cannot show through an old week's figure.
    published: dict[str, dict] = field(default_factory=dict)
    # Authors that do not count towards k (the team's leads and accounts they invited in the last
    # 30 days): they are counted in the figures, but a cell needs k others to be published.
    uncounted: frozenset[str] = frozenset()
    links: list[LinkRow] = field(default_factory=list)  # feedback links issued
