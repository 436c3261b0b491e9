"""Template filters of the framework pages."""

from django import template

register = template.Library()


@register.filter
def version_name(framework, version) -> str:
    """The name of a version of `framework` (a FrameworkVersion or its number), as
    Framework.version_name gives it: "2015" for the Building Blocks, "3" for a user's model."""
    if framework is None or version in (None, ""):
        return ""
    number = getattr(version, "number", version)
    return framework.version_name(number)
