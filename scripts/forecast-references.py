#!/usr/bin/env python3
"""Reference values for the history forecast's tests (issue 10), computed with statsmodels, a trusted implementation.

    pip install statsmodels==0.15.0 && python3 scripts/forecast-references.py > Tests/Fixtures/forecast/references.json

The series are fixed numbers written here (not drawn at run time). Initial states follow Kvota's documented heuristic
(docs/forecasting.md) and are passed to statsmodels as "known", so the recursions can be compared to the last digit;
the fitted smoothing parameters are statsmodels' own, for comparing the quality (SSE) of Kvota's fit.

statsmodels 0.15.0 forecasts a horizon that is a whole number of seasons with the season's effect from a year too
early (statsmodels issue #9538, fixed by pull request #10230 after that release). "forecast" is statsmodels' answer
as it is; "forecastHyndman" recomputes those horizons by Hyndman's formula, l_T + h b_T + s_{T+h-m(k+1)} with
k = (h-1) // m, from statsmodels' own final states. Kvota follows Hyndman.
"""
import json
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.holtwinters import ExponentialSmoothing, Holt

warnings.simplefilter("ignore")

# 36 months of revenue (thousands): a rising trend, a yearly season with a December peak and a summer dip, and noise.
SEASONAL = [
    112.0, 118.5, 131.2, 127.9, 121.4, 109.8, 95.3, 101.7, 126.4, 138.9, 147.2, 171.5,
    124.6, 129.1, 143.8, 139.0, 133.7, 118.2, 104.9, 112.6, 138.1, 150.3, 161.0, 186.4,
    133.9, 142.7, 155.2, 151.6, 144.0, 131.5, 113.8, 121.9, 149.6, 163.2, 172.5, 199.8,
]
# 12 months of a young team's revenue: a trend, no season to speak of.
TRENDING = [40.0, 44.5, 43.8, 49.2, 52.7, 51.9, 57.4, 60.1, 61.8, 66.5, 68.0, 72.9]


def seasonal_start(y, m=12):
    level = float(np.mean(y[:m]))
    trend = float((np.mean(y[m:2 * m]) - np.mean(y[:m])) / m)
    return level, trend, [float(v - level) for v in y[:m]]


def hyndman(fit, n, horizon, m=12):
    level, trend, season = fit.level[-1], fit.trend[-1], list(fit.season)
    return [float(level + h * trend + season[n + h - m * ((h - 1) // m + 1) - 1]) for h in range(1, horizon + 1)]


def holt_winters(y, alpha, beta, gamma):
    level, trend, season = seasonal_start(y)
    model = ExponentialSmoothing(np.asarray(y), trend="add", seasonal="add", seasonal_periods=12, initialization_method="known",
                                 initial_level=level, initial_trend=trend, initial_seasonal=season)
    fixed = model.fit(smoothing_level=alpha, smoothing_trend=beta, smoothing_seasonal=gamma, optimized=False)
    fitted = model.fit()
    return {
        "series": y, "alpha": alpha, "beta": beta, "gamma": gamma, "initialLevel": level, "initialTrend": trend, "initialSeasonal": season,
        "fitted": [float(v) for v in fixed.fittedvalues], "forecast": [float(v) for v in fixed.forecast(12)],
        "forecastHyndman": hyndman(fixed, len(y), 12), "sse": float(fixed.sse),
        "fittedParameters": {"alpha": float(fitted.params["smoothing_level"]), "beta": float(fitted.params["smoothing_trend"]),
                             "gamma": float(fitted.params["smoothing_seasonal"])},
        "fittedSSE": float(fitted.sse),
    }


def holt(y, alpha, beta):
    level, trend = float(y[0]), float(y[1] - y[0])
    model = Holt(np.asarray(y), initialization_method="known", initial_level=level, initial_trend=trend)
    fixed = model.fit(smoothing_level=alpha, smoothing_trend=beta, optimized=False)
    fitted = model.fit()
    return {
        "series": y, "alpha": alpha, "beta": beta, "initialLevel": level, "initialTrend": trend,
        "fitted": [float(v) for v in fixed.fittedvalues], "forecast": [float(v) for v in fixed.forecast(6)], "sse": float(fixed.sse),
        "fittedParameters": {"alpha": float(fitted.params["smoothing_level"]), "beta": float(fitted.params["smoothing_trend"])},
        "fittedSSE": float(fitted.sse),
    }


print(json.dumps({
    "producedBy": "python3 scripts/forecast-references.py (statsmodels %s, numpy %s)" % (statsmodels.__version__, np.__version__),
    "holtWinters": holt_winters(SEASONAL, 0.3, 0.1, 0.2),
    "holt": holt(TRENDING, 0.5, 0.2),
}, indent=1))
