"""Reading a page's HTML in tests as a browser would: elements found by id or XPath, and the
checks every form shares (what an input's aria-describedby names exists on the page)."""

from lxml import html


def parse(answer) -> html.HtmlElement:
    """The page (or fragment) of a response, parsed."""
    text = answer.content.decode()
    return html.fromstring(text) if text.strip() else html.fromstring("<div></div>")


def by_id(tree, ident: str):
    """The one element with this id (an AssertionError if none or several)."""
    found = tree.xpath(f'//*[@id="{ident}"]')
    assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
    return found[0]


def text(element) -> str:
    return " ".join(element.text_content().split())


def with_class(tree, name: str) -> list:
    return tree.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')


def described_by_what_exists(tree) -> None:
    """Every id an aria-describedby (or aria-labelledby) names is on the page."""
    ids = set(tree.xpath("//@id"))
    for attribute in ("aria-describedby", "aria-labelledby"):
        for element in tree.xpath(f"//*[@{attribute}]"):
            missing = [i for i in element.get(attribute).split() if i not in ids]
            assert not missing, f"{element.tag} {attribute} names missing ids {missing}"
