"""When a letter is delivered and when its fourteen-day term ends.

Pure functions. Dutch public holidays are computed (Easter based), as the
Algemene termijnenwet (art. 3) lists them: New Year's Day, Easter Monday,
Ascension Day, Whit Monday, King's Day (27 April, the 26th when the 27th
is a Sunday), Liberation Day (5 May) and both Christmas days. Easter and
Whit Sunday are Sundays anyway.

- E-mail is taken as delivered the day it is sent.
- Post is delivered the second day after sending, counting only days post
  is delivered: Sundays, Mondays and public holidays do not count.
- The consumer's term runs fourteen days from the day after delivery. A
  statutory term ending on a Saturday, Sunday or public holiday runs on to
  the next working day (Algemene termijnenwet art. 1); costs are owed from
  the day after the term, never sooner.
"""

from datetime import date, timedelta

from dateutil.easter import easter

SATURDAY, SUNDAY, MONDAY = 5, 6, 0
# the fourteen days of art. 6:96 (6) BW, as the letter's wording says them
TERM_DAYS = 14
POST_DELIVERY_DAYS = 2


def easter_sunday(year):
    """Easter Sunday of ``year`` (Gregorian calendar)."""
    return easter(year)


def dutch_public_holidays(year):
    """The generally recognised public holidays of ``year``."""
    easter_day = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == SUNDAY:
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1),
        easter_day + timedelta(days=1),
        kings_day,
        date(year, 5, 5),
        easter_day + timedelta(days=39),
        easter_day + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def holidays_around(day):
    """The public holidays of the year of ``day`` and the next one (enough
    for every term started on ``day``)."""
    return dutch_public_holidays(day.year) | dutch_public_holidays(day.year + 1)


def is_post_day(day, holidays):
    return day.weekday() not in (SUNDAY, MONDAY) and day not in holidays


def is_working_day(day, holidays):
    return day.weekday() not in (SATURDAY, SUNDAY) and day not in holidays


def delivery_date(sent, channel, holidays):
    """The day a letter sent on ``sent`` is taken as delivered.

    ``channel``: 'email' (same day) or 'post'."""
    if channel == "email":
        return sent
    day, counted = sent, 0
    while counted < POST_DELIVERY_DAYS:
        day += timedelta(days=1)
        if is_post_day(day, holidays):
            counted += 1
    return day


def term_end(delivered, holidays):
    """The last day of the fourteen-day term of a letter delivered on
    ``delivered``."""
    day = delivered + timedelta(days=TERM_DAYS)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def costs_deadline(sent, channel, holidays=None):
    """(delivery day, day from which the costs are owed) of a notice sent on
    ``sent`` by ``channel``."""
    holidays = holidays_around(sent) if holidays is None else holidays
    delivered = delivery_date(sent, channel, holidays)
    return delivered, term_end(delivered, holidays) + timedelta(days=1)
