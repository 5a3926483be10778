from decimal import Decimal

import pytest

from linter.model import ValueKind
from linter.parsing.numbers import format_like, parse_cell_value


@pytest.mark.parametrize(
    "text, kind, number",
    [
        ("27 280", ValueKind.NUMBER, Decimal("27280")),
        ("2\u202f160\u202f113", ValueKind.NUMBER, Decimal("2160113")),
        ("2\u00a0160", ValueKind.NUMBER, Decimal("2160")),
        ("-645", ValueKind.NUMBER, Decimal("-645")),
        ("\u2212645", ValueKind.NUMBER, Decimal("-645")),
        ("\u2013 94 934", ValueKind.NUMBER, Decimal("-94934")),
        ("+106", ValueKind.NUMBER, Decimal("106")),
        ("12,5", ValueKind.NUMBER, Decimal("12.5")),
        ("72,1 %", ValueKind.PERCENT, Decimal("72.1")),
        ("28.6 %", ValueKind.PERCENT, Decimal("28.6")),
        ("100%", ValueKind.PERCENT, Decimal("100")),
        (">74", ValueKind.TARGET, Decimal("74")),
        ("< 150", ValueKind.TARGET, Decimal("150")),
        ("≥ 80 %", ValueKind.TARGET, Decimal("80")),
        ("*", ValueKind.PLACEHOLDER, None),
        ("NA", ValueKind.PLACEHOLDER, None),
        ("(N)", ValueKind.PLACEHOLDER, None),
        ("% %", ValueKind.PLACEHOLDER, None),
        ("", ValueKind.EMPTY, None),
        ("Funksjonsområde 1", ValueKind.TEXT, None),
        ("21*)", ValueKind.TEXT, None),
        ("1 23 456", ValueKind.TEXT, None),  # not a valid grouping
    ],
)
def test_cell_values(text, kind, number):
    value = parse_cell_value(text)
    assert value.kind is kind
    assert value.number == number


def test_negative_zero_is_zero_but_remembered():
    value = parse_cell_value("-0")
    assert value.number == 0 and value.negative_zero


def test_target_comparators_are_normalised():
    assert parse_cell_value("≥ 80 %").comparator == ">="
    assert parse_cell_value(">80%").comparator == ">"


def test_thousands_comma_is_suspected_only_for_three_decimals():
    assert parse_cell_value("1,119").suspect_thousands_comma
    assert not parse_cell_value("1,5").suspect_thousands_comma
    assert not parse_cell_value("0,125").suspect_thousands_comma


def test_separators_are_recorded():
    assert parse_cell_value("2\u202f160").thousands_separator == "\u202f"
    assert parse_cell_value("28.6 %").decimal_separator == "."


@pytest.mark.parametrize(
    "value, example, expected",
    [
        (Decimal("-1654"), "-10410", "-1 654"),
        (Decimal("-1654"), "2\u202f160", "-1\u202f654"),
        (Decimal("-1654"), "\u2212645", "\u22121 654"),
        (Decimal("1234567"), "27 280", "1 234 567"),
        (Decimal("12.25"), "12,5", "12,2"),  # banker's rounding to the example's one decimal
        (Decimal("0"), "12", "0"),
    ],
)
def test_format_like_follows_the_neighbour(value, example, expected):
    assert format_like(value, example) == expected
