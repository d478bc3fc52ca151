import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ankommen.reporting.charts import Series, bar_chart, clear_cache, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


MONTHS = [f"{month:02d}/2025" for month in range(1, 13)]


@pytest.fixture(autouse=True)
def _german():
    clear_cache()
    with translation.override("de"):
        yield


def _two_lines(title="Kinder im Verfahren"):
    return line_chart(
        title=title,
        x_labels=MONTHS,
        series=[
            Series("Registriert", [float(month * 2) for month in range(12)]),
            Series("Platziert", [None if month == 3 else month for month in range(12)], display=["< 5"] * 12),
        ],
        y_label="Anzahl",
    )


def test_line_chart_svg_passes_a_strict_csp():
    svg = str(_two_lines().svg)

    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "http://" not in svg.replace("http://www.w3.org/", "")


def test_line_chart_is_an_accessible_image_with_title_and_description():
    root = _parse(str(_two_lines().svg))

    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Kinder im Verfahren"
    assert desc is not None
    assert "Registriert" in (desc.text or "")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


def test_series_differ_by_marker_and_line_style_not_only_colour():
    svg = str(_two_lines().svg)

    dash_patterns = set(re.findall(r'stroke-dasharray="([^"]+)"', svg))
    assert dash_patterns, "the second series is dashed"
    marker_paths = set(re.findall(r'<path id="[^"]+" d="([^"]+)"', svg))
    assert len(marker_paths) >= 2 + 1  # two marker shapes and the tick mark


def test_line_chart_text_stays_text_for_screen_readers_and_search():
    svg = str(_two_lines().svg)

    assert ">12/2025</text>" in svg
    assert ">Registriert</text>" in svg


def test_chart_table_has_every_value_and_the_display_texts():
    chart = _two_lines()

    assert chart.table.columns == ["Zeitraum", "Registriert", "Platziert"]
    assert len(chart.table.rows) == 12
    assert chart.table.rows[3] == ["04/2025", 6.0, "< 5"]
    assert chart.table.rows[0] == ["01/2025", 0.0, "< 5"]


def test_equal_inputs_give_equal_bytes_and_the_cached_chart():
    first = _two_lines()
    clear_cache()
    second = _two_lines()

    assert first.svg == second.svg
    assert _two_lines() is second


def test_ids_are_unique_between_two_charts_on_one_page():
    ids_a = re.findall(r' id="([^"]+)"', str(_two_lines("A").svg))
    ids_b = re.findall(r' id="([^"]+)"', str(_two_lines("B").svg))

    assert len(ids_a) == len(set(ids_a))
    assert not set(ids_a) & set(ids_b)
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', str(_two_lines("A").svg)):
        assert reference in ids_a


def test_titles_and_labels_are_escaped():
    chart = bar_chart(title="<b>&", categories=["<script>x</script>"], series=[Series("a&b", [1])])
    svg = str(chart.svg)

    assert "<script>" not in svg
    assert "<b>" not in svg
    _parse(svg)


def test_bar_chart_uses_hatches_and_shows_hidden_values_as_text():
    chart = bar_chart(
        title="Quartale",
        categories=["Q1", "Q2", "Q3"],
        series=[Series("A", [1, 2, 3]), Series("B", [4, None, 6], display=["", "< 5", ""])],
    )
    svg = str(chart.svg)

    assert "<pattern" in svg  # the second series is hatched
    assert "&lt; 5</text>" in svg
    assert chart.table.rows[1] == ["Q2", 2, "< 5"]


def test_bar_chart_with_many_categories_lies_horizontal_and_keeps_full_names_in_the_table():
    names = [f"Kommunales Integrationszentrum Nummer {number}" for number in range(54)]
    chart = bar_chart(title="Alle Zentren", categories=names, series=[Series("je 10.000", list(range(54)))])

    assert [row[0] for row in chart.table.rows] == names
    root = _parse(str(chart.svg))
    _, _, width, height = (float(part) for part in root.get("viewBox").split())
    assert height > width


def test_empty_chart_says_so():
    chart = line_chart(title="Leer", x_labels=["01/2025"], series=[Series("A", [None])])

    assert "Keine Zahlen" in str(chart.svg) or "No figures" in str(chart.svg)


def test_chart_template_renders_figure_svg_and_data_table():
    html = render_to_string("reporting/_chart.html", {"chart": _two_lines()})

    assert "<figure" in html
    assert "<figcaption" in html
    assert 'role="img"' in html
    assert '<th scope="col" class="kern-table__header">Platziert</th>' in html
    assert '<th scope="row" class="kern-table__header">04/2025</th>' in html
    assert "&lt; 5" in html
    assert "<caption" in html
