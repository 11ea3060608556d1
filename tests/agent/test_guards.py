import pytest

from screenpilot.agent.guards import ApprovalGuard, DomainAllowlistGuard, url_allowed
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.tools.actions import Click, KeyPress, Navigate
from screenpilot.tools.errors import ActionRejected
from screenpilot.tools.points import Point


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a", True),
        ("https://app.example.com", True),
        ("http://example.com.evil.org", False),
        ("https://evil.org/?example.com", False),
        ("about:blank", True),
        ("example.com/path", True),
        ("file:///etc/passwd", False),
    ],
)
def test_allowlist_matches_hosts_and_subdomains(url, ok):
    assert url_allowed(url, ["example.com"]) is ok


def test_domain_guard_rejects_with_a_reason():
    env = FakeEnvironment()
    obs = env.reset()
    guard = DomainAllowlistGuard(["example.com"])
    guard.check(Navigate(url="https://example.com"), obs)
    with pytest.raises(ActionRejected, match=r"allowed domains are example\.com"):
        guard.check(Navigate(url="https://evil.org"), obs)


def test_approval_guard_asks_before_irreversible_clicks():
    from screenpilot.environments.fake import AppSpec, Rect, ScreenSpec, Widget

    app = AppSpec(
        screens=(
            ScreenSpec(
                name="s",
                title="t",
                widgets=(
                    Widget(
                        id="del", kind="button", label="Delete account", rect=Rect(x=10, y=100, w=100, h=30)
                    ),
                    Widget(id="ok", kind="button", label="Next", rect=Rect(x=10, y=200, w=100, h=30)),
                ),
            ),
        ),
        start="s",
    )
    from screenpilot.environments.fake import FakeConfig

    env = FakeEnvironment(FakeConfig(app=app))
    obs = env.reset()
    asked = []
    guard = ApprovalGuard(lambda action, why: (asked.append(why), False)[1])
    guard.check(Click(at=Point(x=50, y=215)), obs)
    with pytest.raises(ActionRejected, match="Delete account"):
        guard.check(Click(at=Point(x=50, y=115)), obs)
    assert asked == ["click on 'Delete account'"]
    assert ApprovalGuard(lambda a, w: True).check(Click(at=Point(x=50, y=115)), obs) is None
    with pytest.raises(ActionRejected):
        ApprovalGuard(None).check(KeyPress(keys=("alt", "f4")), obs)
