"""The forms a secret value takes once a page, a URL or a serializer has handled it.

A password typed into a form comes back as ``pw=K9canary%21`` in the next URL, as
``K9canary&#33;`` in an HTML attribute, as ``K9canary\\u0021`` in a JSON string, or
base64-encoded inside a token. :func:`value_pattern` is a regular expression that matches
the value in any of these forms, mixed character by character (a URL inside JSON inside
HTML still matches):

* every character literally, percent-encoded (UTF-8 bytes, either hex case; a space also
  as ``+``), as an HTML character reference (decimal, hexadecimal or named), or as a JSON
  or JavaScript escape (``\\u00XX``, ``\\"``, ``\\/``);
* the value base64-encoded (standard or URL-safe alphabet) at any of the three byte
  alignments it can have inside a longer encoded text: the part of the encoding that
  depends on the value alone, when that part is at least :data:`MIN_BASE64_CORE` long
  (shorter parts would match random base64 by chance), as it stands (a base64 token is
  rarely escaped again).

Every repeat in the pattern is anchored by literal text, so matching stays linear.
"""

from __future__ import annotations

import base64
import html.entities
import re
from functools import cache

MIN_BASE64_CORE = 8
"""Shortest base64 run (6 bytes of the value) that is treated as the encoded secret."""

_JSON_SHORT = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def value_pattern(value: str) -> str:
    """A regular expression (source) matching ``value`` in every form listed above."""
    forms = ["".join(char_pattern(c) for c in value)]
    forms += [re.escape(core) for core in base64_cores(value)]
    return "(?:" + "|".join(forms) + ")"


@cache
def char_pattern(c: str) -> str:
    """One character in any of its encoded forms."""
    alternatives = [re.escape(c), _percent(c), _html_decimal(c), _html_hex(c), _json_unicode(c)]
    if c == " ":
        alternatives.append(r"\+")
    if c in _JSON_SHORT:
        alternatives.append(re.escape(_JSON_SHORT[c]))
    alternatives += [re.escape("&" + name) for name in _html_names(c)]
    return "(?:" + "|".join(dict.fromkeys(alternatives)) + ")"


def base64_cores(value: str) -> list[str]:
    """The parts of the value's base64 encodings that do not depend on surrounding bytes."""
    data = value.encode("utf-8")
    cores: list[str] = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode("ascii")
        first = -(-shift // 3)  # the first 3-byte group made of the value alone
        last = (shift + len(data)) // 3  # one past the last complete group
        core = encoded[4 * first : 4 * last]
        if len(core) >= MIN_BASE64_CORE:
            cores.append(core)
            urlsafe = core.replace("+", "-").replace("/", "_")
            if urlsafe != core:
                cores.append(urlsafe)
    return cores


def _hex_digit(d: str) -> str:
    return f"[{d.lower()}{d.upper()}]" if d.isalpha() else d


def _hex(text: str) -> str:
    return "".join(_hex_digit(d) for d in text)


def _percent(c: str) -> str:
    return "".join("%" + _hex(f"{b:02X}") for b in c.encode("utf-8"))


def _html_decimal(c: str) -> str:
    return f"&#0*{ord(c)};"


def _html_hex(c: str) -> str:
    return "&#[xX]0*" + _hex(f"{ord(c):X}") + ";"


def _json_unicode(c: str) -> str:
    units = c.encode("utf-16-be")
    return "".join(
        r"\\u" + _hex(f"{int.from_bytes(units[i : i + 2], 'big'):04X}") for i in range(0, len(units), 2)
    )


@cache
def _names_by_char() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for name, text in html.entities.html5.items():
        if len(text) == 1 and name.endswith(";"):
            names.setdefault(text, []).append(name)
    return {k: tuple(v) for k, v in names.items()}


def _html_names(c: str) -> tuple[str, ...]:
    return _names_by_char().get(c, ())
