"""Small charts drawn on the server as inline SVG: data in, escaped markup out, no JavaScript.

A vendored chart library would need a script on every dashboard load and a CSP exception;
one bar-and-line chart is a few dozen lines of arithmetic. The SVG is an image with a title
and a description; the page puts the same numbers in a table next to it for screen readers
and for anyone who wants the exact values.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 260
TOP, RIGHT, BOTTOM, LEFT = 36, 16, 32, 48  # margins around the plot area
MAX_X_LABELS = 8
MAX_Y_STEPS = 5
BAR_COLOUR = "#5b86c0"  # 3.7:1 against white, enough for a graphic (WCAG 1.4.11)
LINE_COLOUR = "#9a3412"
INK, GRID = "#1b1f23", "#d0d7de"


@dataclass(frozen=True)
class Axis:
    top: int  # the value at the top of the plot
    step: int  # the distance between grid lines

    @property
    def ticks(self) -> list[int]:
        return list(range(0, self.top + 1, self.step))


def value_axis(largest: int) -> Axis:
    """A round top and step (1, 2 or 5 times a power of ten) with at most five steps."""
    largest = max(largest, 1)
    magnitude = 10 ** max(0, math.floor(math.log10(largest)) - 1)
    for factor in (1, 2, 5, 10, 20, 50, 100):
        step = factor * magnitude
        if math.ceil(largest / step) <= MAX_Y_STEPS:
            return Axis(top=step * math.ceil(largest / step), step=step)
    raise AssertionError("unreachable: a step of 100 × magnitude always fits")


def bar_line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    bars: Sequence[int],
    line: Sequence[int],
    bar_name: str,
    line_name: str,
    empty_text: str,
) -> SafeString:
    """Bars and a line over the same labelled slots (days), sharing one value axis."""
    if not (len(labels) == len(bars) == len(line)):
        raise ValueError("labels, bars and line must have the same length")
    bars, line = [int(v) for v in bars], [int(v) for v in line]  # numbers go in unescaped
    parts = [_open_svg(chart_id, title, description)]
    if labels:
        axis = value_axis(max([*bars, *line]))
        plot = _Plot(slots=len(labels), axis=axis)
        parts += _grid(plot)
        parts += _x_labels(plot, labels)
        parts += _bars(plot, labels, bars, bar_name)
        parts += _line(plot, labels, line, line_name)
        parts += _legend(bar_name, line_name)
    else:
        parts.append(
            f'<text x="{WIDTH / 2:g}" y="{HEIGHT / 2:g}" text-anchor="middle" fill="{INK}">'
            f"{escape(empty_text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


@dataclass(frozen=True)
class _Plot:
    slots: int
    axis: Axis

    @property
    def width(self) -> float:
        return WIDTH - LEFT - RIGHT

    @property
    def height(self) -> float:
        return HEIGHT - TOP - BOTTOM

    @property
    def slot_width(self) -> float:
        return self.width / self.slots

    def x_centre(self, index: int) -> float:
        return LEFT + (index + 0.5) * self.slot_width

    def y(self, value: float) -> float:
        return TOP + self.height - value / self.axis.top * self.height


def _open_svg(chart_id: str, title: str, description: str) -> str:
    cid = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-size="12" font-family="inherit">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(description)}</desc>'
    )


def _grid(plot: _Plot) -> list[str]:
    parts = []
    for tick in plot.axis.ticks:
        y = plot.y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID if tick else INK}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{tick}</text>'
        )
    return parts


def _x_labels(plot: _Plot, labels: Sequence[str]) -> list[str]:
    every = math.ceil(len(labels) / MAX_X_LABELS)
    return [
        f'<text x="{plot.x_centre(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
        f'fill="{INK}">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _bars(plot: _Plot, labels: Sequence[str], values: Sequence[int], name: str) -> list[str]:
    width = plot.slot_width * 0.6
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        if not value:
            continue
        y = plot.y(value)
        parts.append(
            f'<rect class="chart-bar" x="{plot.x_centre(i) - width / 2:.1f}" y="{y:.1f}" '
            f'width="{width:.1f}" height="{TOP + plot.height - y:.1f}" fill="{BAR_COLOUR}" '
            f'data-value="{value}">'
            f"<title>{escape(label)}: {value} {escape(name)}</title></rect>"
        )
    return parts


def _line(plot: _Plot, labels: Sequence[str], values: Sequence[int], name: str) -> list[str]:
    points = " ".join(f"{plot.x_centre(i):.1f},{plot.y(v):.1f}" for i, v in enumerate(values))
    # A white halo under the line keeps it apart from the bars it crosses.
    parts = [
        f'<polyline points="{points}" fill="none" stroke="#fff" stroke-width="6"/>',
        f'<polyline class="chart-line" points="{points}" fill="none" stroke="{LINE_COLOUR}" '
        f'stroke-width="3" stroke-linejoin="round"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        parts.append(
            f'<circle class="chart-point" cx="{plot.x_centre(i):.1f}" cy="{plot.y(value):.1f}" '
            f'r="3.5" fill="{LINE_COLOUR}" data-value="{value}">'
            f"<title>{escape(label)}: {value} {escape(name)}</title></circle>"
        )
    return parts


def _legend(bar_name: str, line_name: str) -> list[str]:
    return [
        f'<rect x="{LEFT}" y="10" width="14" height="14" fill="{BAR_COLOUR}"/>'
        f'<text x="{LEFT + 20}" y="22" fill="{INK}">{escape(bar_name)}</text>',
        f'<line x1="{LEFT + 240}" x2="{LEFT + 262}" y1="17" y2="17" stroke="{LINE_COLOUR}" '
        f'stroke-width="3"/><circle cx="{LEFT + 251}" cy="17" r="3.5" fill="{LINE_COLOUR}"/>'
        f'<text x="{LEFT + 268}" y="22" fill="{INK}">{escape(line_name)}</text>',
    ]
