"""Render the figures of a TaskTrace study from its analysis file (schema "tasktrace-analysis/1").

Usage::

    /usr/bin/python3 notebooks-data/plot_study.py STUDY/analysis.h5 STUDY/figures

writes PNG files into the output folder (created if missing) and prints each path on its
own line. Per variant V (a task weighting, or another setting the study compares) and
task T, with S seeds:

* ``gap_<V>_<T>.png``: the generalization gap at matched training loss. Top: validation
  loss MT − ST against the training loss of T (log axis, reversed so that training goes
  left to right); the mean over seeds with its 95% interval as a band, each seed thin,
  the zero line, and the onset of the gap (a step, placed at the training loss the MT runs
  had then) when the analysis found one. Bottom: the same for the validation metric.
* ``matched_<V>_<T>.png``: validation loss against training loss of T for ST and MT, one
  thin line per seed and the mean over seeds in bold.
* ``conflict_<V>.png``: cosine between the task gradients over optimizer steps, one line
  per seed and task pair; the directional conflict when recorded; and a heat map below
  (rows: seed x pair, columns: steps, diverging colours centred at 0).
* ``factors_<V>_<T>.png``: one panel per trajectory factor (sharpness, Hessian and Fisher
  traces, gradient noise, coherence, ...), ST and MT against training loss of T.
* ``correlation_<name>.png``: the units of a correlation (e.g. task x seed x variant) as a
  scatter, with Pearson r and Spearman rho, their 95% intervals and permutation p-values.

Optional groups may be missing (no probes: no factors, and no conflict when it comes from
the probe); their figures are then skipped with a note on standard error. NaN values (a
seed that never reached a loss level) leave gaps in lines and are skipped by the means.
Characters other than letters, digits, ".", "-" and "_" in V, T or a correlation name
become "_" in file names.

Needs numpy, h5py and matplotlib (Debian: python3-numpy, python3-h5py, python3-matplotlib);
uses matplotlib's Agg backend, so no display is needed.
"""

import argparse
import math
import os
import re
import sys
import textwrap
import warnings

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

ANALYSIS_SCHEMA = "tasktrace-analysis/1"
DPI = 110
ST_COLOR, MT_COLOR, GAP_COLOR = "#1f77b4", "#d62728", "#6a3d9a"

#: Readable names of the trajectory factors; unknown factors are shown by their dataset name.
FACTOR_TITLES = {
    "sharpness": "sharpness (top Hessian eigenvalue)",
    "hessian_trace": "Hessian trace",
    "fisher_trace": "Fisher trace",
    "grad_noise_trace": "gradient noise trace tr(Σ)",
    "noise_scale": "gradient noise scale",
    "coherence": "gradient coherence",
    "dist_init": "distance from initialisation",
    "weight_norm": "weight norm",
}


class AnalysisFileError(Exception):
    """The input is not a readable analysis file; the message names the file and what is wrong."""


# ---------------------------------------------------------------------------------------
# Reading


def text(value):
    """An HDF5 string attribute (str or bytes) as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def texts(value):
    """An HDF5 string-array attribute as a list of str (a single string gives one item)."""
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        return [text(value)]
    return [text(v) for v in np.asarray(value).ravel()]


def number(attrs, name):
    """A numeric attribute as float, NaN when missing or not a number."""
    try:
        return float(np.asarray(attrs[name]).ravel()[0])
    except (KeyError, IndexError, TypeError, ValueError):
        return math.nan


def array(group, name):
    """Dataset `name` of `group` as a float64 array, or None when it is missing."""
    if group is None or name not in group or not isinstance(group[name], h5py.Dataset):
        return None
    return np.asarray(group[name][()], dtype=np.float64)


def units_of(group, name, fallback=""):
    """The `units` attribute of dataset `name` in `group` ("" or `fallback` when absent)."""
    if group is None or name not in group:
        return fallback
    return text(group[name].attrs.get("units", fallback))


def with_units(label, units):
    """An axis label with its units in parentheses ("1" is shown as "dimensionless")."""
    if not units:
        return label
    return f"{label} ({'dimensionless' if units == '1' else units})"


def file_part(name):
    """`name` made safe for a file name."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "_"


def nan_stat(function, values, axis=0):
    """`np.nanmean`-style reduction that returns NaN for all-NaN columns without warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(values, axis=axis)


def running_mean(values, window):
    """Mean over the last `window` finite values at each position (NaN where there are none)."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    sums = np.cumsum(np.where(finite, values, 0.0))
    counts = np.cumsum(finite)
    sums[window:] = sums[window:] - sums[:-window]
    counts[window:] = counts[window:] - counts[:-window]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def fmt(value, digits=3):
    """A number for a title: 3 significant digits, "n/a" for NaN."""
    if value is None or not np.isfinite(value):
        return "n/a"
    return f"{value:.{digits}g}"


def interval(value, low, high):
    """'v [low, high]' for a title."""
    return f"{fmt(value)} [{fmt(low)}, {fmt(high)}]"


# ---------------------------------------------------------------------------------------
# Axes helpers


def loss_axis(ax, grid, label):
    """Log x axis over the training-loss levels `grid`, reversed (high loss on the left)."""
    finite = grid[np.isfinite(grid) & (grid > 0)]
    ax.set_xscale("log")
    if finite.size >= 2 and finite.max() > finite.min():
        ax.set_xlim(finite.max(), finite.min())
    elif finite.size:
        ax.set_xlim(finite[0] * 1.5, finite[0] / 1.5)
    ax.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_xlabel(f"{label};  training progresses →" if label else "")
    ax.grid(True, which="major", alpha=0.3)


def maybe_log_y(ax, *arrays):
    """Log y scale when every finite value is positive and they span more than two decades."""
    values = np.concatenate([np.ravel(a) for a in arrays if a is not None])
    values = values[np.isfinite(values)]
    if values.size and values.min() > 0 and values.max() / values.min() > 100:
        ax.set_yscale("log")
        return True
    return False


def no_data(ax, message):
    """Writes `message` in the middle of an empty panel."""
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.4")


def seed_lines(ax, x, values, color, alpha=0.35, linewidth=0.8):
    """One thin line per seed (row of `values`)."""
    for row in values:
        ax.plot(x, row, color=color, alpha=alpha, linewidth=linewidth)


def save(fig, path, written):
    """Saves and closes `fig` and records its path."""
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    written.append(path)


# ---------------------------------------------------------------------------------------
# Figures


class StudyPlotter:
    """Draws the figures of one analysis file; `run()` returns the paths written."""

    def __init__(self, analysis, outdir):
        """Opens `analysis` and checks its schema.

        Raises:
            AnalysisFileError: the file is missing, not HDF5, or not "tasktrace-analysis/1".
        """
        if not os.path.isfile(analysis):
            raise AnalysisFileError(f"{analysis}: no such file")
        try:
            self.file = h5py.File(analysis, "r")
        except OSError as error:
            raise AnalysisFileError(f"{analysis}: not an HDF5 file ({error})") from None
        schema = text(self.file.attrs.get("schema", ""))
        if schema != ANALYSIS_SCHEMA:
            self.file.close()
            raise AnalysisFileError(f"{analysis}: root attribute schema is {schema!r}, expected {ANALYSIS_SCHEMA!r}")
        self.path = analysis
        self.outdir = outdir
        a = self.file.attrs
        self.study = text(a.get("study", os.path.basename(os.path.dirname(os.path.abspath(analysis)))))
        self.tasks = texts(a.get("tasks"))
        self.variants = texts(a.get("variants"))
        self.seeds = [int(s) for s in np.asarray(a.get("seeds", []), dtype=np.int64).ravel()]
        self.metric_names = texts(a.get("metric_names"))
        self.conflict_source = text(a.get("conflict_source", ""))
        self.written = []

    def close(self):
        """Closes the analysis file."""
        self.file.close()

    def note(self, message):
        """Prints a note (a skipped figure, say) on standard error; standard output lists figures."""
        print(f"plot_study: {message}", file=sys.stderr)

    def title(self, fig, *lines, width=100):
        """Sets the figure title: `lines`, each wrapped at `width` characters, then the study."""
        wrapped = [textwrap.fill(line, width) for line in lines] + [f"study: {self.study}"]
        fig.suptitle("\n".join(wrapped), fontsize=10.5)

    def metric_name(self, task):
        """The validation metric of `task` (from the root attribute metric_names)."""
        if task in self.tasks and self.tasks.index(task) < len(self.metric_names):
            return self.metric_names[self.tasks.index(task)]
        return "metric"

    def seed_label(self, index):
        """"seed N" for row `index` of a per-seed array (the root attribute seeds gives N)."""
        return f"seed {self.seeds[index]}" if index < len(self.seeds) else f"seed #{index + 1}"

    def names_in(self, path, preferred):
        """Members of group `path` in the order of `preferred`, then any others, sorted."""
        if path not in self.file or not isinstance(self.file[path], h5py.Group):
            return []
        present = list(self.file[path].keys())
        return [n for n in preferred if n in present] + sorted(n for n in present if n not in preferred)

    def run(self):
        """Draws every figure the file has data for; returns the paths written, in order."""
        os.makedirs(self.outdir, exist_ok=True)
        variants = self.names_in("gap", self.variants)
        if not variants:
            self.note(f"{self.path}: no /gap group: no gap or matched-loss figures")
        for variant in variants:
            for task in self.names_in(f"gap/{variant}", self.tasks):
                group = self.file[f"gap/{variant}/{task}"]
                self.gap_figure(variant, task, group)
                self.matched_figure(variant, task, group)
        variants = self.names_in("conflict", self.variants)
        if not variants:
            self.note(f"{self.path}: no /conflict group: no conflict figures")
        for variant in variants:
            self.conflict_figure(variant, self.file[f"conflict/{variant}"])
        variants = self.names_in("factors", self.variants)
        if not variants:
            self.note(f"{self.path}: no /factors group (records without probes): no factor figures")
        for variant in variants:
            for task in self.names_in(f"factors/{variant}", self.tasks):
                self.factors_figure(variant, task, self.file[f"factors/{variant}/{task}"])
        names = self.names_in("correlations", [])
        if not names:
            self.note(f"{self.path}: no /correlations group: no correlation figures")
        for name in names:
            self.correlation_figure(name, self.file[f"correlations/{name}"])
        return self.written

    # -- gap ----------------------------------------------------------------------------

    def onset_level(self, group, onset_step):
        """The training-loss level the MT runs had at `onset_step`: the first grid level whose
        median MT step over seeds is at or past the onset (NaN when none is)."""
        grid, mt_step = array(group, "loss_grid"), array(group, "mt_step")
        if grid is None or mt_step is None or not np.isfinite(onset_step):
            return math.nan
        median = nan_stat(np.nanmedian, np.atleast_2d(mt_step))
        reached = np.nonzero(np.isfinite(median) & (median >= onset_step))[0]
        return float(grid[reached[0]]) if reached.size else math.nan

    def gap_panel(self, ax, group, prefix, ylabel):
        """One panel of the gap figure: `prefix`_gap per seed, its mean and 95% band, zero line."""
        grid = array(group, "loss_grid")
        per_seed = array(group, prefix + "_gap")
        mean, low, high = (array(group, prefix + "_gap_" + s) for s in ("mean", "low", "high"))
        units = units_of(group, prefix + "_gap_mean", units_of(group, prefix + "_gap"))
        ax.axhline(0, color="black", linewidth=0.9)
        handles = [Line2D([], [], color="black", linewidth=0.9, label="zero: no gap")]
        if grid is None or mean is None:
            no_data(ax, f"no {prefix}_gap_mean in this group")
            return handles
        if per_seed is not None:
            seed_lines(ax, grid, np.atleast_2d(per_seed), GAP_COLOR, alpha=0.3, linewidth=0.7)
            handles.append(Line2D([], [], color=GAP_COLOR, alpha=0.3, linewidth=0.7, label="single seeds"))
        if low is not None and high is not None:
            ok = np.isfinite(low) & np.isfinite(high)
            ax.fill_between(grid, low, high, where=ok, color=GAP_COLOR, alpha=0.2, linewidth=0)
            handles.append(Patch(color=GAP_COLOR, alpha=0.2, label="95% interval of the mean"))
        ax.plot(grid, mean, color=GAP_COLOR, linewidth=2.2)
        handles.append(Line2D([], [], color=GAP_COLOR, linewidth=2.2, label="mean over seeds"))
        if not np.any(np.isfinite(mean)):
            no_data(ax, "no training-loss level common to ST and MT")
        ax.set_ylabel(with_units(ylabel, units))
        return handles

    def gap_figure(self, variant, task, group):
        """gap_<variant>_<task>.png: loss gap (top) and metric gap (bottom) against training loss."""
        metric = self.metric_name(task)
        grid = array(group, "loss_grid")
        s_count = np.atleast_2d(array(group, "val_loss_gap")).shape[0] if "val_loss_gap" in group else len(self.seeds)
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 8.5), sharex=True)
        a = group.attrs
        loss_summary = (f"mean gap over the common range {interval(number(a, 'mean_gap'), number(a, 'mean_gap_low'), number(a, 'mean_gap_high'))};\n"
                        f"gap at the lowest common loss {interval(number(a, 'gap_at_lowest'), number(a, 'gap_at_lowest_low'), number(a, 'gap_at_lowest_high'))}")
        metric_summary = ("mean gap over the common range " + interval(number(a, "metric_mean_gap"), number(a, "metric_mean_gap_low"),
                                                                       number(a, "metric_mean_gap_high")))
        h_top = self.gap_panel(top, group, "val_loss", "validation loss MT − ST")
        h_bottom = self.gap_panel(bottom, group, "val_metric", f"validation {metric} MT − ST")
        onset = number(a, "onset_step")
        level = self.onset_level(group, onset)
        if np.isfinite(onset) and np.isfinite(level):
            for ax, handles in ((top, h_top), (bottom, h_bottom)):
                ax.axvline(level, color="darkorange", linestyle="--", linewidth=1.5)
                handles.append(Line2D([], [], color="darkorange", linestyle="--", linewidth=1.5,
                                      label=f"onset of the loss gap: step {onset:.0f} (MT train loss ≈ {fmt(level)})"))
            onset_text = f"loss gap sets in at step {onset:.0f}"
        elif np.isfinite(onset):
            onset_text = f"loss gap sets in at step {onset:.0f} (not placed on the loss axis: no MT step reaches it)"
        else:
            onset_text = "no onset: the loss gap never exceeds its seed-to-seed noise"
        top.legend(handles=h_top, fontsize=8, loc="best")
        bottom.legend(handles=h_bottom, fontsize=8, loc="best")
        top.set_title(f"validation loss: {loss_summary}", fontsize=9)
        bottom.set_title(f"validation {metric}: {metric_summary}", fontsize=9)
        if grid is not None:
            loss_axis(top, grid, "")
            loss_axis(bottom, grid, with_units(f"training loss of {task} on the train-eval subset",
                                               units_of(group, "loss_grid")))
            top.set_xlabel("")
        self.title(fig, f"Generalization gap MT − ST at matched training loss: task {task}, variant {variant}",
                   f"mean over {s_count} seeds with 95% interval; {onset_text}")
        fig.tight_layout()
        save(fig, os.path.join(self.outdir, f"gap_{file_part(variant)}_{file_part(task)}.png"), self.written)

    # -- matched --------------------------------------------------------------------------

    def matched_figure(self, variant, task, group):
        """matched_<variant>_<task>.png: ST and MT validation loss against training loss."""
        grid = array(group, "loss_grid")
        st, mt = array(group, "val_loss_st"), array(group, "val_loss_mt")
        fig, ax = plt.subplots(figsize=(9, 6))
        handles = []
        for values, color, label in ((st, ST_COLOR, "ST"), (mt, MT_COLOR, "MT")):
            if values is None or grid is None:
                continue
            values = np.atleast_2d(values)
            seed_lines(ax, grid, values, color)
            ax.plot(grid, nan_stat(np.nanmean, values), color=color, linewidth=2.4)
            handles += [Line2D([], [], color=color, linewidth=2.4, label=f"{label}: mean over seeds"),
                        Line2D([], [], color=color, linewidth=0.8, alpha=0.35, label=f"{label}: single seeds")]
        if not handles:
            no_data(ax, "no val_loss_st / val_loss_mt in this group")
        else:
            if grid is not None and grid.size:
                positive = grid[np.isfinite(grid) & (grid > 0)]
                if positive.size:
                    # Many points: y = x is a curve on a log x axis with a linear y axis.
                    reference = np.geomspace(positive.min(), positive.max(), 200)
                    ax.plot(reference, reference, color="0.5", linestyle=":", linewidth=1)
                handles.append(Line2D([], [], color="0.5", linestyle=":", label="validation = training loss"))
            ax.legend(handles=handles, fontsize=8, loc="best")
            maybe_log_y(ax, st, mt)
        if grid is not None:
            loss_axis(ax, grid, with_units(f"training loss of {task} on the train-eval subset", units_of(group, "loss_grid")))
        ax.set_ylabel(with_units(f"validation loss of {task}", units_of(group, "val_loss_st")))
        s_count = np.atleast_2d(st).shape[0] if st is not None else len(self.seeds)
        self.title(fig, f"Validation loss at matched training loss, ST vs MT: task {task}, variant {variant}",
                   f"thin: each of {s_count} seeds; bold: mean over seeds")
        fig.tight_layout()
        save(fig, os.path.join(self.outdir, f"matched_{file_part(variant)}_{file_part(task)}.png"), self.written)

    # -- conflict ---------------------------------------------------------------------------

    def conflict_figure(self, variant, group):
        """conflict_<variant>.png: cosines over steps as lines, directional conflict, heat map."""
        steps, cosine = array(group, "step"), array(group, "cosine")
        pairs = texts(group.attrs.get("pairs"))
        source = {"probe": "big-batch (probe) task gradients",
                  "minibatch": "minibatch task gradients"}.get(self.conflict_source,
                                                               f"task gradients ({self.conflict_source or 'source unknown'})")
        if steps is None or cosine is None or cosine.ndim != 3 or cosine.shape[2] != steps.size:
            fig, ax = plt.subplots(figsize=(9, 4))
            no_data(ax, "no step [K] / cosine [S,P,K] datasets of matching size")
            ax.set_axis_off()
            self.title(fig, f"Cosine between {source}: variant {variant}")
            save(fig, os.path.join(self.outdir, f"conflict_{file_part(variant)}.png"), self.written)
            return
        s_count, p_count, _ = cosine.shape
        pairs = pairs if len(pairs) == p_count else [f"pair {p + 1}" for p in range(p_count)]
        directional = array(group, "directional_conflict")
        has_directional = directional is not None and directional.shape == (s_count, steps.size)
        rows = s_count * p_count
        heights = [3.2] + ([1.6] if has_directional else []) + [max(1.6, 0.28 * rows + 0.8)]
        heights[-1] += 0.9  # room for the colour bar below the heat map
        fig, axes = plt.subplots(len(heights), 1, figsize=(10, sum(heights) + 1.8), sharex=True,
                                 gridspec_kw={"height_ratios": heights}, layout="constrained")
        lines_ax, heat_ax = axes[0], axes[-1]

        colors = plt.get_cmap("tab10")
        styles = ["-", "--", ":", "-."]
        lines_ax.axhline(0, color="black", linewidth=0.9)
        # Long minibatch series are mostly noise: draw them faintly under a running mean.
        window = max(1, steps.size // 50) if steps.size > 200 else 1
        for p in range(p_count):
            for s in range(s_count):
                label = f"{pairs[p].replace('|', ' vs ')}, {self.seed_label(s)}"
                style = dict(color=colors(p % 10), linestyle=styles[s % len(styles)])
                if window > 1:
                    lines_ax.plot(steps, cosine[s, p], linewidth=0.4, alpha=0.2, **style)
                    lines_ax.plot(steps, running_mean(cosine[s, p], window), linewidth=1.3, label=label, **style)
                else:
                    lines_ax.plot(steps, cosine[s, p], linewidth=1.0, alpha=0.85, label=label, **style)
        if rows <= 12:
            lines_ax.legend(fontsize=7, ncol=2 if rows > 4 else 1, loc="best")
        else:
            lines_ax.legend(handles=[Line2D([], [], color=colors(p % 10), label=pairs[p].replace("|", " vs "))
                                     for p in range(p_count)], fontsize=7, loc="best", title="pair (all seeds)")
        lines_ax.set_ylabel(with_units("cosine(g_i, g_j)", units_of(group, "cosine", "1")))
        lines_ax.set_title("one line per seed and task pair; below 0: the task gradients conflict"
                           + (f"\n(faint: every row; bold: running mean over {window} rows)" if window > 1 else ""),
                           fontsize=9)
        lines_ax.grid(True, alpha=0.3)

        if has_directional:
            d_ax = axes[1]
            for s in range(s_count):
                d_ax.plot(steps, directional[s], color="0.2", linestyle=styles[s % len(styles)], linewidth=1.0,
                          label=self.seed_label(s))
            d_ax.set_ylabel(with_units("directional conflict\n|mean unit gradient|",
                                       units_of(group, "directional_conflict", "1")), fontsize=8)
            d_ax.set_title("directional conflict per seed: 1 = all task gradients aligned, 0 = they cancel",
                           fontsize=9)
            d_ax.legend(fontsize=7, loc="best")
            d_ax.grid(True, alpha=0.3)

        table = cosine.reshape(rows, steps.size)
        finite = table[np.isfinite(table)]
        limit = min(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
        limit = limit if limit > 0 else 1.0
        edges = self.step_edges(steps)
        mesh = heat_ax.pcolormesh(edges, np.arange(rows + 1), np.ma.masked_invalid(table), cmap="RdBu",
                                  vmin=-limit, vmax=limit, shading="flat")
        mean_cos, fraction = array(group, "mean_cosine"), array(group, "conflict_fraction")
        labels = []
        for s in range(s_count):
            for p in range(p_count):
                label = f"{self.seed_label(s)}, {pairs[p].replace('|', ' vs ')}"
                summary = []
                if mean_cos is not None and mean_cos.shape == (s_count, p_count):
                    summary.append(f"mean cos {fmt(mean_cos[s, p], 2)}")
                if fraction is not None and fraction.shape == (s_count, p_count) and np.isfinite(fraction[s, p]):
                    summary.append(f"{100 * fraction[s, p]:.0f}% < 0")
                if summary:
                    label += "\n" + ", ".join(summary)
                labels.append(label)
        heat_ax.set_yticks(np.arange(rows) + 0.5)
        heat_ax.set_yticklabels(labels, fontsize=7)
        heat_ax.invert_yaxis()
        heat_ax.set_xlabel(with_units("optimizer step", units_of(group, "step", "steps")))
        heat_ax.set_title("heat map of the same cosines: rows = seed x pair, red = conflict (cosine < 0)", fontsize=9)
        bar = fig.colorbar(mesh, ax=heat_ax, orientation="horizontal", location="bottom", aspect=50, pad=0.02)
        bar.set_label("cosine (dimensionless); colours centred at 0, red: conflict")
        self.title(fig, f"Gradient conflict over training: cosine between {source}, variant {variant}",
                   f"{s_count} seeds x {p_count} task pair{'s' if p_count != 1 else ''}")
        save(fig, os.path.join(self.outdir, f"conflict_{file_part(variant)}.png"), self.written)

    @staticmethod
    def step_edges(steps):
        """Cell edges for a heat map whose columns are centred on `steps`."""
        steps = np.asarray(steps, dtype=np.float64)
        if steps.size == 1:
            return np.array([steps[0] - 0.5, steps[0] + 0.5])
        middle = 0.5 * (steps[1:] + steps[:-1])
        return np.concatenate([[steps[0] - (middle[0] - steps[0])], middle, [steps[-1] + (steps[-1] - middle[-1])]])

    # -- factors ----------------------------------------------------------------------------

    def factors_figure(self, variant, task, group):
        """factors_<variant>_<task>.png: one panel per trajectory factor, ST and MT against training loss."""
        preferred = list(FACTOR_TITLES)
        names = [n for n in preferred if n in group] + sorted(n for n in group if n not in preferred)
        names = [n for n in names if isinstance(group[n], h5py.Group)]
        if not names:
            self.note(f"factors/{variant}/{task}: no factor groups")
            return
        columns = 2 if len(names) <= 4 else 4 if len(names) > 6 else 3
        rows = math.ceil(len(names) / columns)
        fig, axes = plt.subplots(rows, columns, figsize=(4.3 * columns, 3.5 * rows + 1.2), squeeze=False)
        for ax in axes.ravel()[len(names):]:
            ax.set_axis_off()
        for ax, name in zip(axes.ravel(), names):
            factor = group[name]
            grid, st, mt = array(factor, "loss_grid"), array(factor, "st"), array(factor, "mt")
            title = FACTOR_TITLES.get(name, name)
            if grid is None or st is None or mt is None:
                no_data(ax, "missing loss_grid, st or mt")
                ax.set_title(title, fontsize=9)
                continue
            for values, color in ((st, ST_COLOR), (mt, MT_COLOR)):
                values = np.atleast_2d(values)
                seed_lines(ax, grid, values, color, alpha=0.3, linewidth=0.7)
                ax.plot(grid, nan_stat(np.nanmean, values), color=color, linewidth=2)
            if not (np.any(np.isfinite(st)) or np.any(np.isfinite(mt))):
                no_data(ax, "no finite values")
            maybe_log_y(ax, st, mt)
            loss_axis(ax, grid, with_units(f"training loss of {task}", units_of(factor, "loss_grid")))
            ax.xaxis.label.set_fontsize(8)
            ax.set_ylabel(with_units(name, units_of(factor, "st")), fontsize=8)
            ax.tick_params(labelsize=7)
            ax.set_title(f"{title}\nmean MT − ST: {fmt(number(factor.attrs, 'mean_difference'))}", fontsize=9)
        fig.legend(handles=[Line2D([], [], color=ST_COLOR, linewidth=2, label="ST: mean over seeds"),
                            Line2D([], [], color=MT_COLOR, linewidth=2, label="MT: mean over seeds"),
                            Line2D([], [], color="0.5", linewidth=0.7, alpha=0.5, label="thin: single seeds")],
                   loc="lower center", ncol=3, fontsize=9, frameon=False)
        self.title(fig, f"Trajectory factors at matched training loss, ST vs MT: task {task}, variant {variant}",
                   "measured on the probe batch, one panel per factor", width=150)
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        save(fig, os.path.join(self.outdir, f"factors_{file_part(variant)}_{file_part(task)}.png"), self.written)

    # -- correlations -------------------------------------------------------------------------

    def correlation_figure(self, name, group):
        """correlation_<name>.png: scatter of the units with the correlation statistics in the title."""
        x, y = array(group, "x"), array(group, "y")
        a = group.attrs
        x_label = text(a.get("x_label", "x"))
        y_label = text(a.get("y_label", "y"))
        labels = texts(a.get("units"))
        fig, ax = plt.subplots(figsize=(8.5, 6.5))
        n = number(a, "n")
        if x is None or y is None or x.shape != y.shape:
            no_data(ax, "no x [U] / y [U] datasets of equal size")
        else:
            ok = np.isfinite(x) & np.isfinite(y)
            ax.scatter(x[ok], y[ok], s=36, color=GAP_COLOR, alpha=0.8, edgecolor="white", linewidth=0.5,
                       label=f"analysis units (labelled), {int(ok.sum())} of {x.size} with both values")
            if len(labels) == x.size and ok.sum() <= 40:
                for xi, yi, label in zip(x[ok], y[ok], np.asarray(labels, dtype=object)[ok]):
                    ax.annotate(label, (xi, yi), fontsize=6, color="0.35", xytext=(3, 3), textcoords="offset points")
            if ok.sum() >= 2 and np.ptp(x[ok]) > 0:
                slope, intercept = np.polyfit(x[ok], y[ok], 1)
                xs = np.array([x[ok].min(), x[ok].max()])
                ax.plot(xs, slope * xs + intercept, color="0.3", linestyle="--", linewidth=1,
                        label="least-squares line (a guide, not a model)")
            ax.axhline(0, color="0.6", linewidth=0.7)
            ax.axvline(0, color="0.6", linewidth=0.7)
            ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=2, frameon=False)
            if not np.isfinite(n):
                n = float(ok.sum())
        ax.set_xlabel(with_units(x_label, units_of(group, "x")))
        ax.set_ylabel(with_units(y_label, units_of(group, "y")))
        ax.grid(True, alpha=0.3)
        pearson = (f"Pearson r = {interval(number(a, 'pearson'), number(a, 'pearson_low'), number(a, 'pearson_high'))}, "
                   f"permutation p = {fmt(number(a, 'pearson_p'), 2)}")
        spearman = (f"Spearman ρ = {interval(number(a, 'spearman'), number(a, 'spearman_low'), number(a, 'spearman_high'))}, "
                    f"permutation p = {fmt(number(a, 'spearman_p'), 2)}")
        self.title(fig, f"Correlation {name}: {y_label} against {x_label}", pearson,
                   f"{spearman}   (n = {fmt(n)} units; [95% bootstrap intervals])")
        fig.tight_layout()
        save(fig, os.path.join(self.outdir, f"correlation_{file_part(name)}.png"), self.written)


def main(argv=None):
    """Command line: plot_study.py ANALYSIS.h5 OUTDIR; exit 0, or 2 for an unreadable analysis file."""
    parser = argparse.ArgumentParser(
        description="Render PNG figures of a TaskTrace study from its analysis file (tasktrace-analysis/1).")
    parser.add_argument("analysis", help="the study's analysis.h5")
    parser.add_argument("outdir", help="folder for the PNG files (created if missing)")
    args = parser.parse_args(argv)
    try:
        plotter = StudyPlotter(args.analysis, args.outdir)
    except AnalysisFileError as error:
        print(f"plot_study: {error}", file=sys.stderr)
        return 2
    try:
        written = plotter.run()
    finally:
        plotter.close()
    for path in written:
        print(path)
    if not written:
        print(f"plot_study: {args.analysis}: nothing to plot", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
