#!/usr/bin/env Rscript
# Reference values for test/stats/: pROC (DeLong AUC CI and paired test), wilcox.test, chisq.test and the
# distribution functions of base R. Inputs are generated here with a fixed seed and stored with the outputs.
#
# pROC conventions used throughout: roc(response, predictor, levels = c(0, 1), direction = "<"), i.e.
# label 0 = controls, label 1 = cases, cases expected to score higher. With the direction fixed, pROC never
# flips an AUC below 0.5, which is what confound's src/stats does too.
#
# Scores are stored as integers with a scale (score = value / scale) so the JSON stays small and exact.
# Usage: Rscript scripts/make-stats-fixtures.R [outdir]   (default test/fixtures/stats)
suppressPackageStartupMessages({ library(pROC); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "test/fixtures/stats"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
set.seed(20210401)

write_fixture <- function(x, name) {
  path <- file.path(outdir, name)
  writeLines(toJSON(x, auto_unbox = TRUE, digits = NA, null = "null"), path)
  cat(sprintf("wrote %s (%d bytes)\n", path, file.size(path)))
}
quantise <- function(s, scale) as.integer(round(s * scale))
labels_string <- function(y) paste(y, collapse = "")
make_roc <- function(y, s) roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)

# --- single AUC with DeLong CI ----------------------------------------------------------------------------
single <- function(name, y, si, scale) {
  s <- si / scale
  r <- make_roc(y, s)
  ci <- as.numeric(ci.auc(r, method = "delong", conf.level = 0.95))
  list(name = name, labels = labels_string(y), scale = scale, scores = si,
       auc = as.numeric(auc(r)), var = as.numeric(var(r, method = "delong")),
       ci_lo = ci[1], ci_hi = ci[3])
}
binormal <- function(n, prev, shift, scale) {
  y <- rbinom(n, 1, prev)
  list(y = y, si = quantise(plogis(rnorm(n) + shift * y), scale))
}
auc_cases <- list()
auc_cases[[1]] <- single("tiny_n5_ties", c(0, 1, 0, 1, 0), c(10, 40, 40, 80, 35), 100)
b <- binormal(200, 0.4, 1, 10); auc_cases[[2]] <- single("ties_n200_one_decimal", b$y, b$si, 10)
y <- rep(c(0, 1), each = 10); auc_cases[[3]] <- single("perfectly_separated_n20", y, c(1:10, 21:30), 100)
b <- binormal(60, 0.5, -0.8, 1000); auc_cases[[4]] <- single("below_half_n60", b$y, b$si, 1000)
b <- binormal(10000, 0.3, 1.2, 1000); auc_cases[[5]] <- single("large_n10000_three_decimals", b$y, b$si, 1000)
b <- binormal(31, 0.6, 2.5, 100); auc_cases[[6]] <- single("near_separated_n31", b$y, b$si, 100)
b <- binormal(40, 0.5, 0.5, 100); b$si[] <- 50L; auc_cases[[7]] <- single("all_scores_tied_n40", b$y, b$si, 100)

# --- paired DeLong test ----------------------------------------------------------------------------------
paired <- function(name, y, s1i, s2i, scale) {
  r1 <- make_roc(y, s1i / scale); r2 <- make_roc(y, s2i / scale)
  t <- roc.test(r1, r2, method = "delong", paired = TRUE)
  list(name = name, labels = labels_string(y), scale = scale, scores1 = s1i, scores2 = s2i,
       auc1 = as.numeric(auc(r1)), auc2 = as.numeric(auc(r2)),
       z = as.numeric(t$statistic), p = as.numeric(t$p.value))
}
correlated <- function(n, prev, shift1, shift2, rho, scale) {
  y <- rbinom(n, 1, prev)
  common <- rnorm(n)
  e1 <- common; e2 <- rho * common + sqrt(1 - rho^2) * rnorm(n)
  list(y = y, s1 = quantise(plogis(e1 + shift1 * y), scale), s2 = quantise(plogis(e2 + shift2 * y), scale))
}
paired_cases <- list()
paired_cases[[1]] <- paired("tiny_n5", c(0, 1, 0, 1, 0), c(10, 40, 40, 80, 35), c(20, 30, 50, 90, 10), 100)
cc <- correlated(300, 0.4, 1.5, 1.0, 0.7, 1000); paired_cases[[2]] <- paired("correlated_n300", cc$y, cc$s1, cc$s2, 1000)
cc <- correlated(400, 0.5, 1.0, 0.9, 0.5, 10); paired_cases[[3]] <- paired("ties_n400_one_decimal", cc$y, cc$s1, cc$s2, 10)
cc <- correlated(10000, 0.35, 1.3, 1.2, 0.8, 1000); paired_cases[[4]] <- paired("large_n10000", cc$y, cc$s1, cc$s2, 1000)
y <- rep(c(0, 1), each = 10)
paired_cases[[5]] <- paired("one_separated_n20", y, c(1:10, 21:30), c(1:5, 21:25, 6:10, 26:30), 100)
cc <- correlated(80, 0.5, 1.0, 1.0, 0.3, 100); paired_cases[[6]] <- paired("strongly_different_n80", cc$y, cc$s1, 100L - cc$s2, 100)

write_fixture(list(
  generator = "scripts/make-stats-fixtures.R", pROC = as.character(packageVersion("pROC")), R = R.version.string,
  convention = "roc(labels, scores, levels = c(0, 1), direction = '<'); scores = value / scale; labels as a 0/1 string",
  auc = auc_cases, paired = paired_cases), "delong.json")

# --- Mann-Whitney (normal approximation) -----------------------------------------------------------------
mw <- function(name, y, si, scale) {
  s <- si / scale
  w1 <- suppressWarnings(wilcox.test(s[y == 1], s[y == 0], exact = FALSE, correct = TRUE))
  w0 <- suppressWarnings(wilcox.test(s[y == 1], s[y == 0], exact = FALSE, correct = FALSE))
  list(name = name, labels = labels_string(y), scale = scale, scores = si,
       u = as.numeric(w1$statistic), p_corrected = w1$p.value, p_uncorrected = w0$p.value)
}
b <- binormal(50, 0.5, 0.8, 10)
b2 <- binormal(500, 0.2, 0.3, 100)
write_fixture(list(generator = "scripts/make-stats-fixtures.R", reference = "wilcox.test(x[y==1], x[y==0], exact = FALSE)",
  cases = list(mw("ties_n50", b$y, b$si, 10), mw("n500", b2$y, b2$si, 100),
               mw("tiny_n5", c(0, 1, 0, 1, 0), c(10, 40, 40, 80, 35), 100))), "mann-whitney.json")

# --- chi-square test of independence and distribution functions ------------------------------------------
chi <- function(name, m) {
  t <- suppressWarnings(chisq.test(m, correct = FALSE))
  list(name = name, table = m, statistic = as.numeric(t$statistic), df = as.numeric(t$parameter), p = t$p.value)
}
write_fixture(list(generator = "scripts/make-stats-fixtures.R", reference = "chisq.test(table, correct = FALSE); base R distributions",
  chisq = list(
    chi("2x2", matrix(c(30, 10, 15, 45), 2, byrow = TRUE)),
    chi("2x2_independent", matrix(c(20, 20, 30, 30), 2, byrow = TRUE)),
    chi("3x2", matrix(c(12, 30, 25, 18, 40, 9), 3, byrow = TRUE)),
    chi("4x3_strong", matrix(c(200, 5, 3, 10, 150, 7, 8, 9, 120, 30, 30, 30), 4, byrow = TRUE)),
    chi("5x2_sparse", matrix(c(1, 0, 3, 2, 0, 4, 5, 1, 2, 2), 5, byrow = TRUE))),
  pnorm = lapply(c(-12, -8, -3.3, -1.96, -0.5, 0, 0.1, 1, 2.5, 6), function(z) list(z = z, p = pnorm(z))),
  qnorm = lapply(c(1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999), function(p) list(p = p, z = qnorm(p))),
  pchisq_upper = lapply(list(c(0.5, 1), c(3.84, 1), c(10, 4), c(50, 3), c(200, 12), c(1e-3, 7), c(30, 30.5)),
    function(a) list(x = a[1], df = a[2], p = pchisq(a[1], a[2], lower.tail = FALSE))),
  lgamma = lapply(c(0.01, 0.5, 1, 2.5, 7.3, 15, 100, 12345.6), function(x) list(x = x, value = lgamma(x)))),
  "distributions.json")
