"""Pre/post test scores for a report scope, as the people figures' query returns them.

The scores themselves are copied per enrolment into reports.models.EnrolmentFact
(pre_percent, post_percent) by reports/facts.py, from submitted attempts with a
score out of something; reports.selectors.people_totals sums them per person and
overall in the same query as the people figures, and this turns the sums into means.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TestScores:
    """Mean scores in percent; gain is the mean of post minus pre over people with both attempts."""

    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    paired: int

    @classmethod
    def from_sums(cls, sums: dict) -> "TestScores":
        """From summed percentages and counts: pre_sum/pre_n, post_sum/post_n, gain_sum/paired."""

        def mean(total, count):
            return float(total) / count if count else None

        return cls(
            mean_pre=mean(sums["pre_sum"], sums["pre_n"]),
            mean_post=mean(sums["post_sum"], sums["post_n"]),
            mean_gain=mean(sums["gain_sum"], sums["paired"]),
            paired=sums["paired"] or 0,
        )
