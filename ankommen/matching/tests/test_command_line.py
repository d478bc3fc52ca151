import csv
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]

CHILDREN = """child_id,family_id,grade,lat,lon,school_forms,max_km
a,f1,2,50.94,6.96,,
b,f1,3,50.94,6.96,Grundschule,
c,f2,7,50.95,6.96,Gymnasium|Gesamtschule,30
d,f3,2,50.94,6.96,,1
"""
SEATS = """school_id,school_form,grade,seats,lat,lon
G1,Grundschule,2,1,50.945,6.96
G1,Grundschule,3,1,50.945,6.96
GY,Gymnasium,7,2,51.0,6.96
"""


def run(tmp_path, children=CHILDREN, seats=SEATS):
    (tmp_path / "children.csv").write_text(children, encoding="utf-8")
    (tmp_path / "seats.csv").write_text(seats, encoding="utf-8")
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "ankommen.matching.placement",
            "--children",
            str(tmp_path / "children.csv"),
            "--seats",
            str(tmp_path / "seats.csv"),
            "--out",
            str(tmp_path / "placements.csv"),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_line_writes_one_row_per_child_with_the_agreed_columns(tmp_path):
    finished = run(tmp_path)
    assert finished.returncode == 0, finished.stderr
    with (tmp_path / "placements.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["child_id", "school_id", "distance_km", "reason"]
    assert [row["child_id"] for row in rows] == ["a", "b", "c", "d"]
    by_child = {row["child_id"]: row for row in rows}
    assert by_child["a"]["school_id"] == by_child["b"]["school_id"] == "G1"
    assert by_child["a"]["distance_km"] == "0.556"
    assert by_child["a"]["reason"] == "nearest"
    assert by_child["c"]["school_id"] == "GY"
    assert by_child["d"]["school_id"] == ""
    assert by_child["d"]["distance_km"] == ""
    assert by_child["d"]["reason"] == "all_within_max_km_full schools=1;max_km=1"
    assert "placed 3 of 4, families split 0" in finished.stderr
    assert "p95" in finished.stderr
    assert "time" in finished.stderr


def test_command_line_rejects_bad_rows_with_exit_status_two_and_writes_nothing(tmp_path):
    children = CHILDREN + "e,f4,15,50.94,6.96,,\nf,f5,2,50.94,6.96,Waldorf,\nb,f6,2,48.0,2.0,,\ng,f7,x,50.9,6.9,,\n"
    seats = SEATS + "G2,Grundschule,2,-3,50.9,6.9\n"
    finished = run(tmp_path, children, seats)
    assert finished.returncode == 2
    assert not (tmp_path / "placements.csv").exists()
    assert list(tmp_path.glob(".placements.csv.*")) == []
    errors = finished.stderr.splitlines()
    assert "error: children row 6, grade: unknown_grade ('15')" in errors
    assert "error: children row 7, school_forms: unknown_school_form ('Waldorf')" in errors
    assert "error: children row 8, child_id: duplicate_child_id ('b (first in row 3)')" in errors
    assert "error: children row 8, lon: outside_germany ('2.0')" in errors
    assert "error: children row 9, grade: not_a_number ('x')" in errors
    assert "error: seats row 5, seats: negative_seats ('-3')" in errors
    assert len(errors) == 6


def test_matching_package_imports_without_django():
    script = (
        "import sys, ankommen.matching, ankommen.matching.placement, ankommen.matching.baselines; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))"
    )
    finished = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False
    )
    assert finished.returncode == 0, finished.stderr


def test_an_optional_column_names_the_schools_that_declined_a_child(tmp_path):
    children = "child_id,family_id,grade,lat,lon,school_forms,max_km,excluded_schools\na,f1,2,50.94,6.96,,,G1|X9\n"
    seats = SEATS + "G2,Grundschule,2,1,50.95,6.96\n"
    finished = run(tmp_path, children=children, seats=seats)
    assert finished.returncode == 0, finished.stderr
    with (tmp_path / "placements.csv").open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["school_id"] == "G2"
    assert row["reason"].startswith("nearer_unavailable G1:declined_before:0.56km")
