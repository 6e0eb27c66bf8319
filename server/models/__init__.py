"""The data model of DESIGN.md §4. Import models from here."""

from server.models.accounts import (
    DEFAULT_WMO_ITEMS,
    ROLES,
    AuthSession,
    Invitation,
    LoginThrottle,
    Membership,
    PasswordReset,
    Team,
    ThemeKeeper,
    User,
)
from server.models.base import utcnow
from server.models.board import Acknowledgement, TeamNote
from server.models.feedback import FeedbackLink, FeedbackTheme, InwonerFeedback
from server.models.insight import Digest, TeamWeekSignal, TeamWeekTheme
from server.models.intervisie import (
    CasusoverlegAttendance,
    IntervisieCase,
    IntervisieParticipant,
    IntervisieSession,
    PortfolioReflection,
    TeamLearningNote,
)
from server.models.organisation import (
    ORGANISATION_ROLES,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
)
from server.models.system import AuditLog, Notification, OutboxEvent, PushSubscription
from server.models.work import (
    LEARNING_ZONES,
    REFLECTION_TEXT_FIELDS,
    THEME_SOURCES,
    VISIBILITIES,
    VISIT_KINDS,
    Action,
    LearningQuestion,
    LearningQuestionHelper,
    Reflection,
    ReflectionTheme,
    Theme,
    ThemeOfTheMonth,
    Visit,
)

__all__ = [
    "Acknowledgement", "DEFAULT_WMO_ITEMS", "LEARNING_ZONES", "REFLECTION_TEXT_FIELDS", "ROLES", "THEME_SOURCES",
    "VISIBILITIES", "VISIT_KINDS", "Action", "AuditLog", "AuthSession", "Digest", "FeedbackLink",
    "FeedbackTheme", "Invitation", "InwonerFeedback", "LearningQuestion", "LearningQuestionHelper",
    "LoginThrottle",
    "Membership", "Notification", "OutboxEvent", "PasswordReset", "PushSubscription", "Reflection",
    "ReflectionTheme", "Team", "TeamNote", "TeamWeekSignal", "TeamWeekTheme", "Theme", "ThemeKeeper",
    "ThemeOfTheMonth", "User", "Visit", "utcnow",
    "CasusoverlegAttendance", "IntervisieCase", "IntervisieParticipant", "IntervisieSession",
    "PortfolioReflection", "TeamLearningNote",
    "ORGANISATION_ROLES", "Organisation", "OrganisationInvitation", "OrganisationMembership",
]
