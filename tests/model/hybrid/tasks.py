"""A task set for the hybrid policy: 24 tasks on 6 local pages, easy and hard phrasings mixed.

Each task is a few parts; each part is a phrase of the task's text and the operations that
fulfil it, each with a check on the page's ground truth (``window.state`` and the elements
marked ``data-t``). The scripted model (:mod:`tests.model.hybrid.oracle`) carries out the
parts named in the instruction it is given; success is every operation's check holding on
the final page. Easy phrases follow the offline interpreter's templates (quoted targets);
hard ones are paraphrases, or name targets only by how they look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Truth = dict[str, Any]
Check = Callable[[Truth], bool]


@dataclass(frozen=True)
class Op:
    """One operation: ``type`` text into, ``check`` / ``uncheck``, ``click`` or press ``key``."""

    kind: Literal["type", "check", "click", "key"]
    target: str = ""
    value: Any = None
    done_when: Check | None = None

    def done(self, t: Truth) -> bool:
        if self.done_when is not None:
            return self.done_when(t)
        el = t["els"].get(self.target, {})
        if self.kind == "type":
            return bool(el.get("value") == self.value)
        if self.kind == "check":
            return bool(el.get("checked") == self.value)
        return False


@dataclass(frozen=True)
class Part:
    phrase: str
    ops: tuple[Op, ...]


@dataclass(frozen=True)
class HybridTask:
    id: str
    page: str
    parts: tuple[Part, ...]
    joiners: tuple[str, ...] = ()
    kind: str = "easy"
    end: str = "."
    extra: tuple[Op, ...] = field(default=())

    @property
    def text(self) -> str:
        joiners = self.joiners or (", then ",) * (len(self.parts) - 1)
        out = self.parts[0].phrase
        for joiner, part in zip(joiners, self.parts[1:], strict=True):
            out += joiner + part.phrase
        return out + self.end

    def success(self, t: Truth) -> bool:
        return all(op.done(t) for part in self.parts for op in part.ops)


def state(key: str, want: Any = True) -> Check:
    return lambda t: t["state"].get(key) == want


def has(key: str, item: str) -> Check:
    return lambda t: item in (t["state"].get(key) or [])


def note(text: str) -> Check:
    return lambda t: text in t["state"].get("notes", [])


T: Final = "type"
C: Final = "check"
K: Final = "key"
X: Final = "click"

TASKS: tuple[HybridTask, ...] = (
    # -- form.html ---------------------------------------------------------------------------
    HybridTask(
        "form-easy",
        "form.html",
        (
            Part('Type "alice" into the Username field', (Op(T, "user", "alice"),)),
            Part('type "hunter2" into the Password field', (Op(T, "pw", "hunter2"),)),
            Part('click "Sign in"', (Op(X, "signin", done_when=state("signedIn")),)),
        ),
    ),
    HybridTask(
        "form-hard",
        "form.html",
        (
            Part(
                "Log me in as alice, password hunter2",
                (
                    Op(T, "user", "alice"),
                    Op(T, "pw", "hunter2"),
                    Op(X, "signin", done_when=state("signedIn")),
                ),
            ),
        ),
        kind="hard",
    ),
    HybridTask(
        "form-mixed",
        "form.html",
        (
            Part('Type "alice" into the Username field', (Op(T, "user", "alice"),)),
            Part(
                "Put hunter2 in as the password and sign in",
                (
                    Op(T, "pw", "hunter2"),
                    Op(X, "signin", done_when=state("signedIn")),
                ),
            ),
        ),
        joiners=(". ",),
        kind="mixed",
    ),
    HybridTask(
        "form-remember",
        "form.html",
        (
            Part('Check "Remember me"', (Op(C, "remember", True),)),
            Part('click "Sign in"', (Op(X, "signin", done_when=state("submitted")),)),
        ),
    ),
    # -- settings.html -----------------------------------------------------------------------
    HybridTask(
        "settings-easy",
        "settings.html",
        (
            Part('Check "Dark mode"', (Op(C, "dark", True),)),
            Part(
                'click "Save settings"',
                (Op(X, "save", done_when=lambda t: (t["state"].get("saved") or {}).get("dark") is True),),
            ),
        ),
    ),
    HybridTask(
        "settings-hard",
        "settings.html",
        (
            Part(
                "Turn on dark mode and switch off email notifications",
                (Op(C, "dark", True), Op(C, "email", False)),
            ),
            Part(
                "save",
                (
                    Op(
                        X,
                        "save",
                        done_when=lambda t: (
                            (t["state"].get("saved") or {}) == {"dark": True, "email": False, "news": False}
                        ),
                    ),
                ),
            ),
        ),
        kind="hard",
    ),
    HybridTask(
        "settings-uncheck",
        "settings.html",
        (
            Part('Uncheck "Email notifications"', (Op(C, "email", False),)),
            Part(
                'click "Save settings"',
                (Op(X, "save", done_when=lambda t: (t["state"].get("saved") or {}).get("email") is False),),
            ),
        ),
    ),
    HybridTask(
        "settings-mixed",
        "settings.html",
        (
            Part('Check "Newsletter"', (Op(C, "news", True),)),
            Part("Make sure dark mode is enabled too", (Op(C, "dark", True),)),
            Part(
                'click "Save settings"',
                (
                    Op(
                        X,
                        "save",
                        done_when=lambda t: (
                            (t["state"].get("saved") or {}).get("news") is True
                            and (t["state"].get("saved") or {}).get("dark") is True
                        ),
                    ),
                ),
            ),
        ),
        joiners=(". ", ". Then "),
        kind="mixed",
    ),
    # -- shop.html ---------------------------------------------------------------------------
    HybridTask(
        "shop-first",
        "shop.html",
        (Part('Click "Add to cart"', (Op(X, "add_mug", done_when=has("items", "mug")),)),),
    ),
    HybridTask(
        "shop-hard",
        "shop.html",
        (Part("Put the red kettle in my basket", (Op(X, "add_kettle", done_when=has("items", "kettle")),)),),
        kind="hard",
    ),
    HybridTask(
        "shop-icon",
        "shop.html",
        (
            Part(
                "Open the cart using the trolley icon in the top right corner",
                (Op(X, "cart", done_when=state("cartOpened")),),
            ),
        ),
        kind="visual",
    ),
    HybridTask(
        "shop-checkout",
        "shop.html",
        (Part('Click "Checkout"', (Op(X, "checkout", done_when=state("checkout")),)),),
    ),
    # -- search.html -------------------------------------------------------------------------
    HybridTask(
        "search-enter",
        "search.html",
        (
            Part('Type "qwen" into "Search articles"', (Op(T, "q", "qwen"),)),
            Part("press Enter", (Op(K, "q", ["enter"], done_when=state("searched", "qwen")),)),
        ),
    ),
    HybridTask(
        "search-open",
        "search.html",
        (
            Part('Type "qwen" into "Search articles"', (Op(T, "q", "qwen"),)),
            Part('click "Go"', (Op(X, "go", done_when=state("searched", "qwen")),)),
            Part(
                'click "Qwen3-VL released"',
                (Op(X, "result0", done_when=state("opened", "Qwen3-VL released")),),
            ),
        ),
    ),
    HybridTask(
        "search-hard",
        "search.html",
        (
            Part(
                "Look up articles about qwen and open the first result",
                (
                    Op(
                        T,
                        "q",
                        "qwen",
                        done_when=lambda t: (
                            t["state"].get("searched") == "qwen" or t["els"]["q"]["value"] == "qwen"
                        ),
                    ),
                    Op(K, "q", ["enter"], done_when=state("searched", "qwen")),
                    Op(X, "result0", done_when=state("opened", "Qwen3-VL released")),
                ),
            ),
        ),
        kind="hard",
    ),
    HybridTask(
        "search-mixed",
        "search.html",
        (
            Part('Type "vision" into "Search articles"', (Op(T, "q", "vision"),)),
            Part("press Enter", (Op(K, "q", ["enter"], done_when=state("searched", "vision")),)),
            Part(
                "Open whichever result is about grounding",
                (Op(X, "result1", done_when=state("opened", "Grounding clicks in screenshots")),),
            ),
        ),
        joiners=(" and ", ". "),
        kind="mixed",
    ),
    # -- shapes.html -------------------------------------------------------------------------
    HybridTask(
        "shapes-circle",
        "shapes.html",
        (Part("Click the red circle", (Op(X, "circle", done_when=has("picked", "circle")),)),),
        kind="visual",
    ),
    HybridTask(
        "shapes-square-done",
        "shapes.html",
        (
            Part("Click the blue square", (Op(X, "square", done_when=has("picked", "square")),)),
            Part('click "Done"', (Op(X, "done", done_when=state("done")),)),
        ),
        kind="visual",
    ),
    HybridTask(
        "shapes-start-triangle",
        "shapes.html",
        (
            Part('Click "Start"', (Op(X, "start", done_when=state("started")),)),
            Part("click the green triangle", (Op(X, "triangle", done_when=has("picked", "triangle")),)),
        ),
        joiners=(". Then ",),
        kind="mixed",
    ),
    # -- notes.html --------------------------------------------------------------------------
    HybridTask(
        "notes-easy",
        "notes.html",
        (
            Part(
                'Type "buy milk" into the Note field',
                (
                    Op(
                        T,
                        "note",
                        "buy milk",
                        done_when=lambda t: (
                            t["els"]["note"]["value"] == "buy milk" or "buy milk" in t["state"]["notes"]
                        ),
                    ),
                ),
            ),
            Part('click "Add note"', (Op(X, "add", done_when=note("buy milk")),)),
        ),
    ),
    HybridTask(
        "notes-hard",
        "notes.html",
        (
            Part(
                "Jot down a note saying call mom",
                (
                    Op(
                        T,
                        "note",
                        "call mom",
                        done_when=lambda t: (
                            t["els"]["note"]["value"] == "call mom" or "call mom" in t["state"]["notes"]
                        ),
                    ),
                    Op(X, "add", done_when=note("call mom")),
                ),
            ),
        ),
        kind="hard",
    ),
    HybridTask(
        "notes-mixed",
        "notes.html",
        (
            Part(
                'Type "water plants" into the Note field',
                (
                    Op(
                        T,
                        "note",
                        "water plants",
                        done_when=lambda t: (
                            t["els"]["note"]["value"] == "water plants"
                            or "water plants" in t["state"]["notes"]
                        ),
                    ),
                ),
            ),
            Part("save it to the list", (Op(X, "add", done_when=note("water plants")),)),
        ),
        joiners=(". Then ",),
        kind="mixed",
    ),
    HybridTask(
        "notes-chinese",
        "notes.html",
        (
            Part(
                '在"Note"输入"买牛奶"',
                (
                    Op(
                        T,
                        "note",
                        "买牛奶",
                        done_when=lambda t: (
                            t["els"]["note"]["value"] == "买牛奶" or "买牛奶" in t["state"]["notes"]
                        ),
                    ),
                ),
            ),
            Part('点击"Add note"', (Op(X, "add", done_when=note("买牛奶")),)),
        ),
        joiners=("，然后",),
        end="。",
    ),
    HybridTask(
        "notes-clear",
        "notes.html",
        (Part('Click "Clear all"', (Op(X, "clear", done_when=lambda t: t["state"]["notes"] == []),)),),
    ),
)
