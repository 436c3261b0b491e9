"""The chart of a survey item: how many rated it 1 to 5, as accessible inline SVG bars."""

from django import template

from ..selectors.surveys import GROUP_KINDS

register = template.Library()

LABELS = [
    "Not important",
    "Slightly important",
    "Moderately important",
    "Important",
    "Very important",
]
BAR_WIDTH = 200  # the longest bar; the others in proportion


@register.inclusion_tag("review/surveys/_bars.html")
def rating_bars(distribution, label: str, identifier):
    """Bars for the counts of ratings 1..5 of one item, each named and counted."""
    chart_id = f"chart-{identifier}"
    top = max(distribution) if distribution and max(distribution) else 1
    bars = [
        {
            "score": score,
            "label": LABELS[score - 1],
            "count": count,
            "y": 4 + (score - 1) * 22,
            "width": round(BAR_WIDTH * count / top, 1),
            "text_x": 34 + round(BAR_WIDTH * count / top, 1) + 6,
        }
        for score, count in enumerate(distribution, start=1)
    ]
    return {"bars": bars, "label": label, "chart_id": chart_id, "total": sum(distribution)}


@register.filter
def percent(value) -> str:
    """A share (0-1) as a whole percentage; a dash when there is none."""
    return "–" if value is None else f"{value:.0%}"


@register.filter
def number(value, places: int = 2) -> str:
    """A statistic to `places` decimals; a dash when there is none (too few ratings)."""
    return "–" if value is None else f"{value:.{places}f}"


@register.filter
def interval(value) -> str:
    """A 95% interval as "low – high"; a dash when there is none."""
    return "–" if value is None else f"{value[0]:.2f} – {value[1]:.2f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def group_label(kind: str) -> str:
    """The name of a question about respondents ("Industry segment")."""
    return GROUP_KINDS.get(kind, kind)
