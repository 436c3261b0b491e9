from decimal import Decimal

import pytest
from django.core.management import call_command

from cmc.core.errors import InvalidInput
from cmc.occupations import selectors
from cmc.occupations.models import Cip, Crosswalk, SocGroup, Wage
from cmc.occupations.services import import_oews, import_soc

from .conftest import OEWS, SOC

pytestmark = pytest.mark.django_db


def test_soc_cip_and_crosswalk_from_the_real_files():
    report = import_soc(directory=SOC)
    assert report.lines() == [
        "SOC 2018, CIP 2020, TOP-CIP-SOC crosswalk: changed",
        "  SOC groups      1447 new, 0 changed, 0 removed, 0 unchanged",
        "  CIP codes       2848 new, 0 changed, 0 removed, 0 unchanged",
        "  crosswalk rows  2220 new, 0 changed, 0 removed, 0 unchanged",
        "  TOP-CIP-SOC crosswalk: 10 repeated row(s) skipped",
    ]
    developers = SocGroup.objects.get(code="15-1252")
    assert (developers.level, developers.title, developers.parent_code) == (
        "detailed",
        "Software Developers",
        "15-1250",
    )
    assert SocGroup.objects.get(code="15-1250").parent_code == "15-1200"
    assert SocGroup.objects.get(code="15-1200").parent_code == "15-0000"
    assert Cip.objects.get(code="01.0101").title == "Agricultural Business and Management, General"
    assert sorted(
        Crosswalk.objects.filter(soc_code="11-9013", cip_code="01.0102").values_list(
            "top_code", flat=True
        )
    ) == ["0101.00", "0112.00"]
    assert (
        import_soc(directory=SOC).lines()[0]
        == "SOC 2018, CIP 2020, TOP-CIP-SOC crosswalk: unchanged"
    )


def test_oews_national_wages_from_the_real_file():
    report = import_oews(path=OEWS)
    assert report.lines() == [
        "BLS OEWS May 2025: changed",
        "  wages  830 new, 0 changed, 0 removed, 0 unchanged",
    ]
    wages = selectors.wages_of("15-1252.00")
    assert (wages.year, wages.area, wages.employment, wages.annual_median, wages.hourly_median) == (
        2025,
        "U.S.",
        1687890,
        135980,
        Decimal("65.38"),
    )
    actors = selectors.wages_of("27-2011")
    assert (actors.hourly_only, actors.annual_median, actors.hourly_median) == (
        True,
        None,
        Decimal("29.05"),
    )


def _oews_copy(tmp_path, change) -> object:
    lines = OEWS.read_text().splitlines(True)
    path = tmp_path / "national_M2025.csv"
    path.write_text("".join(change(lines)))
    return path


def test_oews_top_coded_and_missing_values(tmp_path):
    def change(lines):
        lines[1] = (
            lines[1]
            .replace(",507730,", ",#,")
            .replace(",244.10,", ",#,")
            .replace(",269630,", ",*,")
        )
        return lines[:2]

    import_oews(path=_oews_copy(tmp_path, change))
    chief = selectors.wages_of("11-1011")
    assert (chief.annual_p90, chief.hourly_p90, chief.annual_mean) == (
        239200,
        Decimal("115.00"),
        None,
    )
    assert chief.top_coded == ("hourly_p90", "annual_p90")


def test_oews_reimport_finds_nothing_changed_then_the_one_wage_changed(tmp_path):
    def top_coded(lines):
        lines[1] = lines[1].replace(",507730,", ",#,").replace(",244.10,", ",#,")
        return lines

    path = _oews_copy(tmp_path, top_coded)
    import_oews(path=path)
    # Decimals, whole dollars, truth values and the top-coded list all read back as equal.
    assert (
        import_oews(path=path).lines()[1] == "  wages  0 new, 0 changed, 0 removed, 830 unchanged"
    )
    path.write_text(path.read_text().replace(",65.38,", ",65.39,", 1))
    assert (
        import_oews(path=path).lines()[1] == "  wages  0 new, 1 changed, 0 removed, 829 unchanged"
    )
    assert selectors.wages_of("15-1252.00").hourly_median == Decimal("65.39")


def test_oews_bad_code_named_and_nothing_written(tmp_path):
    def change(lines):
        lines[3] = lines[3].replace("11-", "11.", 1)
        return lines

    with pytest.raises(InvalidInput) as raised:
        import_oews(path=_oews_copy(tmp_path, change))
    assert [str(p) for p in raised.value.problems] == [
        "national_M2025.csv, line 4, OCC_CODE: '11.2011' is not a SOC code like 29-1141"
    ]
    assert Wage.objects.count() == 0


def test_oews_wrong_kind_of_file(tmp_path):
    with pytest.raises(InvalidInput) as raised:
        import_oews(path=SOC / "CIPCode2020.csv", year=2025)
    assert str(raised.value.problems[0]).startswith(
        "CIPCode2020.csv, line 1, file: is not a BLS OEWS estimates file: its header lacks the "
        "column(s) OCC_CODE, OCC_TITLE, TOT_EMP"
    )


def test_oews_command(capsys):
    call_command("import_oews", str(OEWS), "--quiet")
    assert capsys.readouterr().out.splitlines()[0] == "BLS OEWS May 2025: changed"
    call_command("import_oews", str(OEWS), "--quiet", "--if-changed")
    assert capsys.readouterr().out.splitlines() == [
        "BLS OEWS May 2025: the files are unchanged since the last import; skipped"
    ]
