"""The family-neutral HTTP options, and the Qwen options built on them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from screenpilot.model.http_options import HTTPOptions
from screenpilot.model.qwen.factory import QwenHTTPOptions
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options


def test_server_kind_is_guessed_from_the_endpoint() -> None:
    hosted = HTTPOptions(endpoint="https://dashscope-intl.aliyuncs.com/compatible-mode/v1", model="m")
    assert hosted.server_kind() == "dashscope"
    assert hosted.extra_body() == {"vl_high_resolution_images": True}
    local = HTTPOptions(endpoint="http://127.0.0.1:8000/v1", model="m")
    assert local.server_kind() == "auto" and local.extra_body() == {}
    forced = HTTPOptions(endpoint="http://127.0.0.1:8000/v1", model="m", server="dashscope")
    assert forced.extra_body() == {"vl_high_resolution_images": True}


def test_extras_come_as_json_and_win_over_the_server_defaults() -> None:
    opts = HTTPOptions.model_validate(
        {
            "endpoint": "https://dashscope.aliyuncs.com/v1",
            "model": "m",
            "extras": '{"vl_high_resolution_images": false, "top_k": 1}',
        }
    )
    assert opts.extra_body() == {"vl_high_resolution_images": False, "top_k": 1}
    with pytest.raises(ValidationError, match="extras must be a JSON object"):
        HTTPOptions.model_validate({"endpoint": "http://x/v1", "model": "m", "extras": "{not json"})


def test_backend_config_carries_every_connection_setting() -> None:
    opts = HTTPOptions.model_validate(
        {
            "endpoint": "http://127.0.0.1:8000/v1",
            "model": "served",
            "api_key": "k",
            "timeout_s": "30",
            "connect_timeout_s": "2",
            "retries": "4",
            "image_format": "jpeg",
            "extras": '{"top_k": 1}',
        }
    )
    config = opts.backend_config()
    assert (config.base_url, config.model, config.api_key) == ("http://127.0.0.1:8000/v1", "served", "k")
    assert (config.timeout_s, config.connect_timeout_s, config.retries) == (30.0, 2.0, 4)
    assert config.image_format == "jpeg" and config.extra_body == {"top_k": 1}


def test_qwen_options_accept_the_neutral_options_and_reject_unknown_keys() -> None:
    neutral = set(HTTPOptions.model_fields)
    assert neutral <= set(QwenHTTPOptions.model_fields)
    opts = validate_options(
        QwenHTTPOptions,
        {"endpoint": "http://127.0.0.1:8000/v1", "model": "Qwen/Qwen3-VL-8B-Instruct", "budget": "medium"},
        what="the qwen3vl policy",
    )
    assert opts.backend_config().model == "Qwen/Qwen3-VL-8B-Instruct"
    with pytest.raises(ConfigError, match="bad options for the qwen3vl policy"):
        validate_options(
            QwenHTTPOptions,
            {"endpoint": "http://127.0.0.1:8000/v1", "model": "m", "colour": "blue"},
            what="the qwen3vl policy",
        )
