"""What a CASE package read in said that the writer would not say by itself, kept as
differences from what it makes (`keep`), and given back when the object is written again
(`finish` / `restore`); fields and links CASE 1.1 would refuse are conformed (`conform`)."""

from .case_terms import IDENTIFIER, LINK_FIELDS, LINKS, OWN, case_identifier


def keep(made: dict, original: dict) -> dict:
    """What `original` (an object of a package read in) says differently from `made` (what the
    writer makes of the item now): [made value, original value] by field (None: absent)."""
    # Most objects say what the writer makes, and besides only what it always decides itself
    # (which a package's items and isChildOf are read without: see case_read.Package): found
    # so by one comparison made in C, or two, without a look at each field.
    if made == original:
        return {}
    if made.items() <= original.items() and OWN.issuperset(original.keys() - made.keys()):
        return {}
    kept = {}
    theirs_of = original.get
    for name, ours in made.items():
        theirs = theirs_of(name)
        if ours != theirs and name not in OWN:
            kept[name] = [ours, theirs]
    for name, theirs in original.items():
        if theirs is not None and name not in made and name not in OWN:
            kept[name] = [None, theirs]
    if "identifier" in kept and not IDENTIFIER.match(str(original.get("identifier", ""))):
        del kept["identifier"]  # replaced for good by one CASE 1.1 accepts (see case_identifier)
    return kept


def finish(made: dict, kept: dict | None, allowed: frozenset) -> dict:
    """The object as written: empty fields left out, and where a package read in said
    something else for a field the item has not changed since, what it said."""
    return restore(without_empty(made), kept, allowed)


def without_empty(made: dict) -> dict:
    """The object without its empty fields (a value that is true is never empty)."""
    return {k: v for k, v in made.items() if v or v not in ("", None, [], {})}


def restore(made: dict, kept: dict | None, allowed: frozenset) -> dict:
    """`finish` for an object whose empty fields are already left out (changed in place). What
    the writer makes conforms by itself (only fields CASE 1.1 defines, links it identifies by
    UUIDs it makes): only what a package said is conformed."""
    if not kept:
        return made
    for name, (ours, theirs) in kept.items():
        if made.get(name) == ours:
            if theirs is None:
                made.pop(name, None)
            else:
                made[name] = theirs
    return conform(made, allowed)


def conform(obj: dict, allowed: frozenset) -> dict:
    """Fields CASE 1.1 does not define for the object (a CASE 1.0 package's) move into its
    `extensions`; links whose identifiers 1.1 refuses get ones made from them."""
    extra = (
        {} if allowed.issuperset(obj) else {k: obj.pop(k) for k in list(obj) if k not in allowed}
    )
    if extra:
        extensions = obj.get("extensions") if isinstance(obj.get("extensions"), dict) else {}
        obj["extensions"] = {**extensions, **extra}
    if LINKS.isdisjoint(obj):
        return obj
    for name in LINK_FIELDS:
        link = obj.get(name)
        if isinstance(link, dict) and not IDENTIFIER.match(str(link.get("identifier", ""))):
            obj[name] = {**link, "identifier": str(case_identifier(link.get("identifier", "")))}
    return obj
