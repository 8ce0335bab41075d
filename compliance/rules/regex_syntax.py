"""A small parser for the syntax of cue regexes (Python's `re` dialect), so the engine can read
a cue's structure without the standard library's private `re._parser`.

Three readers use the tree: the evidence pass's pre-filter (strings every match must contain,
`compliance.engine.prefilter`), lint's catastrophic-backtracking check (`rules.cues`), and the
trace's example phrase of a regex (`engine.explain.readable`).

The tree has the shape `re` itself gives a pattern, because those readers were written against
it and their results must not change:

- an alternation whose branches all start with the same simple item has it moved out in front
  (`行政许可|行政处罚` reads as `行政(?:许可|处罚)`);
- an alternation of single characters or classes is a class (`a|b|[cd]` reads as `[abcd]`);
- a class of one character is that character (`[法]`), or `NotLit` when negated (`[^。]`);
- `\\d`, `\\s`, `\\w` (and their negations) are one-item classes; a non-capturing group without
  flags is spliced into its sequence, and a repeat of one is a repeat of its items.

A pattern is checked by `re.compile` before it gets here; what this parser does not read raises
`Unsupported`, and each reader then falls back to a safe answer (no pre-filter, no lint finding,
the pattern as written).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar, Union

INF = -1  # the upper bound of an unbounded repeat (`*`, `+`, `{2,}`)


class Unsupported(ValueError):
    """A pattern (or a part of it) this parser does not read."""


@dataclass(frozen=True)
class Lit:
    ch: str


@dataclass(frozen=True)
class NotLit:
    """`[^x]`: any character but one."""

    ch: str


@dataclass(frozen=True)
class AnyChar:
    """`.`"""


@dataclass(frozen=True)
class Range:
    lo: str
    hi: str


@dataclass(frozen=True)
class Category:
    """`\\d` `\\D` `\\s` `\\S` `\\w` `\\W`, by letter."""

    letter: str


ClassItem = Union[Lit, Range, Category]


@dataclass(frozen=True)
class Class:
    items: tuple[ClassItem, ...]
    negated: bool = False


@dataclass(frozen=True)
class At:
    """An anchor that matches no text: `^ $ \\A \\Z \\b \\B`."""

    what: str


@dataclass(frozen=True)
class Backref:
    group: str


@dataclass(frozen=True, eq=False)
class Group:
    """A capturing group, or one with flags (`(?i:…)`); compared by identity, as `re` does."""

    body: Seq
    ignorecase: bool = False


@dataclass(frozen=True, eq=False)
class Atomic:
    body: Seq


@dataclass(frozen=True, eq=False)
class Branch:
    alts: tuple[Seq, ...]


@dataclass(frozen=True, eq=False)
class Repeat:
    lo: int
    hi: int  # INF: unbounded
    body: Seq
    possessive: bool = False


@dataclass(frozen=True, eq=False)
class Cond:
    """`(?(group)yes|no)`."""

    group: str
    yes: Seq
    no: Seq


@dataclass(frozen=True, eq=False)
class Assert:
    body: Seq
    negative: bool
    behind: bool


Node = Union[Lit, NotLit, AnyChar, Class, At, Backref, Group, Atomic, Branch, Repeat, Assert, Cond]
Seq = tuple[Node, ...]
_N = TypeVar("_N", Group, Atomic, Assert, Cond, "_Plain")

_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_ANCHOR_ESCAPES = {"A", "b", "B", "Z"}
_CATEGORY_LETTERS = set("dDsSwW")
_FLAG_LETTERS = set("aiLmsux")
_HEX = set("0123456789abcdefABCDEF")
_OCT = set("01234567")


@lru_cache(maxsize=4096)
def parse(pattern: str) -> Seq:
    """The tree of `pattern` (immutable, so shared: lint, the pre-filter and traces each read the
    same cues); raises Unsupported for what it does not read."""
    p = _Parser(pattern)
    try:
        seq = p.alternation(top=True)
    except (KeyError, ValueError, IndexError) as exc:  # a bad escape, an unknown \N{name}
        raise Unsupported(str(exc)) from None
    if p.i != len(pattern):
        raise Unsupported(f"unbalanced parenthesis at {p.i}")
    return seq


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.groups = 0  # capturing groups opened so far
        self.names: dict[str, int] = {}
        self.verbose = False  # (?x): whitespace and # comments outside classes are not pattern

    # -- reading

    def peek(self) -> str | None:
        return self.s[self.i] if self.i < len(self.s) else None

    def take(self) -> str:
        if self.i >= len(self.s):
            raise Unsupported("unexpected end of pattern")
        c = self.s[self.i]
        self.i += 1
        return c

    def match(self, c: str) -> bool:
        if self.s.startswith(c, self.i):
            self.i += len(c)
            return True
        return False

    def until(self, end: str) -> str:
        j = self.s.find(end, self.i)
        if j < 0:
            raise Unsupported(f"missing {end}")
        out, self.i = self.s[self.i:j], j + 1
        return out

    # -- structure

    def alternation(self, top: bool = False) -> Seq:
        alts = [self.sequence(first=top)]
        while self.match("|"):
            alts.append(self.sequence())
        if len(alts) == 1:
            return alts[0]
        return _alternation([list(a) for a in alts])

    def sequence(self, first: bool = False) -> Seq:
        out: list[Node | _Plain] = []
        while True:
            c = self.peek()
            if c is None or c in "|)":
                break
            self.i += 1
            if self.verbose and c in " \t\n\r\v\f":
                continue
            if self.verbose and c == "#":
                while self.peek() not in (None, "\n"):
                    self.i += 1
                continue
            if c == "\\":
                out.append(self.escape())
            elif c == "[":
                out.append(self.char_class())
            elif c in "*+?{":
                if not self.repeat(c, out):
                    out.append(Lit(c))
            elif c == ".":
                out.append(AnyChar())
            elif c == "(":
                got = self.group(first and not out)
                if got is not None:
                    out.append(got)
            elif c == "^":
                out.append(At("^"))
            elif c == "$":
                out.append(At("$"))
            else:
                out.append(Lit(c))
        spliced: list[Node] = []  # a non-capturing group without flags is part of its sequence
        for n in out:
            if isinstance(n, _Plain):
                spliced.extend(n.body)
            else:
                spliced.append(n)
        return tuple(spliced)

    def escape(self) -> Node:
        c = self.take()
        if c in _ANCHOR_ESCAPES:
            return At("\\" + c)
        if c in _CATEGORY_LETTERS:
            return Class((Category(c),))
        if c in _SIMPLE_ESCAPES:
            return Lit(_SIMPLE_ESCAPES[c])
        if c == "0":
            digits = self.digits(_OCT, 2)
            return Lit(chr(int("0" + digits, 8)))
        if c.isdigit() and c.isascii():
            num = c
            if (self.peek() or "").isdigit():
                num += self.take()
                if num[0] in _OCT and num[1] in _OCT and (self.peek() or "") in _OCT and self.peek():
                    return Lit(chr(int(num + self.take(), 8)))
            return Backref(num)
        return self.literal_escape(c)

    def literal_escape(self, c: str) -> Lit:
        if c == "x":
            return Lit(chr(int(self.exactly(2, _HEX), 16)))
        if c == "u":
            return Lit(chr(int(self.exactly(4, _HEX), 16)))
        if c == "U":
            return Lit(chr(int(self.exactly(8, _HEX), 16)))
        if c == "N":
            import unicodedata

            if not self.match("{"):
                raise Unsupported("missing {")
            return Lit(unicodedata.lookup(self.until("}")))
        if c.isascii() and c.isalpha():
            raise Unsupported(f"bad escape \\{c}")
        return Lit(c)

    def digits(self, allowed: set[str], n: int) -> str:
        out = ""
        while len(out) < n and (self.peek() or "") in allowed and self.peek():
            out += self.take()
        return out

    def exactly(self, n: int, allowed: set[str]) -> str:
        got = self.digits(allowed, n)
        if len(got) != n:
            raise Unsupported("incomplete escape")
        return got

    def char_class(self) -> Node:
        negated = self.match("^")
        items: list[ClassItem] = []
        while True:
            c = self.take()
            if c == "]" and items:
                break
            item = self.class_escape() if c == "\\" else Lit(c)
            if self.match("-"):
                d = self.take()
                if d == "]":
                    items += [item, Lit("-")]
                    break
                end = self.class_escape() if d == "\\" else Lit(d)
                if not (isinstance(item, Lit) and isinstance(end, Lit)) or end.ch < item.ch:
                    raise Unsupported("bad character range")
                items.append(Range(item.ch, end.ch))
            else:
                items.append(item)
        items = list(dict.fromkeys(items))
        if len(items) == 1 and isinstance(items[0], Lit):
            return NotLit(items[0].ch) if negated else items[0]
        return Class(tuple(items), negated)

    def class_escape(self) -> ClassItem:
        c = self.take()
        if c in _SIMPLE_ESCAPES:
            return Lit(_SIMPLE_ESCAPES[c])
        if c in _CATEGORY_LETTERS:
            return Category(c)
        if c in _OCT:
            return Lit(chr(int(c + self.digits(_OCT, 2), 8)))
        if c.isdigit() and c.isascii():
            raise Unsupported(f"bad escape \\{c}")
        return self.literal_escape(c)

    def repeat(self, c: str, out: list[Node | _Plain]) -> bool:
        """Turn the last item of `out` into a repeat; False when `{` does not start one."""
        if c == "?":
            lo, hi = 0, 1
        elif c == "*":
            lo, hi = 0, INF
        elif c == "+":
            lo, hi = 1, INF
        else:
            if self.peek() == "}":
                return False
            here = self.i
            a = self.digits(set("0123456789"), len(self.s))
            if self.match(","):
                b = self.digits(set("0123456789"), len(self.s))
            else:
                b = a
            if not self.match("}"):
                self.i = here
                return False
            lo = int(a) if a else 0
            hi = int(b) if b else INF
        if not out or isinstance(out[-1], (At, Repeat)):
            raise Unsupported("nothing to repeat")
        item = out[-1]
        body: Seq = item.body if isinstance(item, _Plain) else (item,)
        lazy = self.match("?")
        possessive = not lazy and self.match("+")
        out[-1] = Repeat(lo, hi, body, possessive)
        return True

    def group(self, first: bool) -> Node | _Plain | None:
        if not self.match("?"):
            self.groups += 1
            return self.close(Group(self.alternation()))
        c = self.take()
        if c == ":":
            return self.close(_Plain(self.alternation()))
        if c == "P":
            if self.match("<"):
                self.names[self.until(">")] = self.groups + 1
                self.groups += 1
                return self.close(Group(self.alternation()))
            if self.match("="):
                return Backref(self.until(")"))
            raise Unsupported("unknown extension ?P")
        if c == "#":
            self.until(")")
            return None
        if c in "=!" or (c == "<" and (self.peek() or "") in "=!" and self.peek()):
            behind = c == "<"
            if behind:
                c = self.take()
            return self.close(Assert(self.alternation(), negative=c == "!", behind=behind))
        if c == ">":
            return self.close(Atomic(self.alternation()))
        if c == "(":
            return self.conditional()
        if c in _FLAG_LETTERS or c == "-":
            on = off = ""
            if c == "-":
                off = self.letters()
            else:
                on = c + self.letters()
                if self.match("-"):
                    off = self.letters()
            if self.match(")"):  # global flags: only at the start
                if not first or off:
                    raise Unsupported("global flags not at the start")
                self.verbose = self.verbose or "x" in on
                return None
            if not self.match(":"):
                raise Unsupported("bad flags")
            outer = self.verbose
            self.verbose = (outer or "x" in on) and "x" not in off
            body = self.alternation()
            self.verbose = outer
            return self.close(Group(body, ignorecase="i" in on))
        raise Unsupported(f"unknown extension ?{c}")

    def letters(self) -> str:
        out = ""
        while (self.peek() or "") in _FLAG_LETTERS and self.peek():
            out += self.take()
        return out

    def conditional(self) -> Node:
        """`(?(1)yes|no)`: matches `yes` if group 1 matched, else `no`."""
        group = self.until(")")
        yes = self.sequence()
        no = self.sequence() if self.match("|") else ()
        if self.peek() == "|":
            raise Unsupported("a conditional with more than two branches")
        return self.close(Cond(group, yes, no))

    def close(self, node: _N) -> _N:
        if not self.match(")"):
            raise Unsupported("missing )")
        return node


@dataclass(frozen=True, eq=False)
class _Plain:
    """A non-capturing group without flags, while it is being read (spliced into its sequence)."""

    body: Seq


def _same_leaf(a: Node, b: Node) -> bool:
    """Items an alternation's branches may share as a prefix: simple ones, equal in value."""
    return isinstance(a, (Lit, NotLit, AnyChar, Class, At, Backref)) and a == b


def _alternation(alts: list[list[Node]]) -> Seq:
    prefix: list[Node] = []
    while all(alts) and all(_same_leaf(a[0], alts[0][0]) for a in alts):
        prefix.append(alts[0][0])
        for a in alts:
            del a[0]
    chars: list[ClassItem] = []
    for a in alts:
        if len(a) != 1:
            break
        n = a[0]
        if isinstance(n, Lit):
            chars.append(n)
        elif isinstance(n, Class) and not n.negated:
            chars.extend(n.items)
        else:
            break
    else:
        return (*prefix, Class(tuple(dict.fromkeys(chars))))
    return (*prefix, Branch(tuple(tuple(a) for a in alts)))
