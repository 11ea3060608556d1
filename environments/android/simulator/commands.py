"""The shell commands the simulated device knows, written after their Android originals."""

from __future__ import annotations

import base64
from collections.abc import Callable

from screenpilot.environments.android.simulator.catalog import APPS
from screenpilot.environments.android.simulator.device import SimDevice
from screenpilot.environments.android.simulator.keycodes import parse_keycode

Out = tuple[bytes, bytes, int]
Command = Callable[[SimDevice, list[str], bytes], Out]
_DUMP_DEFAULT = "/sdcard/window_dump.xml"
_PROPS = {
    "ro.build.version.sdk": "34",
    "ro.build.version.release": "14",
    "ro.product.model": "sdk_gphone64_x86_64",
    "ro.product.manufacturer": "Google",
}


def _ok(text: str = "") -> Out:
    return text.encode(), b"", 0


def _err(text: str, code: int = 1) -> Out:
    return b"", text.encode(), code


def _ints(args: list[str]) -> list[int] | None:
    try:
        return [round(float(a)) for a in args]
    except ValueError:
        return None


def cmd_input(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    args = argv[1:]
    if args and args[0] in ("touchscreen", "keyboard", "mouse", "touchpad", "dpad"):
        args = args[1:]  # an input source; the simulator has a single touchscreen
    if not args:
        return _err("Usage: input [<source>] <command> [<arg>...]\n")
    verb, rest = args[0], args[1:]
    if verb == "tap" and (xy := _ints(rest)) and len(xy) == 2:
        dev.tap(*xy)
        return _ok()
    if verb in ("swipe", "draganddrop") and (v := _ints(rest)) and len(v) in (4, 5):
        dev.swipe(v[0], v[1], v[2], v[3], v[4] if len(v) == 5 else 300)
        return _ok()
    if verb == "text" and rest:
        return _input_text(dev, rest[0])
    if verb in ("keyevent", "keycombination"):
        return _keys(dev, verb, rest)
    return _err(f"Error: Unknown command: {' '.join(args)}\n")


def _input_text(dev: SimDevice, text: str) -> Out:
    # InputShellCommand.sendText: "%s" stands for a space; characters without a key in the
    # virtual keyboard's KeyCharacterMap cannot be injected and are dropped with a warning.
    text = text.replace("%s", " ")
    typable = "".join(c for c in text if 32 <= ord(c) < 127)
    dev.text(typable)
    if typable != text:
        return b"", b"Warning: some characters could not be injected\n", 0
    return _ok()


def _keys(dev: SimDevice, verb: str, rest: list[str]) -> Out:
    longpress = "--longpress" in rest
    codes = [parse_keycode(a) for a in rest if not a.startswith("-")]
    if not codes or any(c is None for c in codes):
        return _err(f"Error: bad key codes: {' '.join(rest)}\n")
    valid = [c for c in codes if c is not None]
    if verb == "keycombination":
        dev.keycombination(valid)
    else:
        for code in valid:
            dev.keyevent(code, longpress=longpress)
    return _ok()


def _option(args: list[str], *names: str) -> str | None:
    for i, a in enumerate(args[:-1]):
        if a in names:
            return args[i + 1]
    return None


def cmd_am(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    sub, args = (argv[1] if len(argv) > 1 else ""), argv[2:]
    if sub in ("start", "start-activity"):
        component = _option(args, "-n")
        if component is None:
            return _err("Error: only explicit components (-n) are simulated\n")
        package = component.partition("/")[0]
        if not dev.launch(package):
            return _err(f"Error: Activity class {{{component}}} does not exist.\n")
        return _ok(f"Starting: Intent {{ cmp={component} }}\n")
    if sub == "broadcast":
        return _broadcast(dev, args)
    if sub == "force-stop":
        return _ok()
    return _err(f"Unknown command: {sub}\n")


def _extras(args: list[str]) -> dict[str, str]:
    """String extras given as ``--es KEY VALUE`` or ``-e KEY VALUE``."""
    out: dict[str, str] = {}
    i = 0
    while i < len(args):
        if args[i] in ("--es", "-e") and i + 2 < len(args):
            out[args[i + 1]] = args[i + 2]
            i += 3
        else:
            i += 1
    return out


def _broadcast(dev: SimDevice, args: list[str]) -> Out:
    action = _option(args, "-a") or ""
    extras = _extras(args)
    head = f"Broadcasting: Intent {{ act={action} flg=0x400000 }}\n"
    if action in ("ADB_INPUT_TEXT", "ADB_INPUT_B64") and dev.config.adb_keyboard and "msg" in extras:
        msg = extras["msg"]
        dev.adb_keyboard_input(base64.b64decode(msg).decode("utf-8") if action == "ADB_INPUT_B64" else msg)
    elif action == "clipper.set" and dev.config.clipper and "text" in extras:
        dev.set_clipboard(extras["text"])
        return _ok(head + 'Broadcast completed: result=-1, data="Text is copied into clipboard."\n')
    return _ok(head + "Broadcast completed: result=0\n")


def cmd_monkey(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    package = _option(argv, "-p")
    if package is None or not dev.launch(package):
        return b"", b"** No activities found to run, monkey aborted.\n", 252
    return _ok(
        "  bash arg: -p\n  bash arg: "
        + package
        + "\nEvents injected: 1\n## Network stats: elapsed time=12ms\n"
    )


def cmd_wm(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    sub = argv[1] if len(argv) > 1 else ""
    if sub == "size":
        return _ok(f"Physical size: {dev.config.width}x{dev.config.height}\n")
    if sub == "density":
        return _ok(f"Physical density: {dev.config.density}\n")
    return _err(f"Unknown command: {sub}\n")


def cmd_dumpsys(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    service = argv[1] if len(argv) > 1 else ""
    rot = dev.state.rotation
    if service == "window":
        return _ok(
            f"WINDOW MANAGER WINDOWS (dumpsys window windows)\n{dev.focus_line()}\n"
            f"  mDisplayRotation=ROTATION_{rot * 90}\n"
        )
    if service == "input":
        w, h = dev.size
        return _ok(
            f"INPUT MANAGER (dumpsys input)\n  Viewport INTERNAL: displayId=0, orientation={rot}, "
            f"deviceWidth={w}, deviceHeight={h}\n    SurfaceOrientation: {rot}\n"
        )
    if service == "display":
        return _ok(f"DISPLAY MANAGER (dumpsys display)\n  mCurrentOrientation={rot}\n  orientation={rot}\n")
    return _ok(f"DUMP OF SERVICE {service}:\n")


def cmd_uiautomator(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    if len(argv) < 2 or argv[1] != "dump":
        return _err("Usage: uiautomator dump [--compressed] [file]\n")
    files = [a for a in argv[2:] if not a.startswith("-")]
    target = files[0] if files else _DUMP_DEFAULT
    xml = dev.dump()
    if target == "/dev/tty":
        return _ok(xml + "UI hierchary dumped to: /dev/tty\n")
    with dev.lock:
        dev.state.files[target] = xml.encode("utf-8")
    return _ok(f"UI hierchary dumped to: {target}\n")


def cmd_screencap(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    png = "-p" in argv[1:]
    data = dev.screencap_png() if png else dev.screencap_raw()
    files = [a for a in argv[1:] if not a.startswith("-")]
    if files:
        with dev.lock:
            dev.state.files[files[0]] = data
        return _ok()
    return data, b"", 0


def cmd_cat(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    out = b""
    for path in argv[1:]:
        data = dev.state.files.get(path)
        if data is None:
            return out, f"cat: {path}: No such file or directory\n".encode(), 1
        out += data
    return out, b"", 0


def cmd_rm(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    for path in (a for a in argv[1:] if not a.startswith("-")):
        dev.state.files.pop(path, None)
    return _ok()


def cmd_ime(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    sub = argv[1] if len(argv) > 1 else ""
    if sub == "list":
        return _ok("".join(f"{i}\n" for i in dev.imes()))
    if sub in ("set", "enable") and len(argv) > 2:
        if sub == "enable" and argv[2] in dev.imes():
            return _ok(f"Input method {argv[2]}: already enabled\n")
        if sub == "set" and dev.set_ime(argv[2]):
            return _ok(f"Input method {argv[2]} selected for user #0\n")
        return _err(f"Unknown input method {argv[2]} cannot be selected for user #0\n")
    return _err("Usage: ime list|set|enable\n")


def cmd_settings(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    if argv[1:4] == ["get", "secure", "default_input_method"]:
        return _ok(dev.state.ime + "\n")
    return _ok("null\n")


def cmd_pm(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    if argv[1:3] == ["list", "packages"]:
        filt = argv[3] if len(argv) > 3 else ""
        return _ok("".join(f"package:{p}\n" for p in dev.packages if filt in p))
    if len(argv) > 2 and argv[1] == "path" and argv[2] in dev.packages:
        return _ok(f"package:/data/app/{argv[2]}/base.apk\n")
    return _err("Error: unknown package or command\n")


def cmd_cmd(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    if argv[1:3] != ["package", "query-activities"]:
        return _err(f"Can't find service: {argv[1] if len(argv) > 1 else ''}\n", 255)
    lines = [f"{len(APPS)} activities found:"]
    for i, app in enumerate(APPS):
        name = app.package + app.activity if app.activity.startswith(".") else app.activity
        label = (
            f"labelRes=0x0 nonLocalizedLabel={app.label}"
            if app.label_in_package_manager
            else ("labelRes=0x7f120001 nonLocalizedLabel=null")
        )
        lines += [
            f"  Activity #{i}:",
            "    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1",
            "    ActivityInfo:",
            f"      name={name}",
            f"      packageName={app.package}",
            "      enabled=true exported=true directBootAware=false",
            f"      {label} icon=0x7f080001",
        ]
    return _ok("\n".join(lines) + "\n")


def cmd_getprop(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    if len(argv) > 1:
        return _ok(_PROPS.get(argv[1], "") + "\n")
    return _ok("".join(f"[{k}]: [{v}]\n" for k, v in _PROPS.items()))


def cmd_echo(dev: SimDevice, argv: list[str], stdin: bytes) -> Out:
    return _ok(" ".join(argv[1:]) + "\n")


COMMANDS: dict[str, Command] = {
    "input": cmd_input,
    "am": cmd_am,
    "monkey": cmd_monkey,
    "wm": cmd_wm,
    "dumpsys": cmd_dumpsys,
    "uiautomator": cmd_uiautomator,
    "screencap": cmd_screencap,
    "cat": cmd_cat,
    "rm": cmd_rm,
    "ime": cmd_ime,
    "settings": cmd_settings,
    "pm": cmd_pm,
    "cmd": cmd_cmd,
    "getprop": cmd_getprop,
    "echo": cmd_echo,
    "true": lambda dev, argv, stdin: _ok(),
    "false": lambda dev, argv, stdin: (b"", b"", 1),
}
