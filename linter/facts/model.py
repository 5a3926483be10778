"""A fact: one figure of a report, with what it is (concept, measure, scenario, year), how it is
measured (unit, precision) and where it stands. Plain slotted dataclasses: a report has
thousands of them, and they travel between processes with ``--jobs``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

TWO = Decimal(2)


@dataclass(slots=True)
class Fact:
    path: str
    district: str | None
    document: str | None
    document_year: int | None
    table_id: str | None
    caption: str
    table_type: str | None
    row_label: str
    row: int  # 0-based body row index
    column_header: str
    column: int
    concept: str
    measure: str | None
    scenario: str | None
    year: int | None
    comparator: str | None  # a target's ">", "<", ... (compared only with the same comparator)
    value: Decimal
    text: str  # the cell as printed
    unit: str | None  # as the report gives it ("1000 kr", "%")
    base_unit: str | None  # what it is compared in ("kr", "%")
    factor: Decimal  # value × factor = the value in base units
    precision: Decimal  # the printed resolution: 1 for "27 280", 0.1 for "13,3 %"
    slack: Decimal  # extra half-width for a total of rounded items (n × precision / 2)
    line: int
    col: int
    end_line: int
    end_col: int
    offset: int
    end_offset: int
    low: Decimal | None = None  # bounds() given (the extraction leaves them to bounds())
    high: Decimal | None = None

    @property
    def comparable(self) -> bool:
        """A fact that can be paired: a known concept, scenario and year."""
        return bool(self.scenario) and self.year is not None and not self.concept.startswith("rad:")

    @property
    def key(self) -> tuple:
        return (self.concept, self.measure, self.scenario, self.year, self.comparator)

    def bounds(self) -> tuple[Decimal, Decimal]:
        """The interval the printed value stands for, in base units."""
        if self.low is not None and self.high is not None:
            return self.low, self.high
        half = self.precision / TWO + self.slack
        if self.base_unit is None:  # no unit: a factor of 1, and × 1 would round a long figure
            return self.value - half, self.value + half
        return (self.value - half) * self.factor, (self.value + half) * self.factor

    def agrees(self, other: "Fact") -> bool:
        low, high = (self.low, self.high) if self.low is not None else self.bounds()
        other_low, other_high = (other.low, other.high) if other.low is not None else other.bounds()
        # Rounding maps a value to a half-open interval: 13,3 % and 13,2 % only touch at 13,25.
        return low < other_high and other_low < high

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"
