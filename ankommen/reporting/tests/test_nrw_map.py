import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ankommen.regions.tests.factories import MunicipalityFactory
from ankommen.reporting.nrw_map import MapPoint, MapStatus, centre_map

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


POINTS = [
    MapPoint("Köln", 50.94, 6.96, MapStatus.ON_TRACK, "12,5 je 10.000"),
    MapPoint("Bielefeld", 52.02, 8.53, MapStatus.WATCH, "3,1 je 10.000"),
    MapPoint("Aachen <Stadt>", 50.78, 6.08, MapStatus.ACTION, ""),
    MapPoint("Höxter", 51.77, 9.38, "unknown", ""),
]


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def test_map_is_an_accessible_image_without_style_attributes():
    chart = centre_map(POINTS, title="Zentren", backdrop=[(51.0, 7.0)])
    svg = str(chart.svg)
    root = _parse(svg)

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Zentren"
    assert "4" in root.find(f"{SVG}desc").text
    assert "style=" not in svg
    assert "<script" not in svg


def test_status_is_shown_by_shape_and_in_words():
    svg = str(centre_map(POINTS, title="Zentren", backdrop=[]).svg)

    assert "<circle" in svg
    assert "<polygon" in svg
    assert 'stroke-dasharray="2,1.5"' in svg  # the open ring of "no figures"
    for status in (MapStatus.ON_TRACK, MapStatus.WATCH, MapStatus.ACTION):
        assert f"{POINTS[list(MapStatus).index(status)].label.split()[0]}" in svg
    assert "Köln: " in svg


def test_map_table_lists_every_centre_with_status_and_value():
    chart = centre_map(POINTS, title="Zentren", backdrop=[], value_heading="je 10.000")

    assert chart.table.columns[2] == "je 10.000"
    assert [row[0] for row in chart.table.rows] == [point.label for point in POINTS]
    assert chart.table.rows[0][2] == "12,5 je 10.000"
    assert len({row[1] for row in chart.table.rows}) == 4


def test_labels_are_escaped():
    svg = str(centre_map(POINTS, title="<Karte>", backdrop=[]).svg)

    assert "<Stadt>" not in svg
    assert "&lt;Stadt&gt;" in svg
    assert "&lt;Karte&gt;" in svg
    _parse(svg)


def test_backdrop_defaults_to_the_municipalities(db):
    MunicipalityFactory.create_batch(3, latitude=51.5, longitude=7.5)

    svg = str(centre_map(POINTS[:1], title="Zentren").svg)

    assert svg.count('r="2.4"') == 3


def test_point_outside_nrw_widens_the_map_instead_of_falling_off():
    root = _parse(str(centre_map([MapPoint("Weit", 53.5, 10.0, MapStatus.ON_TRACK)], title="x", backdrop=[]).svg))
    _, _, width, height = (float(part) for part in root.get("viewBox").split())
    circle = next(element for element in root.iter(f"{SVG}circle") if element.get("r") == "6.5")

    assert 0 <= float(circle.get("cx")) <= width
    assert 0 <= float(circle.get("cy")) <= height


def test_map_renders_in_the_chart_template():
    html = render_to_string("reporting/_chart.html", {"chart": centre_map(POINTS, title="Zentren", backdrop=[])})

    assert "<figure" in html
    assert "Bielefeld" in html
    assert "<caption" in html
