from datetime import date

from dearjohn.insights import charts


def _month_labels(fig):
    return [label.get_text() for label in fig.axes[0].get_xticklabels()]


def test_a_month_without_any_count_keeps_its_place_on_the_time_axis():
    fig = charts.monthly_chart({"responses": {date(2025, 12, 1): 2, date(2026, 3, 1): 1}, "upheld": {date(2026, 1, 1): 1}},
                               "No responses in this period.")
    assert _month_labels(fig) == ["Dec 25", "Jan 26", "Feb 26", "Mar 26"]


def test_a_chart_without_counts_says_so():
    fig = charts.monthly_chart({"responses": {}}, "No responses in this period.")
    assert "No responses in this period." in [t.get_text() for t in fig.axes[0].texts]
