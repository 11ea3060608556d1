"""Cut an instruction into clauses: quoted text kept whole, sentences, then coordinated verbs.

Quoted text (``"…"``, ``“…”``, ``「…」``, ``『…』``, ``‘…’`` and ``'…'`` between non-letters) is
replaced by numbered tokens before anything else, so a comma, a period or an "and" inside
quotes never splits. Sentences end at ``. ! ?`` followed by a space (not inside numbers such
as ``$56.60`` or ``3.5``) and at ``。！？``. Inside a sentence, "and", "then", commas,
semicolons and the Chinese joiners split only where the next piece starts with a verb, so
"Select A, B and C and click Submit" gives "Select A, B and C" and "click Submit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from screenpilot.model.offline.lexicon import EN_LEAD, ZH_LEAD, starts_with_verb, zh_verb_anywhere

QUOTE_RE = re.compile(
    r"\"([^\"]*)\"|“([^”]*)”|「([^」]*)」|『([^』]*)』|‘([^’]*)’|(?<![\w])'([^']+)'(?![\w])|《([^》]*)》"
)
TOKEN_RE = re.compile(r"\x00(\d+)\x00")
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+|$)|[。！？](?=.)")
_JOINER = re.compile(
    r"\s*(?:,\s*(?:and\s+)?then\b|,\s*and\b|\band\s+then\b|\bthen\b|\band\b|;|,|，|；|然后再|然后|接着|之后|"
    r"随后|并且|并|再)\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Masked:
    """An instruction with its quoted literals replaced by ``\\x00n\\x00`` tokens."""

    text: str
    literals: tuple[str, ...]

    def restore(self, text: str, *, quote: bool) -> str:
        """``text`` with tokens put back (in double quotes when ``quote``)."""

        def sub(m: re.Match[str]) -> str:
            lit = self.literals[int(m.group(1))]
            return f'"{lit}"' if quote else lit

        return TOKEN_RE.sub(sub, text)


def mask(instruction: str) -> Masked:
    """Replace quoted literals by tokens (edge spaces inside quotes are kept)."""
    literals: list[str] = []

    def keep(m: re.Match[str]) -> str:
        literals.append(next(g for g in m.groups() if g is not None))
        return f"\x00{len(literals) - 1}\x00"

    return Masked(QUOTE_RE.sub(keep, instruction.strip()), tuple(literals))


def sentences(masked: str) -> list[str]:
    """Split at sentence ends; a piece with no letters left is dropped."""
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(masked):
        out.append(masked[pos : m.end()])
        pos = m.end()
    out.append(masked[pos:])
    return [s.strip(" .!?。！？") for s in out if re.search(r"\w|\x00", s)]


def clauses(sentence: str) -> list[str]:
    """Split one sentence at joiners that are followed by a verb."""
    pieces: list[str] = []
    pos = 0
    for m in _JOINER.finditer(sentence):
        rest = sentence[m.end() :].lstrip()
        piece = sentence[pos : m.start()].strip()
        if (_SCENE.match(piece) or _ZH_SCENE.match(piece)) and "," not in piece and "，" not in piece:
            continue  # "For the user @x, click …": the prefix belongs to the clause after it
        if not rest.strip() or starts_with_verb(rest) or _zh_clause(m.group(0), rest):
            pieces.append(sentence[pos : m.start()])
            pos = m.end()
    pieces.append(sentence[pos:])
    out = []
    for piece in pieces:
        cleaned = ZH_LEAD.sub("", EN_LEAD.sub("", piece.strip())).strip(" ,，.!。！")
        if cleaned:
            out.append(cleaned)
    return out


_SCENE = re.compile(
    r"^(?:for|using|with|via|in|inside|within|on|regarding)\b(?!.*\b(?:click|type|enter|select|press)\b)",
    re.IGNORECASE,
)
_ZH_SCENE = re.compile(r"^(?:对于|针对|关于)")
_RUN_ON = re.compile(r"(?<=[a-z0-9\x00])\s+(?=(?:hit|press|click|tap)\s+(?:\x00|the\s+|[A-Za-z\"]))")
"""A verb that starts a new clause with no joiner before it ("… of the text hit submit")."""


def _zh_clause(joiner: str, rest: str) -> bool:
    """A Chinese joiner starts a clause when a verb follows within the piece ("密码输入…")."""
    if not re.search(r"[\u4e00-\u9fff]", joiner + rest[:1]):
        return False
    piece = _JOINER.split(rest, maxsplit=1)[0]
    return bool(
        zh_verb_anywhere().search(piece) or re.match(r"^[\u4e00-\u9fffA-Za-z]{1,10}(?:为|是)\S", piece)
    )


def split(instruction: str) -> tuple[Masked, list[str]]:
    """The masked instruction and its clauses, in order."""
    m = mask(instruction)
    parts = [c for s in sentences(m.text) for c in clauses(s)]
    return m, [p for c in parts for p in _run_on(c)]


def _run_on(clause: str) -> list[str]:
    """Split a clause where a second command verb follows with no joiner."""
    if not starts_with_verb(clause):
        return [clause]
    pieces = [p.strip() for p in _RUN_ON.split(clause) if p.strip()]
    return pieces if all(starts_with_verb(p) for p in pieces) else [clause]
