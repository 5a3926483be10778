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


# ------------------------------------------------------------------ values as districts write them

@pytest.mark.parametrize("text", ["NA", "N.A", "N. A.", "N.A.", "N/A", "n/a", "n.a.", "(N)", "( N )", "-", "–", "—",
                                  "−", "..", "...", "…"])
def test_placeholders_in_every_spelling_are_no_value(text):
    from linter.model import ValueKind
    from linter.parsing.numbers import parse_cell_value

    assert parse_cell_value(text).kind is ValueKind.PLACEHOLDER


@pytest.mark.parametrize("text, number, irregular", [
    ("311 000 kr", "311000", ("valuta",)),
    ("kr 311 000", "311000", ("valuta",)),
    ("kr. 311 000", "311000", ("valuta",)),
    ("311 000,-", "311000", ("strek",)),
    ("(311 000)", "-311000", ("parentes",)),
    ("311 OOO", "311000", ("bokstav",)),
    ("31l 000", "311000", ("bokstav",)),
    ("kr 501 522,20", "501522.20", ("valuta",)),
    ("311\u00a0000", "311000", ()),
    ("311\u202f000", "311000", ()),
    ("311\u2009000", "311000", ()),
    ("-3,4pp", "-3.4", ("prosentpoeng",)),
    ("1,0 pp", "1.0", ("prosentpoeng",)),
])
def test_amounts_as_districts_write_them_are_read_and_marked(text, number, irregular):
    from decimal import Decimal

    from linter.parsing.numbers import parse_cell_value

    value = parse_cell_value(text)
    assert value.number == Decimal(number)
    assert value.irregular == irregular


@pytest.mark.parametrize("text", ["ca. 50", "kr", "(-5)", "lO", "Ikke målt", "1)", "x", "> kr 5"])
def test_what_cannot_be_read_stays_text(text):
    from linter.model import ValueKind
    from linter.parsing.numbers import parse_cell_value

    assert parse_cell_value(text).kind is ValueKind.TEXT
