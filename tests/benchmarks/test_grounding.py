import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.app.cli.main import main
from screenpilot.benchmarks.grounding.dataset import GroundingSample, detect_layout, load_samples
from screenpilot.benchmarks.grounding.evaluate import evaluate_grounder, load_image, observation_of
from screenpilot.benchmarks.grounding.generate import GeneratorConfig, generate
from screenpilot.environments.observation import Observation, image_digest
from screenpilot.tools.errors import ConfigError, ModelOutputError
from screenpilot.tools.points import Box, CoordSpace, Point

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("grounding")
    generate(GeneratorConfig(out=out, seeds=1, miniwob_tasks=("click-button", "click-link"), miniwob_seeds=1))
    return out


class Oracle:
    """Knows every answer (looked up by screenshot content): a perfect grounder, or a wrong one."""

    def __init__(self, samples: list[GroundingSample], *, wrong: bool = False) -> None:
        digests = {path: image_digest(load_image(path)) for path in {s.image for s in samples}}
        self.answers = {(digests[s.image], s.instruction): s for s in samples}
        self.wrong = wrong
        self._last: tuple[object, str] | None = None  # holds the image, so its id is not reused

    def locate(self, observation: Observation, description: str) -> Point | Box:
        shot = observation.screenshot
        if self._last is None or self._last[0] is not shot:
            self._last = (shot, image_digest(shot))
        digest = self._last[1]
        s = self.answers.get((digest, description))
        if s is None:
            raise ModelOutputError("unknown sample")
        x0, y0, x1, y1 = s.box
        if self.wrong:  # just past the box's bottom-right corner
            return Point(x=x1 + 2, y=y1 + 2, space=CoordSpace.IMAGE)
        if s.scale_factor == 2:  # answer in logical screen pixels: the evaluator must convert
            return Point(x=(x0 + x1) / 4, y=(y0 + y1) / 4, space=CoordSpace.SCREEN)
        w, h = observation.geometry.image_size.width, observation.geometry.image_size.height
        return Box(
            x0=x0 / w * 1000, y0=y0 / h * 1000, x1=x1 / w * 1000, y1=y1 / h * 1000, space=CoordSpace.REL1000
        )


def test_generated_samples_cover_pages_types_and_scales(data):
    samples = load_samples(data)
    assert detect_layout(data) == "v2"
    sources = {s.source for s in samples}
    for kind in ("form", "toolbar", "icons", "table", "text"):
        assert f"generated-{kind}" in sources
    assert {"miniwob-click-button", "miniwob-click-link"} <= sources
    assert {s.ui_type for s in samples} == {"text", "icon"}
    assert {s.scale_factor for s in samples} == {1.0, 2.0}
    assert any(any("\u4e00" <= c <= "\u9fff" for c in s.instruction) for s in samples)
    # The same page at DPR 2 has the same targets at twice the coordinates, give or take one
    # CSS pixel: text lines snap to device pixels, so fonts can round differently per scale.
    one = {(s.source, s.instruction): s.box for s in samples if s.scale_factor == 1 and "form" in s.source}
    two = {(s.source, s.instruction): s.box for s in samples if s.scale_factor == 2 and "form" in s.source}
    assert one.keys() == two.keys()
    for k, box in one.items():
        assert two[k] == pytest.approx(tuple(2 * v for v in box), abs=2.0)


def test_perfect_grounder_scores_everything(data):
    samples = load_samples(data)
    report = evaluate_grounder(Oracle(samples), samples, name="oracle")
    assert report.overall.samples == len(samples) > 50
    assert report.overall.accuracy == 1.0 and report.errors == 0
    groups = {g.group: g for g in report.groups}
    assert groups["type=icon"].accuracy == 1.0 and groups["type=text"].accuracy == 1.0
    assert groups["web/icon"].samples + groups["web/text"].samples == len(samples)


def test_wrong_grounder_scores_nothing(data):
    samples = load_samples(data)
    report = evaluate_grounder(Oracle(samples, wrong=True), samples, name="wrong")
    assert report.overall.hits == 0 and report.overall.ci_high < 0.1


def test_screenspot_and_pro_layouts_read_the_same_boxes(data, tmp_path):
    v2 = load_samples(data)[:3]
    items = [
        {"img_filename": s.image.name, "bbox": [s.box[0], s.box[1], s.box[2] - s.box[0], s.box[3] - s.box[1]],
         "instruction": s.instruction, "data_type": s.ui_type, "data_source": "x"}
        for s in v2
    ]  # fmt: skip
    v1 = tmp_path / "v1"
    (v1 / "screenspot_imgs").mkdir(parents=True)
    (v1 / "screenspot_mobile.json").write_text(json.dumps(items))
    pro = tmp_path / "pro"
    (pro / "annotations").mkdir(parents=True)
    (pro / "images").mkdir()
    (pro / "annotations" / "app_windows.json").write_text(
        json.dumps(
            [
                {"img_filename": s.image.name, "bbox": list(s.box), "instruction": s.instruction,
                 "ui_type": s.ui_type, "platform": "windows", "application": "app", "img_size": [1, 1]}
                for s in v2
            ]
        )
    )  # fmt: skip
    for s in v2:
        shutil.copy(s.image, v1 / "screenspot_imgs" / s.image.name)
        shutil.copy(s.image, pro / "images" / s.image.name)
    read_v1, read_pro = load_samples(v1), load_samples(pro)
    for a, b, c in zip(read_v1, read_pro, v2, strict=True):
        assert a.box == pytest.approx(c.box) and b.box == pytest.approx(c.box)
    assert {s.platform for s in read_v1} == {"mobile"} and {s.platform for s in read_pro} == {"windows"}
    assert all(s.image.is_file() for s in read_v1 + read_pro)
    with pytest.raises(ConfigError, match="no ScreenSpot layout"):
        load_samples(tmp_path)


def test_cli_grounding_with_a_registered_grounder(data, tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["bench", "grounding", "--data", str(data), "--grounder", "center", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| overall" in printed and "type=icon" in printed
    report = json.loads(out.read_text())
    assert report["overall"]["samples"] == len(load_samples(data))
    assert report["overall"]["accuracy"] < 0.5  # the centre of the screen is rarely the target


def test_cli_grounding_with_a_grounder_given_as_module_and_factory(data, tmp_path, capsys):
    target = "screenpilot.model.center_grounder:center_from_options"
    assert main(["bench", "grounding", "--data", str(data), "--grounder", target, "--limit", "2"]) == 0
    assert "| overall" in capsys.readouterr().out
    assert main(["bench", "grounding", "--data", str(data), "--grounder", "screenpilot.nope:make"]) == 2
    assert "'screenpilot.nope' does not exist" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("label", "input_kind"),
    [("mobile", "touch"), ("iOS", "touch"), ("web", "pointer"), ("windows", "pointer")],
)
def test_sample_observations_carry_the_input_of_their_label(label, input_kind, tmp_path):
    sample = GroundingSample(
        sample_id="s:0",
        image=tmp_path / "x.png",
        instruction="x",
        box=(0, 0, 1, 1),
        platform=label,
        ui_type="text",
    )
    obs = observation_of(sample, Image.new("RGB", (40, 30)))
    assert (obs.platform, obs.capabilities.input, obs.capabilities.actions) == (
        label,
        input_kind,
        frozenset(),
    )
