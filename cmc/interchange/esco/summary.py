"""What an ESCO load changed, counted for people."""

from dataclasses import dataclass, field


@dataclass
class Change:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class Summary:
    """What an import changed, for people: concepts by kind, then each relation table."""

    version: str = ""
    dry_run: bool = False
    # What was loaded, when it is not ESCO itself ("the ESCO to O*NET-SOC crosswalk").
    what: str = ""
    concepts: dict[str, Change] = field(default_factory=dict)
    relations: dict[str, Change] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # why -> rows
    kept: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = "Would load" if self.dry_run else "Loaded"
        what = self.what or f"ESCO {self.version or '(version not given)'}"
        lines = [f"{head} {what}:"]
        for name, change in {**self.concepts, **self.relations}.items():
            lines.append(
                f"  {name}: {change.new:,} new, {change.changed:,} changed, "
                f"{change.unchanged:,} unchanged"
                + (f", {change.removed:,} removed" if change.removed else "")
            )
        if self.kept:
            lines.append(f"  {self.kept:,} concepts loaded before and not in these files were kept")
        lines += [f"  skipped {n:,} {why}" for why, n in self.skipped.items() if n]
        lines += [f"  {note}" for note in self.notes]
        return lines
