"""Write a SYNTHETIC analysis file in the layout "tasktrace-analysis/1", for tests and previews.

The numbers are made up (smooth curves plus seeded noise); they are not results of any run.
The file has the layout `plot_study.py` reads (see README.md, "analysis.h5"), with the
corner cases a real study can produce:

* two variants, "equal" and "w0.7-0.3"; two tasks, "left" and "right"; three seeds;
* NaN where a seed lacks a training-loss level (the lowest levels of one seed);
* conflict and trajectory factors for "equal" only (as if "w0.7-0.3" had no probes);
* an onset for task "left" of "equal", none (NaN) elsewhere;
* two correlations over units (task x seed x variant).

Usage::

    /usr/bin/python3 notebooks-data/synthetic_analysis.py OUT.h5

Every dataset carries `description` and `units` attributes, like the Swift writer's.
"""

import os
import sys

import h5py
import numpy as np

STRING = h5py.string_dtype(encoding="utf-8")
TASKS = ["left", "right"]
VARIANTS = ["equal", "w0.7-0.3"]
SEEDS = [1, 2, 3]
METRICS = ["accuracy", "accuracy"]
FACTORS = {
    "sharpness": "nats (per squared parameter unit)",
    "hessian_trace": "nats (per squared parameter unit)",
    "fisher_trace": "(nats)^2",
    "grad_noise_trace": "(nats)^2",
    "noise_scale": "examples",
    "coherence": "1",
    "dist_init": "parameter units",
    "weight_norm": "parameter units",
}


def dataset(group, name, values, description, units):
    """Creates `group[name]` with its `description` and `units` attributes."""
    ds = group.create_dataset(name, data=np.asarray(values))
    ds.attrs["description"] = description
    ds.attrs["units"] = units
    return ds


def strings(values):
    """A string-array attribute value (variable-length UTF-8)."""
    return np.array(values, dtype=STRING)


def write(path, seed=0):
    """Writes the synthetic analysis file to `path` (its folder is created if missing)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    s_count, grid_size, k_steps = len(SEEDS), 40, 60
    grid = np.geomspace(2.3, 0.05, grid_size)  # training-loss levels, high to low
    log_progress = np.log(grid[0] / grid) / np.log(grid[0] / grid[-1])  # 0 -> 1 along the grid
    steps = np.linspace(0, 6000, k_steps).round()

    with h5py.File(path, "w") as f:
        f.attrs["schema"] = "tasktrace-analysis/1"
        f.attrs["study"] = "synthetic preview (made-up numbers)"
        f.attrs["created"] = "2026-01-01T00:00:00Z"
        f.attrs["tasks"] = strings(TASKS)
        f.attrs["variants"] = strings(VARIANTS)
        f.attrs["seeds"] = np.array(SEEDS, dtype=np.int64)
        f.attrs["metric_names"] = strings(METRICS)
        f.attrs["conflict_source"] = "probe"

        for v_index, variant in enumerate(VARIANTS):
            for t_index, task in enumerate(TASKS):
                size = 0.04 * (1 + v_index) * (1 if t_index == 0 else -0.5)
                g = f.create_group(f"gap/{variant}/{task}")
                dataset(g, "loss_grid", grid, "training-loss levels of the matched comparison, high to low", "nats")
                val_st = 1.05 * grid + 0.05 + 0.2 * log_progress + 0.02 * rng.normal(size=(s_count, grid_size))
                gap = size * log_progress + 0.008 * rng.normal(size=(s_count, grid_size))
                val_mt = val_st + gap
                acc_st = 1 - 0.35 * grid / grid[0] + 0.01 * rng.normal(size=(s_count, grid_size))
                acc_gap = -0.5 * gap + 0.004 * rng.normal(size=(s_count, grid_size))
                acc_mt = acc_st + acc_gap
                mt_step = np.tile(np.linspace(0, 6000, grid_size), (s_count, 1)) * rng.uniform(0.9, 1.1, (s_count, 1))
                for array in (val_st, val_mt, gap, acc_st, acc_mt, acc_gap, mt_step):
                    array[2, -5:] = np.nan  # seed 3 never reached the five lowest levels
                for name, values, description, units in [
                    ("val_loss_st", val_st, "ST validation loss at each level, per seed", "nats"),
                    ("val_loss_mt", val_mt, "MT validation loss at each level, per seed", "nats"),
                    ("val_loss_gap", gap, "validation-loss gap MT - ST per seed", "nats"),
                    ("val_metric_st", acc_st, "ST validation metric at each level, per seed", "fraction"),
                    ("val_metric_mt", acc_mt, "MT validation metric at each level, per seed", "fraction"),
                    ("val_metric_gap", acc_gap, "validation-metric gap MT - ST per seed", "fraction"),
                    ("mt_step", mt_step, "MT step at which each level was reached, per seed", "steps"),
                ]:
                    dataset(g, name, values, description, units)
                for name, values, units in [("val_loss_gap", gap, "nats"), ("val_metric_gap", acc_gap, "fraction")]:
                    mean = np.nanmean(values, axis=0)
                    spread = 1.96 * np.nanstd(values, axis=0) / np.sqrt(np.sum(np.isfinite(values), axis=0))
                    dataset(g, name + "_mean", mean, f"{name} mean over seeds", units)
                    dataset(g, name + "_low", mean - spread, f"{name} lower end of the 95% interval", units)
                    dataset(g, name + "_high", mean + spread, f"{name} upper end of the 95% interval", units)
                mean_gap = float(np.nanmean(gap))
                g.attrs["mean_gap"], g.attrs["mean_gap_low"], g.attrs["mean_gap_high"] = mean_gap, mean_gap - 0.01, mean_gap + 0.01
                g.attrs["gap_at_lowest"] = float(np.nanmean(gap[:, -1]))
                g.attrs["gap_at_lowest_low"] = g.attrs["gap_at_lowest"] - 0.02
                g.attrs["gap_at_lowest_high"] = g.attrs["gap_at_lowest"] + 0.02
                g.attrs["onset_step"] = 1800.0 if (variant, task) == ("equal", "left") else np.nan
                metric_gap = float(np.nanmean(acc_gap))
                g.attrs["metric_mean_gap"] = metric_gap
                g.attrs["metric_mean_gap_low"], g.attrs["metric_mean_gap_high"] = metric_gap - 0.005, metric_gap + 0.005

                o = f.create_group(f"optimization/{variant}/{task}")
                effect = 0.05 * np.exp(-steps / 2000) * (1 + 0.2 * rng.normal(size=(s_count, k_steps)))
                dataset(o, "step", steps, "matched optimizer steps", "steps")
                dataset(o, "effect", effect, "MT - ST training loss at the matched step, per seed", "nats")
                dataset(o, "effect_mean", effect.mean(axis=0), "mean over seeds of effect", "nats")

                if variant == "equal":
                    for name, units in FACTORS.items():
                        fg = f.create_group(f"factors/{variant}/{task}/{name}")
                        base = (1 + 3 * log_progress) * (1 if name != "coherence" else 0.2)
                        st = base * (1 + 0.05 * rng.normal(size=(s_count, grid_size)))
                        mt = base * (1.1 + 0.05 * rng.normal(size=(s_count, grid_size)))
                        st[2, -5:] = mt[2, -5:] = np.nan
                        dataset(fg, "loss_grid", grid, "training-loss levels, high to low", "nats")
                        dataset(fg, "st", st, f"ST {name} at each level, per seed", units)
                        dataset(fg, "mt", mt, f"MT {name} at each level, per seed", units)
                        dataset(fg, "difference", mt - st, f"MT - ST {name}, per seed", units)
                        fg.attrs["mean_difference"] = float(np.nanmean(mt - st))

            if variant == "equal":
                c = f.create_group(f"conflict/{variant}")
                c.attrs["pairs"] = strings(["left|right"])
                cosine = (0.25 * np.exp(-steps / 1500)[None, None, :] - 0.05
                          + 0.08 * rng.normal(size=(s_count, 1, k_steps)))
                dataset(c, "step", steps, "optimizer steps of the probe rows", "steps")
                dataset(c, "cosine", cosine, "cosine between big-batch task gradients, per seed and pair", "1")
                dataset(c, "directional_conflict", np.sqrt((1 + cosine[:, 0, :]) / 2),
                        "|mean of unit task gradients|", "1")
                dataset(c, "mean_cosine", cosine.mean(axis=2), "mean cosine over the rows", "1")
                dataset(c, "conflict_fraction", (cosine < 0).mean(axis=2), "share of rows with cosine < 0", "1")
                dataset(c, "magnitude_similarity", rng.uniform(0.6, 0.95, (s_count, 1)),
                        "mean 2|g_i||g_j| / (|g_i|^2 + |g_j|^2)", "1")
                thirds = np.array_split(np.arange(k_steps), 3)
                dataset(c, "mean_cosine_windows", np.stack([cosine[:, :, w].mean(axis=2) for w in thirds], axis=2),
                        "mean cosine in the first, middle and last third of training", "1")
                dataset(c, "conflict_fraction_windows",
                        np.stack([(cosine[:, :, w] < 0).mean(axis=2) for w in thirds], axis=2),
                        "conflict fraction in the first, middle and last third of training", "1")

        units = [f"{task} seed {s} {variant}" for variant in VARIANTS for task in TASKS for s in SEEDS]
        u = len(units)
        conflict = rng.uniform(-0.1, 0.4, u)
        for name, x, y, x_label, y_label, x_units, y_units in [
            ("conflict_vs_optimization", conflict, -0.2 * conflict + 0.02 * rng.normal(size=u),
             "mean cosine between task gradients", "optimization effect (MT - ST train loss)", "1", "nats"),
            ("conflict_vs_gap", conflict, 0.03 * rng.normal(size=u),
             "mean cosine between task gradients", "mean validation-loss gap MT - ST", "1", "nats"),
        ]:
            x = x.copy()
            if name == "conflict_vs_gap":
                x[0] = np.nan  # a unit without a value: left out of the statistics
            cg = f.create_group(f"correlations/{name}")
            dataset(cg, "x", x, x_label, x_units)
            dataset(cg, "y", y, y_label, y_units)
            cg.attrs["x_label"], cg.attrs["y_label"] = x_label, y_label
            cg.attrs["units"] = strings(units)
            ok = np.isfinite(x) & np.isfinite(y)
            r = float(np.corrcoef(x[ok], y[ok])[0, 1])
            ranks = [np.argsort(np.argsort(a[ok])) for a in (x, y)]
            rho = float(np.corrcoef(*ranks)[0, 1])
            cg.attrs.update({"pearson": r, "pearson_low": max(-1.0, r - 0.2), "pearson_high": min(1.0, r + 0.2),
                             "pearson_p": 0.01 if abs(r) > 0.5 else 0.4, "spearman": rho,
                             "spearman_low": max(-1.0, rho - 0.25), "spearman_high": min(1.0, rho + 0.25),
                             "spearman_p": 0.02 if abs(rho) > 0.5 else 0.5, "n": np.int64(ok.sum())})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: synthetic_analysis.py OUT.h5")
    write(sys.argv[1])
    print(sys.argv[1])
