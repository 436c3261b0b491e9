"""The key behaviors of a file too big to hold, put aside while it is read: a temporary table
of the import's own transaction (gone with it, whether written or taken back), read again a
batch of competencies at a time as each framework is written (see `behaviors.Behaviors`).

The reader keeps only the frameworks' skeletons: their tiers and competencies, each
competency known by the row it was first read at (its `origin`, which no other competency of
the file shares). What the skeleton cannot say is asked of the table: an identifier given to
two key behaviors, or naming a key behavior of another framework, and which of the
framework's key behaviors the file moves to another competency."""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

from cmc.core.errors import Problem

from ..models import Competency, Framework, KeyBehavior
from ..trees import BehaviorNode, CompetencyNode, FrameworkTree
from .behaviors import BATCH, foreign_problem

# Rows added per statement, and read back per query, at most (but a competency's at once
# when they are asked for whole: see SpooledBehaviors.of).
ROWS = 2000
_COLUMNS = "framework, competency, position, origin, identifier, title, body"


class BehaviorSpool:
    """The key behaviors of one file, in a table of the transaction open when it is made;
    `framework` numbers the file's frameworks in the order they are read."""

    def __init__(self):
        quote, name = connection.ops.quote_name, f"cmc_spool_{uuid.uuid4().hex[:16]}"
        self.table = quote(name)
        # How many key behaviors each competency has, by its origin.
        self.counts: dict[int, int] = {}
        self.pending: list[tuple] = []
        self.native_uuid = connection.features.has_native_uuid_field
        identifier = KeyBehavior._meta.get_field("identifier").db_type(connection)
        index = quote(f"{name}_identifier")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (framework integer NOT NULL, "
                "competency integer NOT NULL, position integer NOT NULL, origin integer "
                f"NOT NULL, identifier {identifier} NULL, title text NOT NULL, body text "
                "NOT NULL, PRIMARY KEY (competency, position))"
            )
            cursor.execute(f"CREATE INDEX {index} ON {self.table} (identifier)")
        self.insert = f"INSERT INTO {self.table} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)"

    def add(
        self, framework: int, competency: int, title: str, text: str,
        identifier: uuid.UUID | None, row: int,
    ) -> None:  # fmt: skip
        """Put aside the next key behavior of the competency read first at row `competency`,
        read at `row`."""
        position = self.counts.get(competency, 0) + 1
        self.counts[competency] = position
        if identifier is not None and not self.native_uuid:
            identifier = identifier.hex  # as the database keeps a UUID (KeyBehavior's)
        self.pending.append((framework, competency, position, row, identifier, title, text))
        if len(self.pending) >= ROWS:
            self.flush()

    def flush(self) -> None:
        """Write what was added and not yet written."""
        if self.pending:
            with connection.cursor() as cursor:
                cursor.executemany(self.insert, self.pending)
            self.pending = []

    def drop(self) -> None:
        self.pending = []
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.table}")

    def behaviors(self, framework: int, tree: FrameworkTree) -> "SpooledBehaviors":
        """The key behaviors of the file's framework numbered `framework` (read as `tree`)."""
        self.flush()
        return SpooledBehaviors(self, framework, tree)

    def repeated(self, framework: int, tree: FrameworkTree) -> list[Problem]:
        """An identifier given to two key behaviors of one framework would make them one:
        each later one is a problem, naming where the first was read (as `trees.validate`
        names those of a tree held whole)."""
        self.flush()
        sql = (
            f"SELECT s.origin, s.identifier, f.earliest FROM {self.table} s JOIN (SELECT "
            f"identifier, MIN(origin) AS earliest FROM {self.table} WHERE framework = %s AND "
            "identifier IS NOT NULL GROUP BY identifier HAVING COUNT(*) > 1) f ON "
            "f.identifier = s.identifier WHERE s.framework = %s AND s.origin > f.earliest "
            "ORDER BY s.origin"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [framework, framework])
            found = cursor.fetchall()
        at = tree.rows_of
        return [
            Problem(f"{at}, row {row}", "behavior identifier", f"'{_uuid(identifier)}' is used "
                    f"twice (first at {at}, row {first}); leave it empty for a new item")
            for row, identifier, first in found
        ]  # fmt: skip


@contextmanager
def spooled() -> Iterator[BehaviorSpool]:
    """A spool for the transaction open around it, dropped at the end; when an exception
    leaves, the transaction it belongs to is taken back, and the table with it."""
    if not connection.in_atomic_block:
        raise RuntimeError("a spool belongs to a transaction: open one first")
    spool = BehaviorSpool()
    yield spool
    spool.drop()


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


class SpooledBehaviors:
    """One framework's key behaviors in the spool, as `syncing` reads them (see
    behaviors.Behaviors): a competency node's are those put aside under its origin."""

    def __init__(self, spool: BehaviorSpool, framework: int, tree: FrameworkTree):
        self.spool, self.framework, self.tree = spool, framework, tree

    def size(self, node: CompetencyNode) -> int:
        return self.spool.counts.get(node.origin, 0)

    def of(self, nodes: Sequence[CompetencyNode]) -> list[list[BehaviorNode]]:
        found: dict[int, list[BehaviorNode]] = {}
        keys = [node.origin for node in nodes]
        for start in range(0, len(keys), BATCH):
            for competency, behavior in self._read(keys[start : start + BATCH]):
                found.setdefault(competency, []).append(behavior)
        return [found.get(key, []) for key in keys]

    def each(self, nodes: Sequence[CompetencyNode]) -> Iterator[tuple[int, int, BehaviorNode]]:
        """Read a group of competencies of about ROWS key behaviors at a time, and a
        competency of more than ROWS a part of it at a time."""
        group: list[int] = []
        size = 0
        for index, node in enumerate(nodes):
            count = self.size(node)
            if group and (size + count > ROWS or len(group) >= BATCH):
                yield from self._each_of(nodes, group)
                group, size = [], 0
            if count > ROWS:
                for first in range(1, count + 1, ROWS):
                    part = self._read([node.origin], first, first + ROWS - 1)
                    for position, (_, behavior) in enumerate(part, start=first):
                        yield index, position, behavior
            elif count:
                group.append(index)
                size += count
        if group:
            yield from self._each_of(nodes, group)

    def _each_of(self, nodes, group: list[int]) -> Iterator[tuple[int, int, BehaviorNode]]:
        held = self.of([nodes[index] for index in group])
        for index, behaviors in zip(group, held, strict=True):
            for position, behavior in enumerate(behaviors, start=1):
                yield index, position, behavior

    def _read(self, keys: list[int], first: int = 0, last: int = 0) -> list[tuple]:
        """(competency, key behavior) of the competencies `keys`, in order (only positions
        `first` to `last` when given)."""
        marks = ", ".join(["%s"] * len(keys))
        sql = (
            f"SELECT competency, origin, identifier, title, body FROM {self.spool.table} "
            f"WHERE competency IN ({marks})"
        )
        params: list = list(keys)
        if first:
            sql += " AND position BETWEEN %s AND %s"
            params += [first, last]
        with connection.cursor() as cursor:
            cursor.execute(sql + " ORDER BY competency, position", params)
            rows = cursor.fetchall()
        return [
            (competency, BehaviorNode(text=body, title=title, origin=row,
                                      identifier=None if ident is None else _uuid(ident)))
            for competency, row, ident, title, body in rows
        ]  # fmt: skip

    def moved(self, framework, homes: dict[int, int | None]) -> list[int]:
        """The framework's rows are read with the spool's by identifier, a page at a time."""
        home = {
            node.origin: homes[id(node)] for tier in self.tree.tiers for node in tier.competencies
        }
        sql = (
            f"SELECT b.id, b.competency_id, s.competency FROM {_table(KeyBehavior)} b JOIN "
            f"{_table(Competency)} c ON c.id = b.competency_id JOIN {self.spool.table} s ON "
            "s.identifier = b.identifier WHERE c.framework_id = %s AND s.framework = %s AND "
            "b.id > %s ORDER BY b.id"
        )
        moved, last = [], 0
        with connection.cursor() as cursor:
            while True:
                cursor.execute(f"{sql} LIMIT {ROWS}", [framework.pk, self.framework, last])
                page = cursor.fetchall()
                moved += [pk for pk, competency, key in page if home[key] != competency]
                if len(page) < ROWS:
                    return moved
                last = page[-1][0]

    def foreign(self, framework) -> list[Problem]:
        sql = (
            f"SELECT s.origin, s.identifier, f.slug FROM {self.spool.table} s JOIN "
            f"{_table(KeyBehavior)} b ON b.identifier = s.identifier JOIN {_table(Competency)} "
            f"c ON c.id = b.competency_id JOIN {_table(Framework)} f ON f.id = c.framework_id "
            "WHERE s.framework = %s AND c.framework_id <> %s ORDER BY s.origin"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.framework, framework.pk])
            found = cursor.fetchall()
        at = self.tree.rows_of
        return [
            foreign_problem("behavior", f"{at}, row {row}", _uuid(identifier), slug)
            for row, identifier, slug in found
        ]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
