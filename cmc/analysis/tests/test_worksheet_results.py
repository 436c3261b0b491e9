"""What the uploaded worksheets add up to, per competency: employer importance (n, mean, sd),
the courses that teach it and their hours, the credentials that cover it; and the gap, what the
job requires that nothing covers, on the page, through the API and as an XLSX report."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cmc.analysis import reports, selectors, services
from cmc.analysis.tests import sheets
from cmc.core.errors import InvalidInput
from cmc.factories import UserFactory, loaded, welding_tree
from cmc.frameworks.services import save_framework_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    owner = UserFactory()
    save_framework_tree(tree=welding_tree(), where="test", actor=owner, visibility="public")
    return owner


@pytest.fixture
def model(owner):
    return loaded("welding")


def keep(model, user, kind, answers, about, name="w.xlsx"):
    data = sheets.xlsx(model, kind, answers, about)
    return services.upload(framework=model, actor=user, kind=kind, name=name, data=data)


def workshop(model, user, *, employers=3):
    """Three employers, two courses, a credential and a gap worksheet."""
    ratings = [
        {"1.1": ["5"], "1.2": ["2"], "2.1": ["4"], "1.1/2": ["5"]},
        {"1.1": ["4"], "1.2": ["3"], "2.1": ["5"]},
        {"1.1": ["3"]},
    ]
    for n, answers in enumerate(ratings[:employers]):
        keep(model, user, "employer", answers, {"Employer": f"Employer {n}"})
    keep(model, user, "curriculum", {"1.1": ["yes", "10"], "2.1": ["no"]}, {"Course": "WLD 101"})
    keep(model, user, "curriculum", {"1.1/1": ["partly", "2"], "1.1/2": ["yes", "3"]},
         {"Course": "WLD 205"})  # fmt: skip
    keep(model, user, "credential", {"1.1/1": ["yes"], "1.2/1": ["yes"]},
         {"Credential": "AWS Certified Welder"})  # fmt: skip
    keep(model, user, "gap", {"1.2": ["yes"], "2.1/1": ["no"]}, {"Employer": "Employer 0"})


def by_ref(results) -> dict:
    return {item.ref: item for item in results.competencies}


def test_results_add_up_per_competency(model, owner):
    workshop(model, owner)
    results = selectors.results_for(framework=model, user=owner)
    assert results.uploads == {"credential": 1, "curriculum": 2, "employer": 3, "gap": 1}
    items = by_ref(results)
    assert list(items) == ["1.1", "1.2", "2.1"]
    teamwork, integrity, reading = items["1.1"], items["1.2"], items["2.1"]
    assert (teamwork.importance.n, teamwork.importance.mean, teamwork.importance.sd) == (
        3,
        4.0,
        1.0,
    )
    assert (integrity.importance.n, integrity.importance.mean) == (2, 2.5)
    assert integrity.importance.sd == pytest.approx(0.7071, abs=1e-4)
    assert [(c.name, c.hours) for c in teamwork.courses] == [("WLD 101", 10.0), ("WLD 205", 5.0)]
    assert teamwork.course_hours == 15.0
    assert [(c.name, c.extent) for c in teamwork.credentials] == [
        ("AWS Certified Welder", "partly")
    ]
    assert [(c.name, c.extent) for c in integrity.credentials] == [
        ("AWS Certified Welder", "fully")
    ]
    assert (reading.courses, reading.credentials) == ([], [])  # WLD 101 says it does not teach it
    assert [(b.ref, b.importance.n, b.importance.mean) for b in teamwork.behaviors] == [
        ("1.1/2", 1, 5.0)
    ]  # the rated key behavior only
    assert [(c.name, c.hours) for c in teamwork.behaviors[0].courses] == [("WLD 205", 3.0)]
    assert teamwork.required_because == [
        "importance 4.0 (n=3)",
        "key behavior 1.1/2: importance 5.0",
    ]
    assert integrity.required_because == ["marked required in 1 gap worksheet"]
    assert reading.required_because == ["importance 4.5 (n=2)"]
    assert [(i.ref, i.required, i.covered, i.gap) for i in results.competencies] == [
        ("1.1", True, True, False), ("1.2", True, True, False), ("2.1", True, False, True)
    ]  # fmt: skip
    assert [item.ref for item in results.gaps] == ["2.1"]
    assert teamwork.covered_by == [
        "WLD 101 (10 hours)",
        "WLD 205 (5 hours)",
        "AWS Certified Welder (partly)",
    ]


def test_the_threshold_decides_what_is_required(model, owner):
    workshop(model, owner)
    results = selectors.results_for(framework=model, user=owner, threshold=4.6)
    items = by_ref(results)
    assert items["1.1"].required_because == ["key behavior 1.1/2: importance 5.0"]
    assert (items["2.1"].required, results.gaps) == (False, [])
    assert selectors.threshold_of("") == selectors.threshold_of(None) == 4.0
    assert selectors.threshold_of(" 3.5 ") == 3.5
    for bad in ("high", "0", "6", "nan"):
        with pytest.raises(InvalidInput) as error:
            selectors.threshold_of(bad)
        assert [str(p) for p in error.value.problems] == [
            f"results, threshold: '{bad}' is not a number from 1 to 5"
        ]


def test_a_course_uploaded_again_counts_once_as_its_latest_upload_says(model, owner):
    workshop(model, owner)
    keep(model, owner, "curriculum", {"2.1": ["yes", "4"]}, {"Course": "wld 101"})
    items = by_ref(selectors.results_for(framework=model, user=owner))
    assert [(c.name, c.hours) for c in items["2.1"].courses] == [("wld 101", 4.0)]
    assert [(c.name, c.hours) for c in items["1.1"].courses] == [("WLD 205", 5.0)]
    assert not items["2.1"].gap


def test_results_are_read_in_a_fixed_number_of_queries(model, owner):
    keep(model, owner, "employer", {"1.1": ["4"]}, {"Employer": "Acme"})
    with CaptureQueriesContext(connection) as one:
        selectors.results_for(framework=model, user=owner)
    workshop(model, owner)
    with CaptureQueriesContext(connection) as many:
        results = selectors.results_for(framework=model, user=owner)
    assert sum(results.uploads.values()) == 8
    assert len(many) == len(one) == 4  # may the user edit; uploads; entries; latest version


def test_results_count_only_the_uploads_a_user_may_see(model, owner):
    workshop(model, owner)
    stranger = UserFactory()
    keep(model, stranger, "employer", {"2.1": ["1"]}, {"Employer": "Elsewhere"})
    keep(model, stranger, "curriculum", {"2.1": ["yes"]}, {"Course": "Their course"})
    mine = by_ref(selectors.results_for(framework=model, user=owner))
    assert (mine["2.1"].importance.n, mine["2.1"].courses, mine["2.1"].gap) == (2, [], True)
    theirs = selectors.results_for(framework=model, user=stranger)
    assert theirs.uploads == {"credential": 0, "curriculum": 1, "employer": 1, "gap": 0}
    assert [c.name for c in by_ref(theirs)["2.1"].courses] == ["Their course"]
    nobody = selectors.results_for(framework=model, user=None)
    assert sum(nobody.uploads.values()) == 0


def test_the_results_page_shows_the_results_and_the_gap(client, model, owner):
    workshop(model, owner)
    client.force_login(owner)
    page = client.get("/frameworks/welding/worksheets/results/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<dd>1 credential, 2 curriculum, 3 employer, 1 gap</dd>" in html
    assert "The gap (1 of 3 competencies)" in html
    assert (
        '<a href="#c-' in html
        and "2.1 Reading</a>: importance 4.5 (n=2); covered by no course and no credential" in html
    )
    assert '<td class="num">3</td>\n<td class="num">4.00</td>\n<td class="num">1.00</td>' in html
    assert '<td>WLD 101 (10 h); WLD 205 (5 h)</td>\n<td class="num">15</td>' in html
    assert "<td>AWS Certified Welder (fully)</td>" in html
    assert 'href="/frameworks/welding/worksheets/results/gap.xlsx?threshold=4"' in html
    higher = client.get("/frameworks/welding/worksheets/results/", {"threshold": "4.6"})
    assert "The gap (0 of 3 competencies)" in higher.content.decode()
    bad = client.get("/frameworks/welding/worksheets/results/", {"threshold": "high"})
    assert bad.status_code == 422
    shown = bad.content.decode()
    assert (
        '<a href="#id_threshold">Threshold: &#x27;high&#x27; is not a number from 1 to 5</a>'
        in shown
    )
    assert 'value="high"' in shown and 'aria-invalid="true"' in shown
    assert "The gap (1 of 3 competencies)" in shown  # at the default meanwhile


def test_the_results_are_linked_from_the_worksheets_and_the_models_page(client, model):
    link = 'href="/frameworks/welding/worksheets/results/"'
    assert link in client.get("/frameworks/welding/worksheets/").content.decode()
    assert link in client.get("/frameworks/welding/").content.decode()
    anonymous = client.get("/frameworks/welding/worksheets/results/").content.decode()
    assert (
        '<dd>0 credential, 0 curriculum, 0 employer, 0 gap (<a href="/accounts/login/' in anonymous
    )


def test_the_api_gives_the_results_and_refuses_a_bad_threshold(client, model, owner):
    workshop(model, owner)
    client.force_login(owner)
    answer = client.get("/api/v1/frameworks/welding/worksheets/results")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["framework"], body["version"], body["threshold"], body["gaps"]) == (
        "welding", "draft", 4.0, ["2.1"]
    )  # fmt: skip
    reading = body["competencies"][2]
    del reading["identifier"]
    assert reading == {
        "ref": "2.1", "name": "Reading", "tier": 2,
        "importance": {"n": 2, "mean": 4.5, "sd": pytest.approx(0.7071, abs=1e-4)},
        "marked_required": 0, "courses": [], "course_hours": None, "credentials": [],
        "required": True, "required_because": ["importance 4.5 (n=2)"], "covered": False,
        "gap": True, "behaviors": [],
    }  # fmt: skip
    teamwork = body["competencies"][0]
    assert teamwork["credentials"] == [{"name": "AWS Certified Welder", "extent": "partly"}]
    assert [b["ref"] for b in teamwork["behaviors"]] == ["1.1/2"]
    bad = client.get("/api/v1/frameworks/welding/worksheets/results", {"threshold": "x"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"where": "results", "field": "threshold", "message": "'x' is not a number from 1 to 5"}
    ]
    report = client.get("/api/v1/frameworks/welding/worksheets/gap-report", {"threshold": "4.6"})
    assert report.status_code == 200
    assert report["Content-Type"] == reports.CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert [row[9] for row in rows[-3:]] == ["no", "no", "no"]


def test_the_gap_report_is_a_workbook_with_a_row_per_competency(client, model, owner):
    workshop(model, owner)
    client.force_login(owner)
    answer = client.get("/frameworks/welding/worksheets/results/gap.xlsx")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="welding-gap-report.xlsx"'
    ws = load_workbook(io.BytesIO(answer.content)).active
    assert ws["A1"].value == "Gap analysis of Welding Model"
    assert ws["A2"].value == "Model: Welding Model (draft)"
    assert ws["A3"].value.startswith("Required: mean employer importance of 4 or more")
    assert ws["A5"].value.startswith(
        "Worksheets read: 1 credential, 2 curriculum, 3 employer, 1 gap;"
    )
    assert ws["A6"].value == "Gaps: 1 of 3 competencies"
    rows = list(ws.iter_rows(min_row=8, values_only=True))
    assert rows == [
        ("Tier", "Ref", "Competency", "Importance (mean)", "n", "Required?", "Why required",
         "Covered by", "Course hours", "Gap"),
        (1, "1.1", "Teamwork", 4, 3, "yes",
         "importance 4.0 (n=3); key behavior 1.1/2: importance 5.0",
         "WLD 101 (10 hours); WLD 205 (5 hours); AWS Certified Welder (partly)", 15, "no"),
        (1, "1.2", "Integrity", 2.5, 2, "yes", "marked required in 1 gap worksheet",
         "AWS Certified Welder", None, "no"),
        (2, "2.1", "Reading", 4.5, 2, "yes", "importance 4.5 (n=2)", None, None, "yes"),
    ]  # fmt: skip
    assert ws.freeze_panes == "A9"
    assert [ws.column_dimensions[c].width for c in "ABCDEFGHIJ"] == [
        6,
        8,
        40,
        12,
        6,
        11,
        40,
        50,
        10,
        8,
    ]
    assert ws["J11"].fill.fgColor.rgb.endswith("FEE2E2")
    bad = client.get("/frameworks/welding/worksheets/results/gap.xlsx", {"threshold": "9"})
    assert (bad.status_code, bad["Location"]) == (
        302, "/frameworks/welding/worksheets/results/?threshold=9"
    )  # fmt: skip


def test_the_report_of_a_model_without_uploads_says_so(model, owner):
    data = reports.gap_xlsx(selectors.results_for(framework=model, user=owner))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A5"].value.startswith("Worksheets read: none;")
    assert [row[9] for row in ws.iter_rows(min_row=9, values_only=True)] == ["no", "no", "no"]


def test_an_upload_kept_before_columns_declared_their_kinds_still_counts(model, owner):
    old = keep(model, owner, "employer", {"1.1": ["4"], "1.2": ["2"]}, {"Employer": "Acme"})
    # As such an upload was kept: its own headings, no kinds, and whatever was written.
    type(old).objects.filter(pk=old.pk).update(
        columns=["Importance (1 low to 5 high)", "Needed at hire or learned on the job", "Notes"],
        column_types=[],
    )
    old.entries.filter(ref="1.1").update(column="Importance (1 low to 5 high)")
    old.entries.filter(ref="1.2").update(column="Importance (1 low to 5 high)", value="banana")
    items = by_ref(selectors.results_for(framework=model, user=owner))
    assert (items["1.1"].importance.n, items["1.1"].importance.mean) == (1, 4.0)
    assert items["1.2"].importance.n == 0  # a value that is no rating is left out


def test_the_command_line_prints_the_results_and_writes_the_gap_report(model, owner, tmp_path):
    from django.core.management import CommandError, call_command

    workshop(model, owner)
    out = io.StringIO()
    report = tmp_path / "gaps.xlsx"
    call_command("worksheet", "welding", "--results", "--gap-report", "-o", str(report),
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "Welding Model (draft)",
        "Worksheets read: 1 credential, 2 curriculum, 3 employer, 1 gap; required at importance 4",
    ]
    assert "  GAP 2.1      Reading: importance 4.50 (n=2), required, covered by nothing" in lines
    assert lines[-1] == "1 gap: 2.1"
    rows = list(load_workbook(report).active.iter_rows(min_row=9, values_only=True))
    assert [row[9] for row in rows] == ["no", "no", "yes"]
    higher = io.StringIO()
    call_command("worksheet", "welding", "--results", "--threshold", "4.6", stdout=higher)
    assert higher.getvalue().splitlines()[-1] == "0 gaps"
    with pytest.raises(CommandError, match="1 problem"):
        call_command("worksheet", "welding", "--results", "--threshold", "high",
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
