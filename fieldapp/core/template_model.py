"""The checklist template as the rest of the app sees it: frozen, validated, ready to use.

Instances are built only by ``template_loading.parse_template`` after every check passed, so
code holding an ``Item`` may trust it (ids unique, limits ordered, conditions resolvable).
Nothing here reads files or touches a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fieldapp.core.ids import name_id
from fieldapp.core.numbers import grouped

ANSWER_TYPES = ("result", "number", "text", "choice", "multi_choice", "date", "document",
                "photo", "gps")
RESULTS = ("pass", "fail", "na", "not_checked")
KINDS = ("routine", "complaint", "follow_up")
# Items whose answer can decide whether another item shows (see Condition).
CONTROLLER_TYPES = ("result", "choice", "multi_choice")


@dataclass(frozen=True)
class Choice:
    """One option of a choice or multi_choice item."""

    id: str
    label: dict[str, str]

    def __hash__(self) -> int:  # the label is a dict; the id names the choice
        return hash(self.id)


@dataclass(frozen=True)
class Limits:
    """Legal limits of a measured value, both inclusive; either may be absent."""

    min: Decimal | None = None
    max: Decimal | None = None

    def text(self, unit: str | None = None) -> str:
        """``5.5–9.0``, ``≤ 20 mg/L`` or ``≥ 1``: the limit as printed beside the value."""
        unit_part = f" {unit}" if unit else ""
        if self.min is not None and self.max is not None:
            return f"{_plain(self.min)}–{_plain(self.max)}{unit_part}"
        if self.max is not None:
            return f"≤ {_plain(self.max)}{unit_part}"
        if self.min is not None and self.min != 0:
            return f"≥ {_plain(self.min)}{unit_part}"
        # A lone lower bound of zero (horsepower, workers) says a count is never negative,
        # which every value is checked for anyway: it is no legal limit, and was shown and
        # printed as one ("ค่ามาตรฐาน ≥ 0 HP").
        return ""


def _plain(value: Decimal) -> str:
    # Thousands grouped (3,000), the typed decimals kept: the rule of every printed number.
    return grouped(value)


@dataclass(frozen=True)
class Condition:
    """``show_if`` of one item, resolved: the item shows while ``controller``'s answer is one
    of ``values``. For a result item the compared value is the result (pass/fail/...), for a
    choice item the chosen id, for a multi_choice item any one of the chosen ids."""

    controller: str
    controller_type: str
    values: frozenset[str]


@dataclass(frozen=True)
class Item:
    """One checklist item. ``number`` is its printed number (``3.2``: section 3, item 2)."""

    id: str
    section: str
    number: str
    type: str
    label: dict[str, str]
    help: dict[str, str] | None = None
    required: bool = False
    legal_basis: str | None = None
    legal_basis_en: str | None = None   # the English wording, when the office gave one
    show_if: dict | None = None
    on_fail: dict[str, bool] = field(default_factory=lambda: {"note": False, "photo": False})
    order_text: str | None = None
    deadline_days: int | None = None
    unit: str | None = None
    limits: Limits | None = None
    choices: tuple[Choice, ...] = ()
    # show_if of this item and of every item it depends on, nearest first: the item is
    # visible only while all of them hold (a hidden controller hides its dependants).
    conditions: tuple[Condition, ...] = ()

    def __hash__(self) -> int:
        # Hash by identity fields so items can key a dict (widgets by item); the generated
        # hash would fail on the dict-valued fields. Equal items still hash equal.
        return hash((self.id, self.number, self.type))

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def limit_text(self) -> str:
        """The legal limit as printed, with the unit, or ``""`` when the item has none."""
        return self.limits.text(self.unit) if self.limits else ""

    def name(self, lang: str = "th") -> str:
        """``ข้อ 3.2 ค่า BOD`` / ``item 3.2 BOD``: how messages refer to the item."""
        prefix = "ข้อ" if lang == "th" else "item"
        return f"{prefix} {self.number} {self.label[lang]}"


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: dict[str, str]
    items: tuple[Item, ...]

    def __hash__(self) -> int:
        return hash((self.id, self.number))


@dataclass(frozen=True, eq=False)
class Template:
    """One version of a checklist template.

    ``body`` is the normalised document (limits as decimal text, see docs/templates.md) that
    is stored and hashed; treat it as read-only.
    """

    key: str
    version: int
    kind: str
    form_code: str
    title: dict[str, str]
    sections: tuple[Section, ...]
    items: Mapping[str, Item]
    body: dict
    content_hash: str
    source: str = ""
    description: dict[str, str] | None = None

    @property
    def version_id(self) -> str:
        """The id of this version's row in template_versions, the same on every device."""
        return version_id(self.key, self.version)

    def item(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return (self.key, self.version, self.content_hash) == (
            other.key, other.version, other.content_hash)

    def __hash__(self) -> int:
        return hash((self.key, self.version, self.content_hash))

    def __repr__(self) -> str:
        return f"<Template {self.key} v{self.version} {len(self.items)} items>"


def version_id(key: str, version: int) -> str:
    """Row id of a template version: name-based, so every device derives the same id."""
    return name_id("template", key, str(version))
