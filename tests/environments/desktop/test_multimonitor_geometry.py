"""Two monitors with offsets, one at scale 2, mapped only through environments.geometry.

Layout (logical input units, as macOS and scaled Wayland/X11 desktops present it):
monitor A is 1920x1080 at (0, 0), scale 1; monitor B is a 4K panel (3840x2160 physical)
at scale 2 to the right of A and 200 units lower, i.e. 1920x1080 logical at (1920, 200).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screenpilot.environments.geometry import (
    ScreenGeometry,
    Size,
    check_in_range,
    convert,
    monitor_geometry,
    to_image,
    to_screen,
)
from screenpilot.tools.errors import CoordinateOutOfRange
from screenpilot.tools.points import CoordSpace, Point

A = monitor_geometry(
    physical_left=0, physical_top=0, physical_width=1920, physical_height=1080, scale_factor=1.0
)
B = monitor_geometry(
    physical_left=3840, physical_top=400, physical_width=3840, physical_height=2160, scale_factor=2.0
)
rel = st.floats(min_value=0, max_value=1000, allow_nan=False)


def test_layout() -> None:
    assert (B.logical_size, B.image_size, B.scale_factor) == (
        Size(width=1920, height=1080),
        Size(width=3840, height=2160),
        2.0,
    )
    assert (B.offset_x, B.offset_y) == (1920, 200)
    assert to_screen(Point(x=0, y=0, space=CoordSpace.REL1000), B) == (1920, 200)
    assert to_screen(Point(x=1000, y=1000, space=CoordSpace.REL1000), B) == (3839, 1279)
    # Image pixel (3840/2, 2160/2) of B's screenshot is the middle of B.
    assert to_screen(Point(x=1920, y=1080, space=CoordSpace.IMAGE), B) == (2880, 740)


@given(rel, rel)
def test_relative_points_land_on_their_own_monitor(x: float, y: float) -> None:
    for g in (A, B):
        sx, sy = to_screen(Point(x=x, y=y, space=CoordSpace.REL1000), g)
        assert g.offset_x <= sx < g.offset_x + g.logical_size.width
        assert g.offset_y <= sy < g.offset_y + g.logical_size.height


@given(rel, rel)
def test_scale_two_monitor_maps_image_pixels_two_to_one(x: float, y: float) -> None:
    p = Point(x=x, y=y, space=CoordSpace.REL1000)
    image = convert(p, CoordSpace.IMAGE, B)
    screen = convert(p, CoordSpace.SCREEN, B)
    assert image.x == pytest.approx((screen.x - 1920) * 2, abs=1e-6)
    assert image.y == pytest.approx((screen.y - 200) * 2, abs=1e-6)
    back = convert(screen, CoordSpace.REL1000, B)
    assert back.x == pytest.approx(x, abs=1e-6) and back.y == pytest.approx(y, abs=1e-6)


@given(st.integers(min_value=1921, max_value=3839), st.integers(min_value=200, max_value=1279))
def test_screen_points_belong_to_exactly_one_monitor(sx: int, sy: int) -> None:
    p = Point(x=sx, y=sy, space=CoordSpace.SCREEN)
    check_in_range(p, B)
    ix, iy = to_image(p, B)
    assert 0 <= ix < 3840 and 0 <= iy < 2160
    with pytest.raises(CoordinateOutOfRange):
        check_in_range(p, A)


@given(st.integers(min_value=640, max_value=3840), st.integers(min_value=360, max_value=2160))
def test_resized_screenshot_keeps_clicks_on_target(w: int, h: int) -> None:
    """A model shown a resized screenshot of B still clicks the same logical spot."""
    resized = B.resized(Size(width=w, height=h))
    centre = Point(x=w / 2, y=h / 2, space=CoordSpace.IMAGE)
    assert to_screen(centre, resized) == to_screen(Point(x=500, y=500, space=CoordSpace.REL1000), B)


def test_points_past_the_range_are_rejected_not_clamped() -> None:
    for bad in (Point(x=1001, y=5, space=CoordSpace.REL1000), Point(x=3841, y=5, space=CoordSpace.IMAGE)):
        with pytest.raises(CoordinateOutOfRange):
            to_screen(bad, B)
    with pytest.raises(CoordinateOutOfRange):
        to_screen(Point(x=100, y=100, space=CoordSpace.SCREEN), B)  # that is monitor A
    assert isinstance(A, ScreenGeometry)
