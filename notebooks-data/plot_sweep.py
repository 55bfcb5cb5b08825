"""Render the Pareto front of a TaskTrace weight sweep from its sweep file (schema "tasktrace-sweep/1").

Usage::

    /usr/bin/python3 notebooks-data/plot_sweep.py SWEEP/sweep.h5 SWEEP/figures

writes ``front_<A>_<B>.png`` for every pair of tasks A, B (one figure for two tasks) into the
output folder (created if missing) and prints each path on its own line. Each figure plots the
validation metric of task B against that of task A at the end of every run (mean
over seeds): the swept scalarizations as dots, those on the Pareto front (over all tasks)
joined in order of A and ringed, each seed as a faint dot, and the MTO methods as labelled
crosses.

Needs numpy, h5py and matplotlib (Debian: python3-numpy, python3-h5py, python3-matplotlib);
uses matplotlib's Agg backend, so no display is needed.
"""

import argparse
import itertools
import os
import re
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _names(attribute):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in attribute]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sweep", help="the sweep file (sweep.h5)")
    parser.add_argument("out", help="folder for the PNG files")
    args = parser.parse_args(argv)
    try:
        f = h5py.File(args.sweep, "r")
    except OSError as error:
        print(f"plot_sweep.py: {args.sweep}: cannot open ({error})", file=sys.stderr)
        return 2
    if f.attrs.get("schema") != "tasktrace-sweep/1":
        print(f"plot_sweep.py: {args.sweep}: not a tasktrace-sweep/1 file", file=sys.stderr)
        return 2
    tasks = _names(f.attrs["tasks"])
    metrics = _names(f.attrs["metric_names"])
    names = _names(f.attrs["scalarizations"])
    methods = _names(f.attrs["methods"])
    values = f["scalarizations/val_metric"][:]
    per_seed = f["scalarizations/val_metric_per_seed"][:]
    front = f["scalarizations/pareto"][:] > 0.5
    method_values = f["methods/val_metric"][:] if methods else np.zeros((0, len(tasks)))
    os.makedirs(args.out, exist_ok=True)
    for a, b in itertools.combinations(range(len(tasks)), 2):
        fig, ax = plt.subplots(figsize=(5.5, 5))
        seeds = per_seed.reshape(-1, len(tasks))
        ax.scatter(seeds[:, a], seeds[:, b], s=8, color="0.75", label="each seed")
        ax.scatter(values[:, a], values[:, b], s=24, color="tab:blue", label="scalarization (mean)")
        order = np.argsort(values[front, a])
        ax.plot(values[front, a][order], values[front, b][order], "o-", mfc="none", ms=10, color="tab:blue",
                label="Pareto front")
        for name, point in zip(methods, method_values):
            ax.scatter([point[a]], [point[b]], marker="x", s=60, color="tab:red")
            ax.annotate(name, (point[a], point[b]), textcoords="offset points", xytext=(5, 5), fontsize=8)
        if len(tasks) == 2:
            for name, point in zip(names, values):
                ax.annotate(name.replace("w-", ""), (point[a], point[b]), textcoords="offset points",
                            xytext=(4, -10), fontsize=7, color="tab:blue")
        ax.set_xlabel(f"{tasks[a]} validation {metrics[a]}")
        ax.set_ylabel(f"{tasks[b]} validation {metrics[b]}")
        ax.set_title("weight sweep: final validation metric")
        ax.legend(fontsize=8, loc="lower left")
        fig.tight_layout()
        safe = [re.sub(r"[^A-Za-z0-9._-]", "_", tasks[i]) for i in (a, b)]
        path = os.path.join(args.out, f"front_{safe[0]}_{safe[1]}.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
