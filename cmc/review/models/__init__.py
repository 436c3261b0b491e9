"""The development process of a model: review rounds, validation surveys, review schedule and
suggestions. One module per part (rounds.py, surveys.py, ...), each imported here."""

from .surveys import (  # noqa: F401
    GROUP_KINDS,
    Survey,
    SurveyInvitation,
    SurveyRating,
    SurveyResponse,
    hash_link_token,
)
