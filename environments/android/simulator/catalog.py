"""The apps installed on the simulated device."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SimApp(BaseModel):
    """One launchable app.

    Attributes:
        package: Package name.
        activity: Launcher activity (relative names start with a dot).
        label: The label shown under the launcher icon.
        label_in_package_manager: Whether ``cmd package query-activities`` reports the label
            as a plain string. Real apps mostly store labels as resources, which the shell
            cannot resolve; those can only be found on the launcher screen.
        color: Icon colour.
    """

    model_config = ConfigDict(frozen=True)

    package: str
    activity: str
    label: str
    label_in_package_manager: bool = True
    color: tuple[int, int, int] = (66, 133, 244)

    @property
    def component(self) -> str:
        return f"{self.package}/{self.activity}"


LAUNCHER = SimApp(package="com.android.launcher3", activity=".Launcher", label="Launcher")
PERMISSION_UI = "com.google.android.permissioncontroller/.GrantPermissionsActivity"
ADB_KEYBOARD = "com.android.adbkeyboard/.AdbIME"
LATIN_IME = "com.android.inputmethod.latin/.LatinIME"
CLIPPER_PACKAGE = "ca.zgrs.clipper"

APPS: tuple[SimApp, ...] = (
    SimApp(package="com.android.settings", activity=".Settings", label="Settings", color=(96, 125, 139)),
    SimApp(
        package="com.example.form",
        activity=".FormActivity",
        label="Form",
        label_in_package_manager=False,
        color=(76, 175, 80),
    ),
    SimApp(package="com.example.camera", activity=".CameraActivity", label="Camera", color=(233, 30, 99)),
    SimApp(package="com.android.deskclock", activity=".DeskClock", label="Clock", color=(255, 152, 0)),
)


def app_by_package(package: str) -> SimApp | None:
    """The installed app with ``package`` (the launcher included)."""
    for app in (*APPS, LAUNCHER):
        if app.package == package:
            return app
    return None
