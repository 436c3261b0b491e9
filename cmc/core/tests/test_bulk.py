"""Writing plain rows in bulk: defaults filled as Django fills them, values prepared by their
fields (UUIDs, JSON, times), and one statement per batch of rows."""

import uuid

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from cmc.core import bulk
from cmc.core.models import SearchEntry
from cmc.frameworks.models import Competency, Framework, KeyBehavior, Tier

pytestmark = pytest.mark.django_db


def test_rows_come_back_as_the_orm_would_have_written_them():
    framework = Framework.objects.create(slug="bulk", name="Bulk")
    tier = Tier.objects.create(framework=framework, number=1, name="One", group="foundational",
                               position=1)  # fmt: skip
    identifier = uuid.uuid4()
    written = bulk.insert(Competency, [{
        "framework_id": framework.pk, "tier_id": tier.pk, "identifier": identifier,
        "code": "1.1", "name": "Teamwork", "position": 1,
        "extensions": {"case": {"item": {"notes": ["a", "b"]}}},
    }])  # fmt: skip
    assert written == 1
    competency = Competency.objects.get(framework=framework)
    assert competency.identifier == identifier
    assert competency.extensions == {"case": {"item": {"notes": ["a", "b"]}}}
    # Left out: each takes the field's default.
    assert (competency.definition, competency.origin, competency.revision) == ("", "added", 1)
    assert competency.merged_from == [] and competency.source_framework_id is None
    behaviors = [{"competency_id": competency.pk, "text": f"Does {n}", "position": n}
                 for n in range(1, 4)]  # fmt: skip
    bulk.insert(KeyBehavior, behaviors)
    made = list(KeyBehavior.objects.filter(competency=competency).order_by("position"))
    assert [b.text for b in made] == ["Does 1", "Does 2", "Does 3"]
    # A callable default is called for each row: three identifiers, not one.
    assert len({b.identifier for b in made}) == 3


def test_a_json_document_given_for_many_rows_is_written_for_each():
    framework = Framework.objects.create(slug="bulk", name="Bulk")
    tier = Tier.objects.create(framework=framework, number=1, name="One", group="foundational",
                               position=1)  # fmt: skip
    shared, own = {"case": {}}, {"case": {"item": {"notes": [None, "theirs"]}}}
    kept = [shared, shared, own, shared, {"case": {}}, own]
    bulk.insert(Competency, [
        {"framework_id": framework.pk, "tier_id": tier.pk, "code": f"1.{n}", "name": f"C{n}",
         "position": n, "extensions": extensions} for n, extensions in enumerate(kept, start=1)
    ])  # fmt: skip
    written = Competency.objects.filter(framework=framework).order_by("position")
    assert [c.extensions for c in written] == kept


def test_one_statement_per_batch_of_rows():
    rows = [{"collection": "frameworks", "scope_id": 1, "kind": "framework", "object_id": n,
             "title": f"Entry {n}", "url": "/"} for n in range(25)]  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        bulk.insert(SearchEntry, rows, batch=10)
    inserts = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"].upper()]
    assert [sql.count("), (") + 1 for sql in inserts] == [10, 10, 5]
    assert SearchEntry.objects.filter(scope_id=1).count() == 25


def test_statements_of_fewer_rows_than_a_batch_run_together():
    names = ("collection", "scope_id", "kind", "object_id", "title", "url")
    writer = bulk.Insert(SearchEntry, names)
    writer.rows_per_statement = 4  # as a database taking fewer parameters would have it
    rows = [("frameworks", 1, "framework", n, f"Entry {n}", "/") for n in range(26)]
    with CaptureQueriesContext(connection) as captured:
        assert writer.write(rows, batch=8) == 26
    inserts = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"].upper()]
    # Runs of two statements of four rows, each run made ready once; then the two rows left.
    assert [sql.split(" ", 1)[0] for sql in inserts] == ["2", "2", "2", "INSERT"]
    assert [sql.count("), (") + 1 for sql in inserts] == [4, 4, 4, 2]
    assert sorted(SearchEntry.objects.values_list("object_id", flat=True)) == list(range(26))


def test_a_row_without_a_value_the_database_requires_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(SearchEntry, [{"collection": "frameworks", "scope_id": 1, "kind": "x",
                                   "title": "No object", "url": "/"}])  # fmt: skip
    assert not SearchEntry.objects.exists()


def test_collecting_later_gives_the_collector_back():
    import gc

    with bulk.collecting_later():
        assert not gc.isenabled()
        with bulk.collecting_later():  # a hold inside a hold gives nothing back
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_a_hold_made_is_not_walked_after_it_and_its_cycles_are_still_found():
    import gc
    import weakref

    class Node:
        pass

    with bulk.collecting_later():
        made = [{"n": [n]} for n in range(10_000)]  # alive, as a parsed file is
        assert gc.get_count()[0] > 10_000
        looped = Node()
        looped.itself = looped  # garbage only a collection finds
        ref = weakref.ref(looped)
        del looped
    # No pass over the work's objects is due: the young generation starts afresh, and the
    # objects made next set off no collection.
    passes = []

    def seen(phase, info):
        passes.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        more = [[n] for n in range(100)]
    finally:
        gc.callbacks.remove(seen)
    assert passes == [] and len(more) == 100
    assert len(made) == 10_000 and ref() is not None
    gc.collect()
    assert ref() is None


def test_objects_another_froze_stay_frozen_after_a_hold():
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with bulk.collecting_later():
            made = [[n] for n in range(1000)]
        assert gc.get_freeze_count() == frozen and len(made) == 1000
    finally:
        gc.unfreeze()


def test_decimals_are_written_as_the_orm_writes_them():
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from cmc.occupations.models import Wage

    rows = [("29-1141", "U.S.", 2025, "Nurses", Decimal("45.50")),
            ("29-1142", "U.S.", 2025, "Others", "12.25"),
            ("29-1143", "U.S.", 2025, "No wage", None)]  # fmt: skip
    bulk.Insert(Wage, ("soc_code", "area", "year", "title", "hourly_median")).write(rows)
    got = dict(Wage.objects.values_list("soc_code", "hourly_median"))
    assert got == {"29-1141": Decimal("45.50"), "29-1142": Decimal("12.25"), "29-1143": None}
    with pytest.raises(ValidationError), transaction.atomic():  # not a number: the field says so
        bulk.Insert(Wage, ("soc_code", "year", "title", "hourly_median")).write(
            [("29-1144", 2025, "Bad", "many")]
        )


def test_fields_named_as_given_go_to_the_driver_as_they_are(monkeypatch):
    from decimal import Decimal

    from cmc.occupations.models import Wage

    prepared = []
    prepare = models.DecimalField.get_db_prep_save

    def counted(field, value, connection):
        prepared.append((field.name, value))
        return prepare(field, value, connection)

    monkeypatch.setattr(models.DecimalField, "get_db_prep_save", counted)
    names = ("soc_code", "year", "title", "hourly_median", "hourly_mean")
    rows = [("29-1141", 2025, "Nurses", 45.5, 45.5), ("29-1142", 2025, "Others", 0.07, 0.07)]
    bulk.Insert(Wage, names, as_given=("hourly_median",)).write(rows)
    # Only the field not named is made ready by the field (a float is no Decimal).
    assert prepared == [("hourly_mean", 45.5), ("hourly_mean", 0.07)]
    for code, value in (("29-1143", "45.50"), ("29-1144", "0.07")):
        Wage.objects.create(soc_code=code, year=2025, title="By the ORM",
                            hourly_median=Decimal(value), hourly_mean=Decimal(value))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT hourly_median, hourly_mean FROM occupations_wage ORDER BY soc_code")
        stored = [tuple((value, type(value)) for value in row) for row in cursor.fetchall()]
    # Stored as the ORM stores the decimals the floats stand for.
    assert stored[:2] == stored[2:]


@pytest.mark.parametrize("default", ["added", "it's", "50% off", "back\\slash", "two\nlines", ""])
def test_constant_values_go_in_the_statement_where_they_are_plain(monkeypatch, default):
    framework = Framework.objects.create(slug="bulk", name="Bulk")
    tier = Tier.objects.create(framework=framework, number=1, name="One", group="foundational",
                               position=1)  # fmt: skip
    names = ("framework_id", "tier_id", "code", "name", "position", "identifier")
    # A choice's text (the field's own default is one) is written as its text.
    assert "'added', NULL" in bulk.Insert(Competency, names).marks
    monkeypatch.setattr(Competency._meta.get_field("origin"), "default", default)
    writer = bulk.Insert(Competency, names)
    rows = [(framework.pk, tier.pk, f"1.{n}", f"C{n}", n, uuid.uuid4()) for n in range(1, 4)]
    with CaptureQueriesContext(connection) as captured:
        assert writer.write(rows) == 3
    assert len([q for q in captured.captured_queries if "INSERT" in q["sql"].upper()]) == 1
    plain = "%" not in default and "\\" not in default and "\n" not in default
    # A plain text, a number and NULL are written once, in the statement; each row carries
    # only what it gives, and a statement takes as many more rows.
    assert ("'" + default.replace("'", "''") + "'" in writer.marks) is plain
    params_per_row = len(names) + (0 if plain else 1)
    if connection.vendor == "postgresql":
        params_per_row += 2  # merged_from, extensions: documents its driver takes as such
    assert writer.marks.count("%s") == params_per_row
    limit = connection.features.max_query_params or 65535
    assert writer.rows_per_statement == limit // params_per_row
    written = Competency.objects.filter(framework=framework).order_by("position")
    assert [(c.code, c.origin, c.revision, c.source_framework_id, c.merged_from) for c in written] == [
        (f"1.{n}", default, 1, None, []) for n in range(1, 4)
    ]  # fmt: skip


def test_a_row_of_the_wrong_width_is_refused_before_anything_is_written():
    framework = Framework.objects.create(slug="bulk", name="Bulk")
    tier = Tier.objects.create(framework=framework, number=1, name="One", group="foundational",
                               position=1)  # fmt: skip
    names = ("framework_id", "tier_id", "code", "name", "position", "identifier")
    writer = bulk.Insert(Competency, names)
    rows = [(framework.pk, tier.pk, "1.1", "One", 1, uuid.uuid4()),
            (framework.pk, tier.pk, "1.2", "Two", uuid.uuid4())]  # fmt: skip
    with pytest.raises(ValueError, match="each row must give 6 values"):
        writer.write(rows)
    assert not Competency.objects.filter(framework=framework).exists()
