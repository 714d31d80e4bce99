#!/bin/sh
# Regenerate test/fixtures/stats/*.json: pROC/base-R references (make-stats-fixtures.R) and Cohen's kappa
# references from scikit-learn's cohen_kappa_score (Debian python3-sklearn); the screen's (bias-corrected V, AUC,
# Mann-Whitney) from scipy/scikit-learn (make-screen-fixtures.py). Inputs are seeded.
set -eu
cd "$(dirname "$0")/.."
OUT=test/fixtures/stats
Rscript scripts/make-stats-fixtures.R "$OUT"
/usr/bin/python3 scripts/make-screen-fixtures.py "$OUT/screen.json"
/usr/bin/python3 - "$OUT/kappa.json" <<'PY'
import json, sys, warnings
import numpy as np
from sklearn import __version__ as skv
from sklearn.metrics import cohen_kappa_score
rng = np.random.default_rng(20210401)
def case(name, a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = float(cohen_kappa_score(a, b))
    return {"name": name, "rater1": list(a), "rater2": list(b), "kappa": None if k != k else k}
bin1 = rng.integers(0, 2, 60).tolist()
bin2 = [x if rng.random() < 0.8 else 1 - x for x in bin1]
cats = ["L", "R", "none", "both"]
c1 = [cats[i] for i in rng.integers(0, 4, 120)]
c2 = [x if rng.random() < 0.6 else cats[int(rng.integers(0, 4))] for x in c1]
cases = [
    case("binary_n60", [int(x) for x in bin1], [int(x) for x in bin2]),
    case("categorical_4_levels_n120", c1, c2),
    case("perfect_agreement", [0, 1, 1, 0, 1], [0, 1, 1, 0, 1]),
    case("systematic_disagreement", [0, 1, 0, 1, 0, 1], [1, 0, 1, 0, 1, 0]),
    case("rater2_constant", [0, 1, 0, 1, 1], [1, 1, 1, 1, 1]),
    case("both_constant_same", [1, 1, 1], [1, 1, 1]),
    case("unseen_category", ["a", "b", "a", "c"], ["a", "b", "d", "c"]),
]
with open(sys.argv[1], "w") as f:
    json.dump({"generator": "scripts/make-stats-fixtures.sh", "sklearn": skv,
               "reference": "sklearn.metrics.cohen_kappa_score (null = undefined, NaN)", "cases": cases}, f)
    f.write("\n")
print("wrote", sys.argv[1])
PY
