import pytest
from django.core.management import call_command

from cmc.occupations import reference
from cmc.occupations.models import FrameworkOccupation

pytestmark = pytest.mark.django_db


def test_energy_model_names_its_occupations():
    from cmc.frameworks.reference import load_reference

    load_reference()
    loaded = reference.load()
    assert loaded.summary == "occupations: 17 link(s) of energy-cewd changed, 17 in all"
    codes = list(
        FrameworkOccupation.objects.filter(framework__slug="energy-cewd").values_list(
            "code", "title"
        )[:2]
    )
    assert codes == [
        ("49-9051.00", "Electrical Power-Line Installers and Repairers"),
        ("49-2095.00", "Electrical and Electronics Repairers, Powerhouse, Substation, and Relay"),
    ]
    assert FrameworkOccupation.objects.filter(framework__slug="energy-cewd").count() == 17
    assert reference.load().lines == []


def test_load_open_data_skips_quietly_without_the_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMC_OPEN_DATA", str(tmp_path / "none"))
    call_command("load_open_data", "--quiet")
    assert capsys.readouterr().out == (
        f"No open data folder at {tmp_path / 'none'} (set CMC_OPEN_DATA); occupations not imported\n"
    )
