import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screenpilot.environments.geometry import (
    ScreenGeometry,
    Size,
    box_to_space,
    check_in_range,
    convert,
    monitor_geometry,
    to_image,
    to_screen,
    to_screen_float,
)
from screenpilot.tools.errors import CoordinateOutOfRange
from screenpilot.tools.points import Box, CoordSpace, Point

sizes = st.integers(min_value=100, max_value=4000)
scales = st.sampled_from([1.0, 1.25, 1.5, 2.0, 3.0])
offsets = st.integers(min_value=-4000, max_value=4000)


@st.composite
def geometries(draw):
    lw, lh, scale = draw(sizes), draw(sizes), draw(scales)
    # the model may see a resized screenshot, not the raw capture
    resize = draw(st.sampled_from([1.0, 0.5, 0.75, 1.0 / scale]))
    image = Size(width=max(1, round(lw * scale * resize)), height=max(1, round(lh * scale * resize)))
    return ScreenGeometry(
        image_size=image,
        logical_size=Size(width=lw, height=lh),
        scale_factor=scale,
        offset_x=draw(offsets),
        offset_y=draw(offsets),
    )


@given(
    geometries(),
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(list(CoordSpace)),
    st.sampled_from(list(CoordSpace)),
)
def test_round_trip_between_any_two_spaces(g, ux, uy, a, b):
    start = convert(
        Point(x=g.offset_x + ux * g.logical_size.width, y=g.offset_y + uy * g.logical_size.height), a, g
    )
    there = convert(start, b, g)
    back = convert(there, a, g)
    assert math.isclose(back.x, start.x, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(back.y, start.y, rel_tol=1e-9, abs_tol=1e-6)


@given(geometries(), st.floats(0, 1000), st.floats(0, 1000))
def test_relative_points_land_inside_the_monitor(g, x, y):
    sx, sy = to_screen(Point(x=x, y=y, space=CoordSpace.REL1000), g)
    assert g.offset_x <= sx <= g.offset_x + g.logical_size.width - 1
    assert g.offset_y <= sy <= g.offset_y + g.logical_size.height - 1


def _far(space: CoordSpace, g: ScreenGeometry) -> tuple[float, float, float, float]:
    """The range of ``space``: (x0, y0, x1, y1), edges included."""
    if space is CoordSpace.REL1000:
        return 0, 0, 1000, 1000
    if space is CoordSpace.REL999:
        return 0, 0, 999, 999
    if space is CoordSpace.IMAGE:
        return 0, 0, g.image_size.width, g.image_size.height
    return g.offset_x, g.offset_y, g.offset_x + g.logical_size.width, g.offset_y + g.logical_size.height


edges = st.sampled_from([0.0, 1.0]) | st.floats(0, 1)


@given(geometries(), st.sampled_from(list(CoordSpace)), edges, edges)
def test_sub_pixel_points_land_inside_the_viewport(g, space, ux, uy):
    """The far edge of any space (1000, the image width...) is the last pixel, not one past it."""
    x0, y0, x1, y1 = _far(space, g)
    sx, sy = to_screen_float(Point(x=x0 + ux * (x1 - x0), y=y0 + uy * (y1 - y0), space=space), g)
    assert g.offset_x <= sx <= g.offset_x + g.logical_size.width - 1
    assert g.offset_y <= sy <= g.offset_y + g.logical_size.height - 1


@given(geometries(), st.floats(1000.001, 1e6) | st.floats(-1e6, -0.001))
def test_out_of_range_is_rejected_not_clamped(g, v):
    with pytest.raises(CoordinateOutOfRange):
        to_screen(Point(x=v, y=500, space=CoordSpace.REL1000), g)
    with pytest.raises(CoordinateOutOfRange):
        check_in_range(Point(x=500, y=v, space=CoordSpace.REL1000), g)


def test_rel999_and_rel1000_differ_by_divisor():
    g = ScreenGeometry.simple(1000, 1000)
    assert to_screen(Point(x=999, y=999, space=CoordSpace.REL999), g) == (999, 999)
    assert to_screen(Point(x=500, y=500, space=CoordSpace.REL1000), g) == (500, 500)
    with pytest.raises(CoordinateOutOfRange):
        to_screen(Point(x=1000, y=10, space=CoordSpace.REL999), g)


def test_hidpi_image_pixels_map_to_logical_pixels():
    g = ScreenGeometry.simple(1280, 800, scale_factor=2.0)
    assert g.image_size == Size(width=2560, height=1600)
    assert to_screen(Point(x=200, y=100, space=CoordSpace.IMAGE), g) == (100, 50)
    assert to_image(Point(x=100, y=50), g) == (200, 100)


def test_two_monitors_with_offsets_one_at_scale_two():
    # A 1920x1080 monitor at the origin and a 3840x2160 (scale 2) monitor to its right,
    # 200 physical pixels lower; the right one's logical origin is (1920, 100) when the
    # platform's input space is logical points.
    left = monitor_geometry(
        physical_left=0, physical_top=0, physical_width=1920, physical_height=1080, scale_factor=1.0
    )
    right = ScreenGeometry(
        image_size=Size(width=3840, height=2160),
        logical_size=Size(width=1920, height=1080),
        scale_factor=2.0,
        offset_x=1920,
        offset_y=100,
    )
    assert to_screen(Point(x=0, y=0, space=CoordSpace.REL1000), left) == (0, 0)
    assert to_screen(Point(x=500, y=500, space=CoordSpace.REL1000), right) == (2880, 640)
    assert to_screen(Point(x=3840, y=2160, space=CoordSpace.IMAGE), right) == (3839, 1179)
    back = convert(Point(x=2880, y=640), CoordSpace.IMAGE, right)
    assert (back.x, back.y) == (1920, 1080)
    with pytest.raises(CoordinateOutOfRange):  # a point of the left monitor
        convert(Point(x=100, y=640), CoordSpace.IMAGE, right)
    scaled = monitor_geometry(
        physical_left=3840, physical_top=200, physical_width=3840, physical_height=2160, scale_factor=2.0
    )
    assert (scaled.offset_x, scaled.offset_y) == (1920, 100)
    assert scaled.logical_size == Size(width=1920, height=1080)


def test_box_conversion():
    g = ScreenGeometry.simple(800, 600, scale_factor=2.0)
    b = box_to_space(Box(x0=10, y0=20, x1=30, y1=40), CoordSpace.IMAGE, g)
    assert (b.x0, b.y0, b.x1, b.y1) == (20, 40, 60, 80)
    assert b.space is CoordSpace.IMAGE
