#!/usr/bin/env python3
"""Prints a Markdown table of mean ± sd per label from a study folder's summary.csv.

Usage: scripts/results-table.py STUDY_DIR [METRIC ...]
Fractions are shown in percent. With no metrics, a default set of headline metrics is used.
"""
import csv
import math
import sys

DEFAULT = [
    "test_accuracy", "test_macro_f1", "test_nll", "test_ece", "generalisation_gap",
    "accuracy_without_image", "accuracy_without_audio", "probe_accuracy_joint",
    "knn_accuracy_joint", "wall_seconds",
]
NOT_PERCENT = {"test_nll", "test_brier", "wall_seconds", "samples_per_second", "parameters",
               "best_epoch", "epochs_to_95pct"}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    metrics = sys.argv[2:] or DEFAULT
    rows = {}
    labels = []
    with open(f"{folder}/summary.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] not in rows:
                rows[row["label"]] = {}
                labels.append(row["label"])
            rows[row["label"]][row["metric"]] = row
    metrics = [m for m in metrics if any(m in rows[label] for label in labels)]
    print("| method | " + " | ".join(metrics) + " |")
    print("|---|" + "---|" * len(metrics))
    for label in labels:
        cells = []
        for metric in metrics:
            row = rows[label].get(metric)
            if row is None or row["n"] == "0":
                cells.append("n/a")
                continue
            scale = 1 if metric in NOT_PERCENT or metric.startswith("robustness") else 100
            digits = 0 if metric == "wall_seconds" else (4 if scale == 1 else 2)
            mean = float(row["mean"]) * scale
            sd = float(row["sd"]) * scale
            text = f"{mean:.{digits}f}"
            if not math.isnan(sd):
                text += f" ± {sd:.{digits}f}"
            cells.append(text)
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
