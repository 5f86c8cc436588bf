"""The deterrence figures for a small history, checked against arithmetic done by hand.

The history (all times UTC, the analysis ends at UNTIL = 2026-06-30 00:00,
the period starts 365 days earlier, on 2025-06-30; a return must come more
than 12 hours after the index date):

lettered (first or repeat notice mailed in the period, not returned):
  L1  seen A Jan 1; first notice Jan 10; seen B Jan 15          -> returns at day 5
  L2  seen A Jan 2; first notice Jan 10; seen A Feb 9           -> returns at day 30
  L3  seen B Jan 3; first notice Jan 10; never again            -> followed 171 days (Jan 10 -> Jun 30: 21+28+31+30+31+30)
  L4  seen A Mar 1; repeat notice Mar 2; seen Mar 2 06:00 (inside the 12 h gap) and Mar 22
                                                                -> returns at day 20
  L5  seen A Jan 5; letter mailed Jan 10 but returned to sender -> not lettered
  L6  seen B Apr 1; first notice Apr 10; a rejected sighting Apr 12 and a pending one Apr 13
                                                                -> followed 81 days (Apr 10 -> Jun 30: 20+31+30)
not lettered:
  C1  seen A Feb 1 00:00, Feb 1 00:30 (inside the gap), Feb 4   -> returns at day 3
  C2  seen B Feb 1, Apr 2                                       -> returns at day 60 (28+31+1)
  C3  seen B May 1 only                                         -> followed 60 days (May 1 -> Jun 30)
  C4  seen A 2025-05-01 (before the period) and 2026-06-01      -> index Jun 1, followed 29 days
  C5  one pending sighting only                                 -> not a vehicle yet
  P1  first notice 2025-06-01 (before the period), seen A 2026-01-20 -> lettered before its index: left out
"""

from datetime import datetime, timezone

import pytest

from dearjohn.insights import deterrence
from tests import factories

UNTIL = datetime(2026, 6, 30, tzinfo=timezone.utc)


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=timezone.utc)


@pytest.fixture
def history(db):
    a = factories.zone("Zone A")
    b = factories.zone("Zone B")
    seen = factories.reviewed_sighting
    letter = factories.mailed_letter
    seen("1AAA001", at(2026, 1, 1), a); letter("1AAA001", at(2026, 1, 10)); seen("1AAA001", at(2026, 1, 15), b)
    seen("1AAA002", at(2026, 1, 2), a); letter("1AAA002", at(2026, 1, 10)); seen("1AAA002", at(2026, 2, 9), a)
    seen("1AAA003", at(2026, 1, 3), b); letter("1AAA003", at(2026, 1, 10))
    seen("1AAA004", at(2026, 3, 1), a); letter("1AAA004", at(2026, 3, 2), kind="repeat")
    seen("1AAA004", at(2026, 3, 2, 6), a); seen("1AAA004", at(2026, 3, 22), a)
    seen("1AAA005", at(2026, 1, 5), a); letter("1AAA005", at(2026, 1, 10), status="returned")
    seen("1AAA006", at(2026, 4, 1), b); letter("1AAA006", at(2026, 4, 10))
    seen("1AAA006", at(2026, 4, 12), b, status="rejected"); seen("1AAA006", at(2026, 4, 13), b, status="pending")
    seen("2CCC001", at(2026, 2, 1), a); seen("2CCC001", at(2026, 2, 1, 0, 30), a); seen("2CCC001", at(2026, 2, 4), a)
    seen("2CCC002", at(2026, 2, 1), b); seen("2CCC002", at(2026, 4, 2), b)
    seen("2CCC003", at(2026, 5, 1), b)
    seen("2CCC004", at(2025, 5, 1), a); seen("2CCC004", at(2026, 6, 1), a)
    seen("2CCC005", at(2026, 3, 3), a, status="pending")
    letter("3PPP001", at(2025, 6, 1)); seen("3PPP001", at(2026, 1, 20), a)
    return deterrence.analyse(deterrence.default_period(until=UNTIL))


def shares(curve):
    return [None if e.share is None else pytest.approx(e.share) for e in curve.estimates]


def test_lettered_vehicles_return_as_worked_out_by_hand(history):
    lettered = history.overall.lettered
    # L1 5 returned, L4 20 returned, L2 30 returned, L6 81 followed, L3 171 followed; L5 (returned mail) is out.
    assert (lettered.vehicles, lettered.returns) == (5, 3)
    # day 5:  5 followed, 1 returns -> S = 4/5
    # day 20: 4 followed, 1 returns -> S = 4/5 * 3/4 = 3/5
    # day 30: 3 followed, 1 returns -> S = 3/5 * 2/3 = 2/5
    # share returned = 1 - S: 1/5 by day 7, 3/5 by day 30, still 3/5 by day 90 (L3 is followed to day 171).
    assert shares(lettered) == [pytest.approx(0.2), pytest.approx(0.6), pytest.approx(0.6)]


def test_greenwood_bands_match_the_hand_arithmetic(history):
    by7, by30, _ = history.overall.lettered.estimates
    # day 7:  Var S = S^2 * 1/(5*4) = 0.64 * 0.05 = 0.032, se = 0.178885; 0.2 -/+ 1.959964*0.178885 = 0.2 -/+ 0.350609
    assert (by7.low, by7.high) == (pytest.approx(0.0), pytest.approx(0.550609, abs=1e-5))
    # day 30: sum = 1/20 + 1/12 + 1/6 = 0.3; Var S = 0.4^2 * 0.3 = 0.048, se = 0.219089;
    #         0.6 -/+ 1.959964*0.219089 = 0.6 -/+ 0.429407 -> [0.170593, 1.029407 clipped to 1]
    assert (by30.low, by30.high) == (pytest.approx(0.170593, abs=1e-5), pytest.approx(1.0))


def test_not_yet_lettered_vehicles_are_followed_until_their_letter(history):
    comparison = history.overall.comparison
    # L1 9 (letter), L2 8, L3 7, L4 1, L6 9 are censored at their letters; L5 followed 176 days
    # (Jan 5 -> Jun 30: 26+28+31+30+31+30); C1 returns day 3, C2 returns day 60, C3 60, C4 29; P1 out.
    assert (comparison.vehicles, comparison.returns) == (10, 2)
    # day 1: L4 censored (9 left). day 3: 9 followed, C1 returns -> S = 8/9.
    # days 7, 8, 9, 9, 29: five censored (3 left). day 60: 3 followed (C2, C3, L5), C2 returns -> S = 8/9 * 2/3 = 16/27.
    # share returned: 1/9 by day 7 and day 30; 11/27 by day 90 (L5 followed to day 176).
    assert shares(comparison) == [pytest.approx(1 / 9), pytest.approx(1 / 9), pytest.approx(11 / 27)]
    by90 = comparison.estimates[2]
    # sum = 1/(9*8) + 1/(3*2) = 0.180556; Var S = (16/27)^2 * 0.180556 = 0.063405, se = 0.251803;
    # 0.407407 -/+ 0.493526 -> [0 (clipped), 0.900933]
    assert (by90.low, by90.high) == (pytest.approx(0.0), pytest.approx(0.900933, abs=1e-5))
    assert by90.at_risk == 1  # only L5 is still followed after day 90


def test_per_zone_curves_use_the_zone_each_vehicle_was_seen_in(history):
    zones = {c.label: c for c in history.by_zone}
    # lettered, zone of the last sighting before the letter: A = L1 5, L2 30, L4 20 (all return); B = L3 171, L6 81.
    assert shares(zones["Zone A"].lettered) == [pytest.approx(1 / 3), pytest.approx(1.0), pytest.approx(1.0)]
    assert shares(zones["Zone B"].lettered) == [pytest.approx(0.0), pytest.approx(0.0), pytest.approx(0.0)]
    # comparison, zone of the index sighting: A = L1 9, L2 8, L4 1, L5 176, C1 3 returned, C4 29.
    # day 1 one censored, day 3: 5 followed, 1 returns -> 1/5, unchanged after.
    assert shares(zones["Zone A"].comparison) == [pytest.approx(0.2), pytest.approx(0.2), pytest.approx(0.2)]
    # B = L3 7, L6 9, C2 60 returned, C3 60: day 60: 2 followed, 1 returns -> 1/2;
    # nobody is followed past day 60, so the 90-day share is unknown rather than guessed.
    assert shares(zones["Zone B"].comparison) == [pytest.approx(0.0), pytest.approx(0.0), None]


def test_per_letter_kind_curves(history):
    kinds = {c.label: c for c in history.by_kind}
    # first notices: L1 5, L2 30 returned; L6 81, L3 171 followed. day 5: S = 3/4; day 30: S = 3/4 * 2/3 = 1/2.
    assert shares(kinds["First notice"].lettered) == [pytest.approx(0.25), pytest.approx(0.5), pytest.approx(0.5)]
    # repeat notices: L4 alone, returns at day 20; S reaches 0, so later shares are known: 1.
    assert shares(kinds["Repeat notice"].lettered) == [pytest.approx(0.0), pytest.approx(1.0), pytest.approx(1.0)]


def test_the_period_ends_at_the_latest_sighting_by_default(history):
    period = deterrence.default_period()
    assert period.until == at(2026, 6, 1)  # C4's, the latest sighting of any status
    assert (period.until - period.start).days == 365


def test_csv_lists_every_slice_cohort_and_horizon(history):
    lines = deterrence.to_csv(history).splitlines()
    assert lines[0].startswith("slice,cohort,vehicles")
    assert "all,lettered,5,3,30,0.6000,0.1706,1.0000,2" in lines
    assert "zone: Zone B,comparison,4,1,90,,,,0" in lines
    # 1 overall + 2 zones + 2 kinds slices, two cohorts each, three horizons each
    assert len(lines) == 1 + 5 * 2 * 3
