#!/usr/bin/env python3
"""Prints a Markdown table of the paired comparisons in a study folder's comparisons.json.

Usage: scripts/verdict-table.py STUDY_DIR [METRIC_PREFIX ...]

One row per method and metric: the mean paired difference (method minus baseline) with its 95%
confidence interval, the Holm-corrected t-test p-value, the Wilcoxon p-value, the number of
paired seeds, and the verdict at alpha = 0.05 on the Holm p-value, as `selfdistill compare`
decides it. Differences of fractions are in percentage points; NLL in nats; Brier as a score.
With prefixes, only metrics whose names start with one of them are listed, in prefix order.
"""
import json
import sys

# Metrics where a lower value is better; all others are better when higher.
LOWER_IS_BETTER = ("test_nll", "test_ece", "test_brier", "generalisation_gap")
NOT_FRACTION = {"test_nll": "nats", "test_brier": ""}


def fmt_p(p):
    if p is None:
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.2g}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(f"{sys.argv[1]}/comparisons.json") as handle:
        comparisons = json.load(handle)
    prefixes = sys.argv[2:]
    if prefixes:
        ordered = []
        for prefix in prefixes:
            ordered += [c for c in comparisons if c["metric"].startswith(prefix) and c not in ordered]
        comparisons = ordered
    print("| method | metric | difference | 95% CI | t-test p (Holm) | Wilcoxon p | seeds | verdict |")
    print("|---|---|---|---|---|---|---|---|")
    for c in comparisons:
        metric = c["metric"]
        scale, unit = (1, NOT_FRACTION[metric]) if metric in NOT_FRACTION else (100, "pp")
        decimals = 3 if scale == 1 else 2
        if c["n"] < 2 or c.get("holm_p") is None:
            print(f"| {c['label']} | {metric} | n/a | n/a | n/a | n/a | {c['n']} | too few seeds |")
            continue
        diff = c["mean_difference"] * scale
        low, high = c["ci_low"] * scale, c["ci_high"] * scale
        verdict = "no difference detected"
        if c["holm_p"] < 0.05:
            better = (diff > 0) != metric.startswith(LOWER_IS_BETTER)
            verdict = "**better**" if better else "**worse**"
        suffix = f" {unit}" if unit else ""
        print(f"| {c['label']} | {metric} | {diff:+.{decimals}f}{suffix} | {low:.{decimals}f} to {high:.{decimals}f} "
              f"| {fmt_p(c['holm_p'])} | {fmt_p(c['wilcoxon_p'])} | {c['n']} | {verdict} |")


if __name__ == "__main__":
    main()
