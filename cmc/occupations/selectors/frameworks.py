"""The occupations a framework names."""

from ..models import FrameworkOccupation
from .occupations import occupation_summaries


def occupations_of(*, framework) -> list[dict]:
    """The occupations a framework (already found visible) names, in order, each with its
    summary where O*NET is loaded (the kept title otherwise)."""
    links = list(FrameworkOccupation.objects.filter(framework=framework))
    summaries = occupation_summaries([link.code for link in links])
    return [
        {"code": link.code, "title": link.title, "summary": summaries.get(link.code)}
        for link in links
    ]
