from datetime import date

import pytest

from models.business_days import add_business_days, holiday_name, is_business_day, next_business_day


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2027, 3, 26), date(2027, 3, 30)),  # långfredag → tuesday after annandag påsk
        (date(2028, 4, 14), date(2028, 4, 18)),  # långfredag 2028
        (date(2026, 6, 19), date(2026, 6, 22)),  # midsommarafton (friday) → monday
        (date(2027, 6, 25), date(2027, 6, 28)),  # midsommarafton 2027
        (date(2026, 12, 24), date(2026, 12, 28)),  # julafton, juldagen, annandag, weekend
        (date(2027, 12, 24), date(2027, 12, 27)),
        (date(2027, 12, 31), date(2028, 1, 3)),  # nyårsafton + nyårsdagen (+ weekend)
        (date(2029, 1, 1), date(2029, 1, 2)),  # nyårsdagen on a monday
        (date(2027, 1, 6), date(2027, 1, 7)),  # trettondedag jul
        (date(2027, 5, 6), date(2027, 5, 7)),  # Kristi himmelfärd
        (date(2027, 6, 6), date(2027, 6, 7)),  # nationaldagen on a sunday
        (date(2027, 10, 5), date(2027, 10, 5)),  # an ordinary tuesday stays
        (date(2027, 10, 9), date(2027, 10, 11)),  # saturday → monday
    ],
)
def test_next_business_day_skips_weekends_and_swedish_holidays(day, expected):
    assert next_business_day(day) == expected


def test_de_facto_holidays_are_not_business_days():
    for year in range(2025, 2031):
        assert not is_business_day(date(year, 12, 24))
        assert not is_business_day(date(year, 12, 31))
    assert holiday_name(date(2027, 6, 25)) == "Midsommarafton"
    assert holiday_name(date(2027, 10, 5)) is None


def test_add_business_days_counts_over_christmas():
    assert add_business_days(date(2027, 12, 22), 3) == date(2027, 12, 28)  # 23, 27, 28
    assert add_business_days(date(2027, 12, 22), 0) == date(2027, 12, 22)
