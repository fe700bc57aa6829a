"""The ``relevant`` column of an XLSForm: a small grammar of our own, and its translation to
a template's ``show_if``.

We do not evaluate XPath. An expression is parsed by the grammar below; anything outside it
is an error the author can act on, never a guess:

    expression := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not" "(" expression ")" | atom
    atom       := "(" expression ")" | "selected" "(" ref "," literal ")"
                | operand ("=" | "!=" | "<" | "<=" | ">" | ">=") operand
    operand    := ref | literal | number          ref := "${" name "}"

A checklist item can show only while *one* earlier item's answer is one of some values
(core/template_model.Condition), so only ``${x} = 'v'``, ``selected(${x}, 'v')`` and an
``or`` of those about the same item translate; ``and``, ``not``, ``!=`` and ``<`` parse but
are refused with a reason, because the checklist could not honour them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{(?P<refname>[^}]*)\})
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op><=|>=|!=|=|<|>)
    | (?P<punct>[(),])
    | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    | (?P<bad>\S)
    )""", re.VERBOSE)


class RelevantError(ValueError):
    """An expression outside the grammar or outside what a checklist can honour."""

    def __init__(self, thai: str, english: str):
        super().__init__(english)
        self.thai, self.english = thai, english


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Literal:
    value: str


@dataclass(frozen=True)
class Compare:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Selected:
    ref: Ref
    value: Literal


@dataclass(frozen=True)
class Either:
    """``a or b or …``"""
    parts: tuple


@dataclass(frozen=True)
class Both:
    """``a and b and …``"""
    parts: tuple


@dataclass(frozen=True)
class Negation:
    inner: object


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:        # trailing blanks
            continue
        if kind == "refname":
            kind = "ref"
        if kind == "bad":
            char = match.group("bad")
            raise RelevantError(f"มีอักขระที่ไม่รู้จัก {char!r} ในเงื่อนไข",
                                f"unexpected character {char!r} in the condition")
        if kind == "ref":
            out.append(("ref", match.group("refname").strip()))
        elif kind == "string":
            out.append(("string", match.group("string")[1:-1]))
        else:
            out.append((kind, match.group(kind)))
    return out


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            want = repr(value) if value else {"ref": "${name}", "string": "'text'"}.get(kind, kind)
            got = "the end" if token is None else repr(token[1])
            raise RelevantError(f"ต้องมี {want} แต่พบ {got if token else 'จุดสิ้นสุด'}",
                                f"expected {want} but found {got}")
        self.pos += 1
        return token[1]

    def at_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1] == word

    def expression(self):
        parts = [self.conjunction()]
        while self.at_word("or"):
            self.pos += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Either(tuple(parts))

    def conjunction(self):
        parts = [self.unary()]
        while self.at_word("and"):
            self.pos += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Both(tuple(parts))

    def unary(self):
        if self.at_word("not"):
            self.pos += 1
            self.take("punct", "(")
            inner = self.expression()
            self.take("punct", ")")
            return Negation(inner)
        return self.atom()

    def atom(self):
        token = self.peek()
        if token == ("punct", "("):
            self.pos += 1
            inner = self.expression()
            self.take("punct", ")")
            return inner
        if token == ("word", "selected"):
            self.pos += 1
            self.take("punct", "(")
            ref = Ref(self.take("ref"))
            self.take("punct", ",")
            value = Literal(self.take("string"))
            self.take("punct", ")")
            return Selected(ref, value)
        left = self.operand()
        token = self.peek()
        if token is None or token[0] != "op":
            got = "the end" if token is None else repr(token[1])
            raise RelevantError(f"ต้องมีตัวเปรียบเทียบ (= != < <= > >=) แต่พบ "
                                f"{got if token else 'จุดสิ้นสุด'}",
                                f"expected a comparison (= != < <= > >=) but found {got}")
        self.pos += 1
        return Compare(token[1], left, self.operand())

    def operand(self):
        token = self.peek()
        if token is not None and token[0] == "ref":
            self.pos += 1
            return Ref(token[1])
        if token is not None and token[0] in ("string", "number"):
            self.pos += 1
            return Literal(token[1])
        if token is not None and token[0] == "word":
            raise RelevantError(f"ไม่รองรับ {token[1]!r} (รองรับเฉพาะ selected(), and, or, "
                                "not และการเปรียบเทียบ)",
                                f"{token[1]!r} is not supported (only comparisons, selected(), "
                                "and, or, not)")
        got = "the end" if token is None else repr(token[1])
        raise RelevantError(f"ต้องมี ${{name}} หรือ 'ค่า' แต่พบ {got if token else 'จุดสิ้นสุด'}",
                            f"expected ${{name}} or a 'value' but found {got}")


def parse_relevant(text: str):
    """The expression tree of ``text``; RelevantError when it is outside the grammar."""
    parser = _Parser(text)
    if parser.peek() is None:
        raise RelevantError("เงื่อนไขว่างเปล่า", "the condition is empty")
    tree = parser.expression()
    if parser.peek() is not None:
        extra = parser.peek()[1]
        raise RelevantError(f"มีข้อความเกินมาหลังเงื่อนไข: {extra!r}",
                            f"unexpected {extra!r} after the end of the condition")
    return tree


def references(tree) -> list[str]:
    """Every ``${name}`` in the tree, in order."""
    if isinstance(tree, Ref):
        return [tree.name]
    if isinstance(tree, Selected):
        return [tree.ref.name]
    if isinstance(tree, Compare):
        return references(tree.left) + references(tree.right)
    if isinstance(tree, (Either, Both)):
        return [n for part in tree.parts for n in references(part)]
    if isinstance(tree, Negation):
        return references(tree.inner)
    return []


_ONE_ITEM = ("แบบตรวจแสดงข้อได้เฉพาะเมื่อคำตอบของข้อก่อนหน้าหนึ่งข้อเป็นค่าใดค่าหนึ่ง "
             "เขียนเป็น ${ข้อ} = 'ค่า' หรือ selected(${ข้อ}, 'ค่า') ต่อด้วย or ได้",
             "a checklist item can show only while one earlier item's answer is one of some "
             "values: write ${item} = 'value' or selected(${item}, 'value'), joined by or")


def to_show_if(tree) -> tuple[str, list[str], bool]:
    """(controller name, values, written with ``=`` only) of a translatable tree.

    RelevantError says why a tree cannot become a show_if (``and``, ``not``, ``!=``, ``<``,
    two different items, a comparison without a quoted value)."""
    atoms = list(tree.parts) if isinstance(tree, Either) else [tree]
    names: list[str] = []
    values: list[str] = []
    equals_only = True
    for atom in atoms:
        if isinstance(atom, Both):
            raise RelevantError(f"ไม่รองรับ and: {_ONE_ITEM[0]}", f"'and' is not supported: "
                                f"{_ONE_ITEM[1]}")
        if isinstance(atom, Negation):
            raise RelevantError(f"ไม่รองรับ not(): {_ONE_ITEM[0]}", f"'not()' is not "
                                f"supported: {_ONE_ITEM[1]}")
        if isinstance(atom, Either):   # parenthesised or inside an or
            name, more, eq = to_show_if(atom)
            names.append(name)
            values += more
            equals_only = equals_only and eq
            continue
        if isinstance(atom, Selected):
            names.append(atom.ref.name)
            values.append(atom.value.value)
            equals_only = False
            continue
        assert isinstance(atom, Compare)
        if atom.op != "=":
            raise RelevantError(f"ไม่รองรับ {atom.op}: {_ONE_ITEM[0]}",
                                f"{atom.op!r} is not supported: {_ONE_ITEM[1]}")
        left, right = atom.left, atom.right
        if isinstance(left, Literal) and isinstance(right, Ref):
            left, right = right, left
        if not (isinstance(left, Ref) and isinstance(right, Literal)):
            raise RelevantError(f"ต้องเปรียบเทียบ ${{ข้อ}} กับค่าในเครื่องหมายคำพูด: {_ONE_ITEM[0]}",
                                f"compare one ${{item}} with a quoted value: {_ONE_ITEM[1]}")
        names.append(left.name)
        values.append(right.value)
    if len(set(names)) > 1:
        raise RelevantError(f"เงื่อนไขอ้างถึงหลายข้อ ({', '.join(dict.fromkeys(names))}): "
                            f"{_ONE_ITEM[0]}",
                            f"the condition refers to more than one item "
                            f"({', '.join(dict.fromkeys(names))}): {_ONE_ITEM[1]}")
    return names[0], list(dict.fromkeys(values)), equals_only


def from_show_if(name: str, values: list[str], multi: bool, equals: bool) -> str:
    """The ``relevant`` text of a show_if: ``${x} = 'v'`` for one value of a single-answer
    item given as ``equals``, ``selected()`` joined by ``or`` otherwise (selected() is the
    XLSForm way to ask about one option of a select_multiple)."""
    if equals and not multi:
        return f"${{{name}}} = '{values[0]}'"
    return " or ".join(f"selected(${{{name}}}, '{v}')" for v in values)
