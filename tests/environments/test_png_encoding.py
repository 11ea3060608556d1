"""The fast PNG writer is lossless, and a screenshot's encoding is made or received once."""

from __future__ import annotations

import gc
import hashlib
import io
import random
import weakref

import pytest
from PIL import Image

from screenpilot.environments import encoded, png
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation


def noisy(mode: str, size: tuple[int, int], seed: int) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes(mode, size, rng.randbytes(len(Image.new(mode, size).tobytes())))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA", "P", "1", "I;16"])
@pytest.mark.parametrize("size", [(1, 1), (1, 7), (13, 1), (97, 31)])
def test_every_mode_and_size_reads_back_exactly(mode: str, size: tuple[int, int]) -> None:
    image = noisy(mode, size, seed=size[0] * 31 + size[1])
    back = Image.open(io.BytesIO(png.encode_png(image)))
    back.load()
    assert back.mode == image.mode and back.size == image.size
    if mode == "P":  # Pillow may shrink the palette; the colours stay
        back, image = back.convert("RGB"), image.convert("RGB")
    assert back.tobytes() == image.tobytes()


def test_a_user_interface_compresses_like_pillows_encoder() -> None:
    image = Image.new("RGB", (640, 400), (245, 246, 248))
    image.paste((30, 90, 200), (40, 40, 300, 80))
    image.paste(noisy("RGB", (120, 60), seed=3), (400, 300))
    ours = png.encode_png(image)
    pillow = io.BytesIO()
    image.save(pillow, format="PNG", compress_level=1)
    assert Image.open(io.BytesIO(ours)).tobytes() == image.tobytes()
    assert len(ours) < 1.5 * len(pillow.getvalue())


def observation(image: Image.Image) -> Observation:
    return Observation(
        screenshot=image,
        geometry=ScreenGeometry.simple(image.width, image.height),
        capabilities=Capabilities.of_screenshot(),
    )


def counting(monkeypatch: pytest.MonkeyPatch) -> list[Image.Image]:
    calls: list[Image.Image] = []
    real = png.encode_png

    def count(image: Image.Image) -> bytes:
        calls.append(image)
        return real(image)

    monkeypatch.setattr(png, "encode_png", count)
    return calls


def test_a_drivers_bytes_are_the_observations_png(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    source = noisy("RGB", (40, 30), seed=1)
    buf = io.BytesIO()
    source.save(buf, format="PNG", compress_level=9)  # an encoding this project would not make
    driver_bytes = buf.getvalue()
    image = Image.open(io.BytesIO(driver_bytes))
    image.load()
    encoded.remember_png(image, driver_bytes)
    obs = observation(image)
    assert obs.png_bytes() is driver_bytes
    assert obs.digest() == hashlib.sha256(driver_bytes).hexdigest()
    copy = obs.model_copy(update={"notices": ("moved",)})
    assert copy.png_bytes() is driver_bytes
    assert calls == []


def test_other_images_are_encoded_once_and_forgotten_with_the_image(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    obs = observation(noisy("RGB", (40, 30), seed=2))
    first = obs.png_bytes()
    assert obs.png_bytes() is first and encoded.png_of(obs.screenshot) is first
    assert obs.digest() == hashlib.sha256(first).hexdigest()
    assert len(calls) == 1
    other = observation(obs.screenshot.copy())  # same pixels, another object: its own encode
    assert other.png_bytes() == first and len(calls) == 2
    gone = weakref.ref(obs.screenshot)
    calls.clear()  # the counter held the image too
    del obs
    gc.collect()
    assert gone() is None
    kept = other.screenshot.copy()
    encoded.png_of(kept)  # a store purges the entries of collected images
    assert all(entry.ref() is not None for entry in encoded._known.values())
