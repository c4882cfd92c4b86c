"""The bar chart's geometry filters (reviews/templatetags/reviews_tags.py): the SVG's
height, each row's offset and each bar's length."""

import pytest

from reviews.templatetags.reviews_tags import (
    BAR_WIDTH,
    ROW_HEIGHT,
    chart_bar,
    chart_height,
    chart_row_y,
)


@pytest.mark.parametrize("rows, height", [(1, ROW_HEIGHT), (3, 3 * ROW_HEIGHT), (12, 288)])
def test_it_gives_one_row_height_per_row(rows, height):
    assert chart_height(rows) == height


def test_it_keeps_room_for_one_row_when_there_are_none():
    assert chart_height(0) == ROW_HEIGHT


@pytest.mark.parametrize("index, y", [(0, 0), (1, ROW_HEIGHT), (11, 11 * ROW_HEIGHT)])
def test_it_places_each_row_below_the_last(index, y):
    assert chart_row_y(index) == y


def test_it_keeps_a_zero_at_zero_length():
    assert chart_bar(0, 50) == 0


def test_it_gives_the_top_value_the_full_width():
    assert chart_bar(50, 50) == BAR_WIDTH
    assert chart_bar(1, 1) == BAR_WIDTH


def test_it_scales_the_others_to_the_top_value():
    assert chart_bar(25, 50) == BAR_WIDTH // 2
    assert chart_bar(1, 3) == round(BAR_WIDTH / 3)


def test_it_keeps_the_smallest_non_zero_value_visible():
    assert round(BAR_WIDTH * 1 / 1000) == 0  # what plain scaling would draw

    assert chart_bar(1, 1000) == 2
    assert chart_bar(1, 200) == 2  # 1.3 units, raised to the minimum


def test_it_does_not_divide_by_a_zero_top():
    assert chart_bar(0, 0) == 0
    assert chart_bar(1, 0) == BAR_WIDTH


def test_it_never_draws_a_bar_longer_than_the_full_width_for_values_up_to_the_top():
    assert all(chart_bar(value, 37) <= BAR_WIDTH for value in range(38))
