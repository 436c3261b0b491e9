"""The development process of a model: review rounds, validation surveys, review schedule and
suggestions. One module per part (rounds.py, surveys.py, ...), each imported here."""

from .process import Approval, Approver, BackgroundItem, Publication
from .rounds import Action, ItemKind, Proposal, Resolution, Reviewer, ReviewRound
from .schedule import ReviewKind, ReviewRecord, ReviewReminder, ReviewSchedule
from .suggestions import Suggestion, SuggestionReply

__all__ = [
    "Action",
    "Approval",
    "Approver",
    "BackgroundItem",
    "ItemKind",
    "Proposal",
    "Publication",
    "Resolution",
    "ReviewKind",
    "ReviewRecord",
    "ReviewReminder",
    "ReviewRound",
    "ReviewSchedule",
    "Reviewer",
    "Suggestion",
    "SuggestionReply",
]

from .surveys import (  # noqa: F401
    GROUP_KINDS,
    Survey,
    SurveyInvitation,
    SurveyRating,
    SurveyResponse,
    hash_link_token,
)
