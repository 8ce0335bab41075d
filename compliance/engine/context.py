"""Context that decides whether a cue hit is evidence of the bureau's own work.

The words come from the ruleset's `markers` (YAML, extended by provincial rulesets); this module
only applies them:

- `purpose`: a clause that opens with a purpose (为全面落实三项制度，…) says why, not what was done;
  a cue inside it is not evidence.
- `reference`: a 《title》 right after 按照/根据/贯彻/学习… names a higher-level document the bureau
  follows or studies, not one it made; a cue inside that title is not evidence.
- `done`: inside a problems section, a clause that says something was done (制定了《…》等制度，
  但…仍未落实) is positive for what it names; the admitted gap stays in its own clause.
- `act`: a passage that tells an act — a count, a date, how often, a named document of its own —
  rather than a slogan (严格落实第一责任人职责). A presence check with `act: true` needs one in the
  cue's paragraph (or, for a heading, in its section's body) to reach `met`; `act: sentence` in the
  cue's sentence or the next one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRuleset, Cue

_TITLE = re.compile(r"《[^《》]{1,80}》")
TITLE_WHY = "上级文件的名称，不是本单位的做法"
REFERENCE_REACH = 8
MASK_CACHE_MAX = 20_000  # sentences remembered across the reports of a batch  # a reference word this close before 《 (same clause) makes the title a reference


def blank(norm: str, spans: list[tuple[int, int, str]]) -> str:
    """`norm` with the given spans blanked out (same length, so offsets hold)."""
    for x, y, _ in spans:
        norm = norm[:x] + "，" * (y - x) + norm[y:]
    return norm


def _opens(cue: Cue, text: str) -> bool:
    if cue.regex is not None:
        return cue.regex.match(text) is not None
    return bool(cue.literal) and text.startswith(cue.literal or "")


class Context:
    """The compiled `markers` of one ruleset, applied to normalized sentences."""

    def __init__(self, rs: CompiledRuleset):
        m = rs.markers
        self.purpose: list[Cue] = [rs.cue(c) for c in m.get("purpose", [])]
        self.reference: list[Cue] = [rs.cue(c) for c in m.get("reference", [])]
        self.done: list[Cue] = [rs.cue(c) for c in m.get("done", [])]
        self.act: list[Cue] = [rs.cue(c) for c in m.get("act", [])]
        self._masked: dict[str, list[tuple[int, int, str]]] = {}

    def masked(self, norm: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """(start, end, why) spans of a sentence that are not evidence of the bureau's work."""
        got = self._masked.get(norm)
        if got is not None:
            return got
        out: list[tuple[int, int, str]] = []
        if self.purpose:
            for a, b in clauses:
                if any(_opens(c, norm[a:b]) for c in self.purpose):
                    out.append((a, b, "目的状语（为……），不是已做的工作"))
        if self.reference and "《" in norm:
            titles = []
            for m in _TITLE.finditer(norm):
                ca = max((a for a, b in clauses if a <= m.start()), default=0)
                before = norm[max(ca, m.start() - REFERENCE_REACH):m.start()]
                if before and any(c.search(before) for c in self.reference) and not any(c.search(before) for c in self.done):
                    titles.append((m.start(), m.end(), TITLE_WHY))
            # "按照《…公平竞争审查制度的通知》要求，对28个政策文件进行审查": the title names what the
            # act told in the same sentence was; only a sentence with no act of its own is masked
            if titles and not self.tells_act([blank(norm, out + titles)]):
                out += titles
        if len(self._masked) >= MASK_CACHE_MAX:  # the Context lives as long as its ruleset: keep it bounded
            self._masked.clear()
        self._masked[norm] = out
        return out

    def done_in(self, clause: str) -> str | None:
        """The words of `clause` that say something was done, if any."""
        for c in self.done:
            for x, y in c.finditer(clause):
                return clause[x:y]
        return None

    def tells_act(self, texts: list[str]) -> bool:
        """Whether any of these normalized texts tells an act: a count, date, frequency or own
        document (markers.act), or something said to be done (markers.done: 制定了, 已建立)."""
        return any(c.search(t) for t in texts for c in self.act + self.done)
