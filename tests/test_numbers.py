import pytest

from kg.extract.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,000", 2000),
        ("32, 300", 32300),
        ("1, 432", 1432),
        ("1.3 million", 1_300_000),
        ("2.8m", 2_800_000),
        ("eight", 8),
        ("twenty-five", 25),
        ("five-hundred", 500),
        ("one million", 1_000_000),
        ("a dozen", 12),
        ("70%", 70),
        ("15 per cent", 15),
        ("half a million", 500_000),
        ("a quarter of a million", 250_000),
        ("three quarters of a million", 750_000),
        ("quarter of a million", 250_000),
    ],
)
def test_numbers_as_news_prints_them(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "figure", "qualifier"),
    [
        ("Well over 800,000 people fled", "Well over 800,000", "more_than"),
        ("more than 2,000 died", "more than 2,000", "more_than"),
        ("at least a dozen were hurt", "at least a dozen", "at_least"),
        ("around eight people", "around eight", "approx"),
        ("some 15,000 troops", "some 15,000", "approx"),
        ("nearly 2,200 people", "nearly 2,200", "nearly"),
        ("up to 200,000 people", "up to 200,000", "up_to"),
        ("fewer than 50 soldiers", "fewer than 50", "less_than"),
        ("364 civilians", "364", "exact"),
        ("the toll could pass 40", "pass 40", "more_than"),
        ("deaths surpassed 1,000 by May", "surpassed 1,000", "more_than"),
    ],
)
def test_hedges_set_the_qualifier(text: str, figure: str, qualifier: str) -> None:
    (n,) = find_numbers(text)
    assert text[n.hedge_start : n.end] == figure
    assert n.qualifier == qualifier


def test_model_names_times_and_postcodes_are_not_numbers() -> None:
    text = "TOS-1 and Su-25 jets, at 13:44 on 01/03, CO2 8JY, the 18th, 5am"
    assert [text[n.start : n.end] for n in find_numbers(text)] == []


def test_numbers_written_twice_or_in_two_parts_are_one() -> None:
    text = "the army killed two (2) gunmen and 3 thousand 250 civilians fled"
    assert [(n.value, text[n.start : n.end]) for n in find_numbers(text)] == [
        (2, "two"),
        (3250, "3 thousand 250"),
    ]


@pytest.mark.parametrize("text", ["Several dozen men attacked the post.", "A few dozen fled."])
def test_dozens_with_no_numeral_are_no_number(text: str) -> None:
    assert find_numbers(text) == []
