#!/usr/bin/python3
"""Reference values for test/stats/screen-fixtures.test.ts, from scipy and scikit-learn (Debian python3-sklearn):
the bias-corrected Cramer's V (Bergsma 2013) on chi2_contingency's statistic, and a screened table's numeric
column (roc_auc_score, mannwhitneyu, the binned V) and presence flag. Inputs are seeded and stored with the outputs.
Usage: /usr/bin/python3 scripts/make-screen-fixtures.py OUT.json"""
import json, sys
import numpy as np
import scipy
from scipy.stats import chi2_contingency, mannwhitneyu
from sklearn import __version__ as skv
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(20240619)


def bergsma_v(table):
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    r, c = t.shape
    n = t.sum()
    if r < 2 or c < 2:
        return 0.0
    chi2 = chi2_contingency(t, correction=False)[0]
    phi2 = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
    rc, cc = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    return float(min(1.0, np.sqrt(phi2 / min(rc - 1, cc - 1))))


def v_case(name, table):
    t = np.asarray(table)
    chi2, p = chi2_contingency(t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0], correction=False)[:2]
    return {"name": name, "table": t.tolist(), "v_bc": bergsma_v(t), "chi2": float(chi2), "p": float(p)}


def random_table(levels, n, effect):
    y = rng.random(n) < 0.4
    lv = np.where(rng.random(n) < effect, np.where(y, 0, 1), rng.integers(0, levels, n))
    t = np.zeros((levels, 2), dtype=int)
    np.add.at(t, (lv, y.astype(int)), 1)
    return t


v_cases = [
    v_case("2x2", [[30, 10], [15, 45]]),
    v_case("3x2", [[12, 30], [25, 18], [40, 9]]),
    v_case("4x3", [[200, 5, 3], [10, 150, 7], [8, 9, 120], [30, 30, 30]]),
    v_case("independent_2x2", [[20, 20], [30, 30]]),
    v_case("perfect_2x2", [[50, 0], [0, 70]]),
    v_case("noise_40_levels_n400", random_table(40, 400, 0.0)),
    v_case("noise_300_levels_n3000", random_table(300, 3000, 0.0)),
    v_case("weak_20_levels_n2000", random_table(20, 2000, 0.15)),
]

# A screened table: a numeric column with ties and some blanks (missing at random), and a presence flag.
n = 600
y = (rng.random(n) < 0.45).astype(int)
age = np.round(rng.normal(50 + 6 * y, 12), 0)
age_blank = rng.random(n) < 0.05
flag = rng.random(n) < np.where(y == 1, 0.5, 0.2)
present = ~age_blank
a, yy = age[present], y[present]
auc = roc_auc_score(yy, a)
mw = mannwhitneyu(a[yy == 1], a[yy == 0], alternative="two-sided", use_continuity=True, method="asymptotic")
# quantile bins as the screen cuts them: edges at sorted[floor(q n / 10)], q = 1..9, above the minimum, distinct
s = np.sort(a)
edges = []
for q in range(1, 10):
    e = s[(q * len(s)) // 10]
    if e > s[0] and (not edges or e > edges[-1]):
        edges.append(e)
bins = np.searchsorted(np.asarray(edges), a, side="right")
bt = np.zeros((len(edges) + 1, 2), dtype=int)
np.add.at(bt, (bins, yy), 1)
ft = np.zeros((2, 2), dtype=int)
np.add.at(ft, (flag.astype(int), y), 1)
table = {
    "labels": "".join(map(str, y)),
    "age": ["" if b else str(int(v)) for v, b in zip(age, age_blank)],
    "flag": ["1" if f else "" for f in flag],
    "age_auc": float(auc), "age_mw_p": float(mw.pvalue), "age_binned_v_bc": bergsma_v(bt),
    "age_binned_p": float(chi2_contingency(bt[bt.sum(axis=1) > 0], correction=False)[1]),
    "flag_v_bc": bergsma_v(ft), "flag_p": float(chi2_contingency(ft, correction=False)[1]),
}
with open(sys.argv[1], "w") as f:
    json.dump({"generator": "scripts/make-screen-fixtures.py", "scipy": scipy.__version__, "sklearn": skv,
               "reference": "Bergsma (2013) bias-corrected V on scipy chi2_contingency(correction=False); "
                            "sklearn roc_auc_score; scipy mannwhitneyu(use_continuity=True, method='asymptotic')",
               "v": v_cases, "table": table}, f)
    f.write("\n")
print("wrote", sys.argv[1])
