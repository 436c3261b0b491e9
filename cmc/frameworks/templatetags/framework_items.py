"""What other apps add beside each competency and key behavior of a framework's pages (see
`cmc.frameworks.panels.register_item`)."""

from django import template

from cmc.frameworks import panels

register = template.Library()


@register.simple_tag
def item_actions(framework, kind: str, item):
    """The registered actions for one item, or "" when none has something to offer."""
    return panels.render_item(framework, kind, item)
