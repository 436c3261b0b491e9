"""Who acts: a person (a user, perhaps anonymous) or the system itself.

The system is the command line, the reference load and background work: it sees every object
and may change every object, and it is named, never implied by a missing user. `None` and an
anonymous user are nobody: they see public content and change nothing."""


class SystemActor:
    """The project itself acting. Not a person: what it writes records no person."""

    is_authenticated = False
    is_active = True
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "the system"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


def person(actor):
    """The user to record as having done something: None for the system and for nobody."""
    if actor is None or is_system(actor) or not actor.is_authenticated:
        return None
    return actor
