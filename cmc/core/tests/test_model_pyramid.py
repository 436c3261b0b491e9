"""The model pyramid stays a pyramid at any size: a crowded tier shows its first competencies and
how many more it holds, the picture's size is bounded whatever the model's, and a picture read on
its own carries the model's name, source and version. Checked by parsing the SVG and opening the
PNG."""

import io
import xml.etree.ElementTree as ET

from PIL import Image

from cmc.core.pictures import PyramidBlock, PyramidRow, model_pyramid
from cmc.core.pictures.model_pyramid import PNG_MAX_HEIGHT, _allot, _clip

SVG = "{http://www.w3.org/2000/svg}"


def row(number: int, count: int, name: str = "") -> PyramidRow:
    return PyramidRow(
        number,
        name or f"Tier {number} name",
        "foundational",
        tuple(
            PyramidBlock(f"{number}.{i}", f"Competency {i}", f"/c/{number}.{i}/")
            for i in range(1, count + 1)
        ),
        f"/t/{number}/",
    )


def texts(element) -> list[str]:
    return [" ".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def test_a_crowded_tier_shows_its_first_competencies_and_links_to_the_rest():
    picture = model_pyramid("Big", [row(1, 500), row(2, 3)])
    root = ET.fromstring(str(picture.svg))

    blocks = root.findall(f".//{SVG}a[@class='pyramid-block']")
    [more] = root.findall(f".//{SVG}a[@class='pyramid-more']")
    # Tier 1 holds six blocks a line and gets 23 of the 24 lines; tier 2 one line.
    assert len(blocks) == 23 * 6 - 1 + 3
    assert more.get("href") == "/t/1/"
    assert texts(more) == ["and 363 more"]
    assert more.find(f"{SVG}title").text == "Tier 1: 363 more competencies (500 in all) on its page"
    assert "Tier 1: Tier 1 name 500 competencies" in texts(root)
    assert picture.left_out == 363
    assert root.find(f"{SVG}desc").text.endswith(
        "1.137 Competency 137, and 363 more (500 competencies in all); "
        "Tier 2: Tier 2 name: 2.1 Competency 1, 2.2 Competency 2, 2.3 Competency 3"
    )


def test_a_tier_that_fits_shows_every_competency_and_no_count():
    picture = model_pyramid("Small", [row(1, 12), row(2, 3)])
    root = ET.fromstring(str(picture.svg))

    assert len(root.findall(f".//{SVG}a[@class='pyramid-block']")) == 15
    assert root.findall(f".//{SVG}a[@class='pyramid-more']") == []
    assert picture.left_out == 0
    assert not any("competencies" in text for text in texts(root))


def test_the_picture_is_no_taller_for_ten_times_the_competencies():
    nine_tiers = [row(n, 333) for n in range(1, 10)]
    ten_times = [row(n, 3330) for n in range(1, 10)]

    big, bigger = model_pyramid("Big", nine_tiers), model_pyramid("Bigger", ten_times)

    assert (big.width, big.height) == (bigger.width, bigger.height) == (1000, 1202)
    assert big.left_out == 9 * 333 - 100  # 100 competencies drawn, and one "more" block a tier
    assert big.png_size(2000) == (2000, 2404)


def test_a_model_of_99_tiers_draws_to_a_png_cairo_can_hold():
    picture = model_pyramid("Tall", [row(n, 40) for n in range(1, 100)])

    width, height = picture.png_size(2000)
    assert height == PNG_MAX_HEIGHT and width < 2000
    png = Image.open(io.BytesIO(picture.png(2000)))
    assert png.size == (width, height)


def test_lines_are_shared_out_so_that_the_whole_fits():
    assert _allot([3, 5], 24) == [3, 5]
    assert _allot([84, 1], 24) == [23, 1]
    assert _allot([56] * 9, 24) == [3, 3, 3, 3, 3, 3, 2, 2, 2]
    assert _allot([1] * 30, 24) == [1] * 30  # one line each, whatever the budget


def test_a_name_too_long_for_its_block_ends_in_an_ellipsis():
    assert _clip(["one", "two", "three", "four", "five"], 4) == ["one", "two", "three", "fou…"]
    assert _clip(["one", "two"], 4) == ["one", "two"]

    name = "Very long competency name " * 12
    root = ET.fromstring(str(model_pyramid("Long", [row(1, 0), PyramidRow(2, "T", "", (PyramidBlock("2.1", name, "/x/"),) * 9, "/")]).svg))  # fmt: skip
    lines = [
        [span.text for span in text.iter(f"{SVG}tspan")]
        for text in root.findall(f".//{SVG}a/{SVG}text")
    ]
    assert {len(spans) for spans in lines} == {4}
    assert all(spans[-1].endswith("…") for spans in lines)


def test_a_picture_read_on_its_own_carries_a_caption_band_and_keeps_its_title():
    caption = ("Welding Model", "Source: The welders' guide", "Version 2 of May 1, 2025")
    picture = model_pyramid("Welding Model", [row(1, 3)], caption=caption, links=False)
    root = ET.fromstring(str(picture.svg))

    band = root.find(f"{SVG}g[@class='pyramid-caption']")
    assert texts(band) == list(caption)
    assert band.find(f"{SVG}text").get("font-weight") == "700"
    assert root.find(f"{SVG}title").text == "Welding Model: the competency model pyramid"
    assert root.find(f"{SVG}desc").text == (
        "Tier 1: Tier 1 name: 1.1 Competency 1, 1.2 Competency 2, 1.3 Competency 3"
    )
    plain = model_pyramid("Welding Model", [row(1, 3)], links=False)
    assert picture.height == plain.height + 81
    assert root.findall(f".//{SVG}a") == []


def test_a_marked_block_says_so_in_words_not_colour_alone():
    row = PyramidRow(
        number=1, name="Base", group="foundational", url="/t/1/",
        blocks=(PyramidBlock("1.1", "Reading", "/c/1.1/", mark="covered"),
                PyramidBlock("1.2", "Writing", "/c/1.2/")),
    )  # fmt: skip
    picture = model_pyramid("M", [row])
    assert picture.description == "Tier 1: Base: 1.1 Reading (covered), 1.2 Writing"
    assert "<title>1.1 Reading (tier 1, covered)</title>" in picture.svg
    assert "\u2713 1.1 Reading" in picture.svg
    assert picture.svg.count("pyramid-marked") == 1
