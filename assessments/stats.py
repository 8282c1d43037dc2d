"""Small statistics for learning gain and item analysis, without scipy.

The 95% interval of a paired mean change uses Student's t; its 0.975
quantile comes from the standard table (exact to four decimals for df ≤ 30),
interpolated in 1/df beyond, which errs by less than 0.001.
"""

import math
import statistics
from collections.abc import Sequence

T_975 = {
    1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646, 8: 2.3060, 9: 2.2622,
    10: 2.2281, 11: 2.2010, 12: 2.1788, 13: 2.1604, 14: 2.1448, 15: 2.1314, 16: 2.1199, 17: 2.1098,
    18: 2.1009, 19: 2.0930, 20: 2.0860, 21: 2.0796, 22: 2.0739, 23: 2.0687, 24: 2.0639, 25: 2.0595,
    26: 2.0555, 27: 2.0518, 28: 2.0484, 29: 2.0452, 30: 2.0423, 40: 2.0211, 60: 2.0003, 120: 1.9799,
}  # fmt: skip
Z_975 = 1.9600


def t_quantile_975(df: int) -> float:
    """The 0.975 quantile of Student's t with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df in T_975:
        return T_975[df]
    known = sorted(T_975)
    upper = next((d for d in known if d > df), None)
    lower = max(d for d in known if d < df)
    # Interpolating in 1/df follows the curve closely; beyond 120 the limit is the normal quantile.
    high_df, high_t = (upper, T_975[upper]) if upper else (math.inf, Z_975)
    position = (1 / lower - 1 / df) / (1 / lower - (0 if high_df == math.inf else 1 / high_df))
    return T_975[lower] + (high_t - T_975[lower]) * position


def mean_ci_95(values: Sequence[float]) -> tuple[float, float] | None:
    """The 95% confidence interval of the mean (paired t on the differences); None below two values."""
    if len(values) < 2:
        return None
    centre = statistics.fmean(values)
    half = t_quantile_975(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return centre - half, centre + half


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either variable does not vary (or fewer than three pairs)."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def normalized_gain(mean_pre: float, mean_post: float) -> float | None:
    """Hake's ⟨g⟩ on class means: the share of the possible gain that was achieved."""
    if mean_pre >= 100:
        return None
    return (mean_post - mean_pre) / (100 - mean_pre)
