"""How an import reports its progress: the command line shows a bar per table (rich); a test
or a background task passes nothing and hears nothing."""


class Quiet:
    """Progress that goes nowhere."""

    def start(self, name: str, total: int | None) -> None:
        """A table of about `total` rows begins."""

    def advance(self, rows: int = 1) -> None:
        """`rows` more rows of the current table were read."""

    def done(self) -> None:
        """The current table is finished."""
