"""Chart data for the dashboard's server-drawn SVG and the PDF's reportlab charts.

A chart is a title, a description (what a screen reader says instead of the
picture), and rows of (label, value); the same rows fill the table printed
under the picture. Geometry for the SVG is computed here, not in the template.
"""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from core.enums import Audience, Sex

from .selectors import Figures

LABEL_WIDTH = 190
BAR_AREA = 330
ROW_HEIGHT = 26


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    value_label: str
    rows: list[tuple[str, int]] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(1, len(self.rows)) * ROW_HEIGHT + 8

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_AREA + 60

    @property
    def bars(self) -> list[dict]:
        top = max((value for _label, value in self.rows), default=0) or 1
        return [
            {
                "label": label,
                "value": value,
                "y": index * ROW_HEIGHT + 4,
                "text_y": index * ROW_HEIGHT + 4 + ROW_HEIGHT // 2 + 4,
                "width": round(BAR_AREA * value / top, 1),
                "value_x": LABEL_WIDTH + round(BAR_AREA * value / top, 1) + 6,
            }
            for index, (label, value) in enumerate(self.rows)
        ]

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def _audience_label(value: str) -> str:
    return str(Audience(value).label) if value in Audience.values else value


def _sex_label(value: str) -> str:
    return str(Sex(value).label) if value in Sex.values else value


def charts_for(figures: Figures) -> list[Chart]:
    by_region = Chart(
        "people-by-region",
        _("People trained by region"),
        _("Unique people trained in each region where training was held, as a horizontal bar chart."),
        _("People trained"),
        [(row["delivery__region__name"], row["people_trained"]) for row in figures.by_region],
    )
    by_sex_audience = Chart(
        "people-by-sex-audience",
        _("People trained by sex and audience"),
        _("Unique people trained, by the audience they attended as and by sex, as a horizontal bar chart."),
        _("People trained"),
        [
            (
                f"{_audience_label(row['audience'])} · {_sex_label(row['participant__sex'])}",
                row["people_trained"],
            )
            for row in figures.by_sex_audience
        ],
    )
    per_month = Chart(
        "deliveries-per-month",
        _("Deliveries per month"),
        _("Number of deliveries with at least one session held in each month, as a horizontal bar chart."),
        _("Deliveries"),
        [
            (formats.date_format(row["month"], "YEAR_MONTH_FORMAT"), row["deliveries"])
            for row in figures.deliveries_per_month
        ],
    )
    return [by_region, by_sex_audience, per_month]
