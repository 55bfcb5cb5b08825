"""Record a PyTorch, JAX or numpy training loop in TaskTrace's record schema "tasktrace/1".

`tasktrace record` writes one HDF5 file per run; this module writes the same file from
Python, so that `tasktrace inspect` and TaskTrace's analysis read a run trained elsewhere
exactly like one of its own. The layout, dtypes, chunking, attributes and their texts are
those of the Swift writer (Sources/Records/TrajectorySchema.swift); see DESIGN.md,
"Record schema", and README.md, "Records".

What one record holds (T tasks; N training steps, M evaluations, K probes)::

    /            attrs schema="tasktrace/1", tool_version, created, config (JSON), seed (int64),
                       status: running | complete | diverged | interrupted
    /tasks       attrs names[T], kinds[T], mode ("st" | "mt"), loss_units[T], metrics[T], metric_units[T]
    /train/step [N] int64, /train/loss [N,T], /train/weight [N,T], /train/lr [N]
    /grads/gramian [N,T,T], /grads/cosine [N,T,T], /grads/update_norm [N]
    /eval/step [M] int64, /eval/{train_loss,val_loss,train_metric,val_metric} [M,T]
    /probe/step [K] int64, /probe/gramian, /probe/cosine [K,T,T],
    /probe/sharpness, /probe/hessian_trace [K,T+1] (per task, then the total loss),
    /probe/{fisher_trace,grad_noise_trace,noise_scale,coherence} [K,T],
    /probe/{directional_conflict,dist_init,weight_norm} [K]          (only with probe=True)

Every row dataset is float64 (steps int64), chunked with an unlimited first dimension and
carries the attributes `description` and `units`. The file is created with libver "latest"
and switched to SWMR-write mode once every object exists, so ``h5py.File(path, "r",
swmr=True)`` or ``tasktrace inspect`` can read it while the run goes on. Rows are buffered
in memory and written every `flush_every` steps and at `close`.

What TaskTrace's own recorder writes that this one does not: `/checkpoint` (so
``tasktrace record --resume`` cannot continue a Python run: checkpoint in your framework)
and `/snapshots`.

Conventions the analysis relies on:

* Gramians are dot products ``g_i . g_j`` of the task gradients over the SHARED parameters
  (the trunk), not over task heads. Build them with `gramian_from_gradients`.
* `/train/loss` is the minibatch loss of the step; `/eval/train_loss` is the loss on a FIXED
  train-eval subset (the matched-loss analysis uses it, not the noisy minibatch loss).
* A `/train` row of step s describes optimizer step s (0-based): the minibatch losses and
  gradients before the update. An `/eval` or `/probe` row of step s describes the model after
  s updates, so step 0 is the initial model and step N the final one.
* A single-task run has mode "st" and one task; a multi-task run mode "mt" and several.
  Runs that pair (same seed, same data) must record the same `config["dataset"]` object.

Only h5py and numpy are needed (Debian: python3-h5py, python3-numpy).
"""

import datetime
import json
import math
import os
import time

import h5py
import numpy as np

__all__ = [
    "TaskTraceRecord",
    "gramian_from_gradients",
    "cosine_from_gramian",
    "directional_conflict_from_gramian",
    "SCHEMA",
    "STATUSES",
]

__version__ = "0.1.0"

#: Value of the root attribute `schema`.
SCHEMA = "tasktrace/1"

#: The values the root attribute `status` may take.
STATUSES = ("running", "complete", "diverged", "interrupted")

#: Task kinds of the `/tasks` attribute `kinds`.
KINDS = ("classification", "regression")

#: Default (loss units, metric name, metric units) per task kind: what `tasktrace record`
#: writes (cross-entropy in nats and accuracy; squared error and R^2).
DEFAULT_UNITS = {
    "classification": ("nats", "accuracy", "fraction"),
    "regression": ("squared target units", "r2", "1"),
}

_STRING = h5py.string_dtype(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Gradient helpers


def gramian_from_gradients(gradients):
    """The Gramian ``G[i, j] = g_i . g_j`` of T task gradients, accumulated in float64.

    Args:
        gradients: a sequence of T gradients, one per task, each a numpy array (any shape;
            it is flattened) over the SHARED parameters only, all of equal size. From
            PyTorch pass ``torch.cat([p.grad.reshape(-1) for p in trunk]).cpu().numpy()``
            per task; from JAX ``np.asarray(jax.flatten_util.ravel_pytree(g)[0])``.
            A 2-D array of shape [T, P] is accepted too.

    Returns:
        A float64 array of shape [T, T], symmetric, with the squared gradient norms on its
        diagonal: the row to pass as `gramian` to `log_step` or `log_probe`.
    """
    if isinstance(gradients, np.ndarray) and gradients.ndim == 2:
        rows = gradients.astype(np.float64, copy=False)
    else:
        flat = [np.asarray(g, dtype=np.float64).reshape(-1) for g in gradients]
        if not flat:
            raise ValueError("gramian_from_gradients needs at least one gradient")
        sizes = {g.size for g in flat}
        if len(sizes) != 1:
            raise ValueError(f"task gradients differ in size: {[g.size for g in flat]}; "
                             "pass each task's gradient over the same shared parameters")
        rows = np.stack(flat)
    gramian = rows @ rows.T
    return 0.5 * (gramian + gramian.T)


def cosine_from_gramian(gramian):
    """Cosines ``G[i, j] / sqrt(G[i, i] G[j, j])`` of a Gramian, as TaskTrace computes them.

    A zero gradient has no direction: its row and column (diagonal included) are 0, which
    is what the Swift recorder writes for it.

    Args:
        gramian: a [T, T] Gramian (see `gramian_from_gradients`).

    Returns:
        A float64 [T, T] array of cosines in [-1, 1] (1 on the diagonal of nonzero gradients).
    """
    g = np.asarray(gramian, dtype=np.float64)
    diagonal = np.diag(g)
    scale = np.sqrt(np.outer(diagonal, diagonal))
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = np.where(scale > 0, g / np.where(scale > 0, scale, 1.0), 0.0)
    # A non-finite Gramian (a diverged run) gives non-finite cosines, as in the Swift writer.
    cosine = np.where(np.isfinite(scale), cosine, np.nan)
    return cosine


def directional_conflict_from_gramian(gramian):
    """Directional conflict ``|mean_t g_t / |g_t||`` of the task gradients of a Gramian.

    Since ``|sum_t u_t|^2 = sum_{i,j} cos(g_i, g_j)``, it follows from the cosines alone:
    1 when every task gradient points the same way (and for one task), 1/sqrt(T) for
    orthogonal ones, 0 when they cancel (Mueller, Dredze and Andrews, TMLR 2024).

    Args:
        gramian: a [T, T] Gramian over the shared parameters.

    Returns:
        A float in [0, 1] (NaN for a non-finite Gramian).
    """
    cosine = cosine_from_gramian(gramian)
    total = float(np.sum(cosine))
    if not math.isfinite(total):
        return math.nan
    return math.sqrt(max(0.0, total)) / cosine.shape[0]


# ---------------------------------------------------------------------------------------
# The schema, as the Swift side lays it out


def _per_task(units, names):
    """One units string for a per-task column: the common units, or "per task: a: u1, ..."."""
    if len(set(units)) <= 1:
        return units[0] if units else "1"
    return "per task: " + ", ".join(f"{n}: {u}" for n, u in zip(names, units))


def _chunk_rows(row_shape):
    """Rows per chunk of an appendable dataset: about 16 KiB of 8-byte elements, 1 to 1024."""
    row_bytes = max(1, int(np.prod(row_shape, dtype=np.int64)) * 8)
    return max(1, min(1024, 16384 // row_bytes))


def _layout(names, loss_units, metrics, metric_units, probe):
    """The appendable datasets of a record: a list of (path, dtype, row shape, description, units).

    Texts and units are those of `TrajectorySchema.layout()` in the Swift sources.
    """
    t = len(names)
    loss = _per_task(loss_units, names)
    metric = _per_task(metric_units, names)
    same_loss_units = len(set(loss_units)) == 1
    squared = f"({loss_units[0]})^2" if same_loss_units else "product of task i and task j loss units"
    total = loss_units[0] if same_loss_units else "mixed loss units"
    curvature = f"{loss}; last column (total): {total} (per squared parameter unit)"
    metric_names = _per_task(metrics, names)
    squared_per_task = _per_task([f"({u})^2" for u in loss_units], names)
    i8, f8 = np.int64, np.float64

    d = [
        ("/train/step", i8, (), "optimizer step of the row (0-based)", "steps"),
        ("/train/loss", f8, (t,), "per-task minibatch loss", loss),
        ("/train/weight", f8, (t,), "scalarization weight w_t of each task loss in the step's update", "1"),
        ("/train/lr", f8, (), "learning rate of the step", "1"),
        ("/grads/gramian", f8, (t, t),
         "Gramian g_i.g_j of the minibatch task gradients over the shared parameters", squared),
        ("/grads/cosine", f8, (t, t), "cosine between minibatch task gradients over the shared parameters", "1"),
        ("/grads/update_norm", f8, (), "L2 norm of the step's parameter update", "parameter units"),
        ("/train/wall_time", f8, (),
         "wall-clock time the run has spent up to the end of the step, summed over resumed sessions", "seconds"),
        ("/eval/step", i8, (), "optimizer step at which the evaluation ran", "steps"),
        ("/eval/train_loss", f8, (t,), "per-task loss on the fixed train-eval subset", loss),
        ("/eval/val_loss", f8, (t,), "per-task loss on the validation data", loss),
        ("/eval/train_metric", f8, (t,), f"per-task metric ({metric_names}) on the fixed train-eval subset", metric),
        ("/eval/val_metric", f8, (t,), f"per-task metric ({metric_names}) on the validation data", metric),
    ]
    if probe:
        d += [
            ("/probe/step", i8, (), "optimizer step at which the probe ran", "steps"),
            ("/probe/gramian", f8, (t, t),
             "Gramian g_i.g_j of big-batch task gradients over the shared parameters", squared),
            ("/probe/cosine", f8, (t, t), "cosine between big-batch task gradients over the shared parameters", "1"),
            ("/probe/sharpness", f8, (t + 1,),
             "top Hessian eigenvalue on the fixed probe batch, per task then of the total loss", curvature),
            ("/probe/hessian_trace", f8, (t + 1,),
             "Hessian trace on the fixed probe batch, per task then of the total loss", curvature),
            ("/probe/fisher_trace", f8, (t,),
             "per-task trace of the empirical Fisher (mean squared per-example gradient norm)", squared_per_task),
            ("/probe/grad_noise_trace", f8, (t,), "per-task trace of the per-example gradient covariance",
             squared_per_task),
            ("/probe/noise_scale", f8, (t,), "per-task gradient noise scale tr(covariance) / |mean gradient|^2",
             "examples"),
            ("/probe/coherence", f8, (t,), "per-task gradient coherence of per-example gradients", "1"),
            ("/probe/directional_conflict", f8, (), "|mean of unit task gradients| over the shared parameters", "1"),
            ("/probe/dist_init", f8, (), "L2 distance of the parameters from their initialization",
             "parameter units"),
            ("/probe/weight_norm", f8, (), "L2 norm of the parameters", "parameter units"),
        ]
    return d


# ---------------------------------------------------------------------------------------
# The writer


class TaskTraceRecord:
    """Writes one training run as a "tasktrace/1" record (one HDF5 file).

    Typical use, once per run (see README.md for a PyTorch loop)::

        with TaskTraceRecord("mt.h5", ["left", "right"], ["classification"] * 2, "mt",
                             seed=1, config={"dataset": {"name": "multifashion"}},
                             probe=True) as rec:
            for step in range(steps):
                ...  # per-task losses and shared-parameter gradients of the minibatch
                rec.log_step(step, losses, weights, lr, gramian_from_gradients(grads),
                             update_norm=norm_of_the_update)
                ...  # the optimizer update
                if (step + 1) % eval_every == 0:
                    rec.log_eval(step + 1, train_loss, val_loss, train_metric, val_metric)
        # leaving the block closes the record as "complete" ("interrupted" on an exception)

    Every ``log_*`` method takes per-task values in the order of `task_names` (sequences,
    numpy arrays, or anything `numpy.asarray` converts: CPU tensors, JAX arrays) and checks
    their shapes; steps must increase within each kind of row. Rows are buffered and
    written every `flush_every` steps, by `flush`, and at `close`.

    Attributes:
        path: the record's file path.
        task_names: the task names, in column order.
        task_count: T.
        mode: "st" or "mt".
        probe: whether the record has the `/probe` group.
        non_finite_seen: True once a logged loss or Gramian was NaN or infinite; a loop that
            stops then should ``close("diverged")``, as `tasktrace record` does.
        status: "running" until `close`, then the final status.
    """

    def __init__(self, path, task_names, kinds, mode, seed, config, probe=False, *,
                 loss_units=None, metrics=None, metric_units=None, flush_every=50,
                 overwrite=False, tool_version=None):
        """Creates the file with every group, dataset and attribute, then starts SWMR writing.

        Args:
            path: file to create. An existing file is an error unless `overwrite` is true.
            task_names: T distinct task names, in the column order of every per-task row.
            kinds: T task kinds, each "classification" or "regression" (a single string is
                repeated for every task).
            mode: "st" (single-task run; exactly one task) or "mt" (multi-task; two or more).
            seed: the run's seed (root attribute `seed`, int64). Runs that pair share it.
            config: the run's configuration as a JSON-serialisable dict (root attribute
                `config`, stored as JSON text with sorted keys). It must contain a
                "dataset" dict describing the data; the analysis pairs ST and MT runs only
                when their "dataset" objects are equal. For ST runs put the task name under
                "task" and the weights under "weights", as `tasktrace record` does.
            probe: whether to create the `/probe` group (rows from `log_probe`).
            loss_units, metrics, metric_units: per-task strings (or one string for all
                tasks); by default from the kind, as `tasktrace record` writes them:
                classification "nats", "accuracy", "fraction"; regression
                "squared target units", "r2", "1".
            flush_every: buffered `/train` rows (or rows of any other kind) that trigger a
                write to the file; readers see rows up to the last flush.
            overwrite: replace an existing file (like `tasktrace record --force`).
            tool_version: root attribute `tool_version`; by default this module's version.

        Raises:
            ValueError: an argument that does not fit the schema (named in the message).
            FileExistsError: `path` exists and `overwrite` is false.
        """
        names = [str(n) for n in task_names]
        t = len(names)
        if t == 0:
            raise ValueError("task_names: at least one task")
        if len(set(names)) != t or any(not n for n in names):
            raise ValueError(f"task_names: distinct non-empty names needed, got {names}")
        kinds = self._strings("kinds", kinds, t)
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f"kinds: {kind!r} is neither 'classification' nor 'regression'")
        if mode not in ("st", "mt"):
            raise ValueError(f"mode: {mode!r} is neither 'st' nor 'mt'")
        if mode == "st" and t != 1:
            raise ValueError(f"mode 'st' records one task, got {t}")
        if mode == "mt" and t < 2:
            raise ValueError("mode 'mt' records two or more tasks")
        if not isinstance(config, dict) or not isinstance(config.get("dataset"), dict):
            raise ValueError('config: a dict with a "dataset" dict (the analysis pairs runs by it)')
        try:
            config_text = json.dumps(config, sort_keys=True, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as error:
            raise ValueError(f"config: not JSON-serialisable ({error})") from None
        if int(flush_every) < 1:
            raise ValueError("flush_every: at least 1")
        defaults = [DEFAULT_UNITS[k] for k in kinds]
        loss_units = self._strings("loss_units", loss_units, t, [d[0] for d in defaults])
        metrics = self._strings("metrics", metrics, t, [d[1] for d in defaults])
        metric_units = self._strings("metric_units", metric_units, t, [d[2] for d in defaults])

        self.path = os.fspath(path)
        self.task_names = names
        self.task_count = t
        self.mode = mode
        self.probe = bool(probe)
        self.flush_every = int(flush_every)
        self.non_finite_seen = False
        self.status = "running"
        self._last_step = {"train": None, "eval": None, "probe": None}
        self._opened = time.monotonic()

        if os.path.exists(self.path) and not overwrite:
            raise FileExistsError(f"{self.path} exists; pass overwrite=True to replace it")
        self._file = h5py.File(self.path, "w", libver="latest")
        try:
            f = self._file
            f.attrs["schema"] = SCHEMA
            f.attrs["tool_version"] = tool_version or f"{__version__} (tasktrace_record.py)"
            f.attrs["created"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            f.attrs["config"] = config_text
            f.attrs["seed"] = np.int64(seed)
            f.attrs["status"] = "running"
            tasks = f.create_group("tasks")
            tasks.attrs["names"] = np.array(names, dtype=_STRING)
            tasks.attrs["kinds"] = np.array(kinds, dtype=_STRING)
            tasks.attrs["mode"] = mode
            tasks.attrs["loss_units"] = np.array(loss_units, dtype=_STRING)
            tasks.attrs["metrics"] = np.array(metrics, dtype=_STRING)
            tasks.attrs["metric_units"] = np.array(metric_units, dtype=_STRING)

            self._datasets = {}
            self._row_shapes = {}
            self._buffers = {}
            for path_, dtype, row, description, units in _layout(names, loss_units, metrics, metric_units,
                                                                  self.probe):
                ds = f.create_dataset(path_, shape=(0,) + row, maxshape=(None,) + row, dtype=dtype,
                                      chunks=(_chunk_rows(row),) + row)
                ds.attrs["description"] = description
                ds.attrs["units"] = units
                self._datasets[path_] = ds
                self._row_shapes[path_] = row
                self._buffers[path_] = []
            f.flush()
            f.swmr_mode = True
        except BaseException:
            self._file.close()
            raise
        self._open = True

    # -- context manager ------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        """Closes the record: "complete" after a normal exit, "interrupted" after an exception.

        A loop that saw its loss diverge should call ``close("diverged")`` itself inside the
        block; a record closed already is left as it is.
        """
        if self._open:
            self.close("complete" if exc_type is None else "interrupted")
        return False

    # -- rows -----------------------------------------------------------------------

    def log_step(self, step, losses, weights, lr, gramian, update_norm=float("nan")):
        """Buffers one `/train` and `/grads` row: optimizer step `step` (0-based).

        Args:
            step: the optimizer step (int, increasing from row to row).
            losses: T per-task minibatch losses of the step.
            weights: T scalarization weights w_t of the update (``[1.0]`` for an ST run).
            lr: the step's learning rate.
            gramian: [T, T] Gramian of the minibatch task gradients over the shared
                parameters (`gramian_from_gradients`); `/grads/cosine` is computed from it.
            update_norm: L2 norm of the parameter update the step applied (NaN when not
                measured; e.g. ``lr * |g|`` for plain SGD, or the norm of new − old
                parameters).
        """
        self._check_open()
        t = self.task_count
        step = self._step("train", step)
        losses = self._row("losses", losses, (t,))
        gramian = self._row("gramian", gramian, (t, t))
        self._append_row("train", step, {
            "/train/step": step,
            "/train/loss": losses,
            "/train/weight": self._row("weights", weights, (t,)),
            "/train/lr": self._row("lr", lr, ()),
            "/grads/gramian": gramian,
            "/grads/cosine": cosine_from_gramian(gramian),
            "/grads/update_norm": self._row("update_norm", update_norm, ()),
            "/train/wall_time": np.float64(time.monotonic() - self._opened),
        })
        if not (np.all(np.isfinite(losses)) and np.all(np.isfinite(gramian))):
            self.non_finite_seen = True

    def log_eval(self, step, train_loss, val_loss, train_metric, val_metric):
        """Buffers one `/eval` row: the model after `step` updates (0 = initial model).

        Args:
            step: updates taken so far (int, increasing from row to row).
            train_loss: T per-task losses on a FIXED train-eval subset (the same examples at
                every evaluation; the matched-loss analysis runs on these).
            val_loss: T per-task losses on the validation data.
            train_metric, val_metric: T per-task metrics (see the `metrics` attribute) on the
                same two sets.
        """
        self._check_open()
        t = (self.task_count,)
        step = self._step("eval", step)
        self._append_row("eval", step, {
            "/eval/step": step,
            "/eval/train_loss": self._row("train_loss", train_loss, t),
            "/eval/val_loss": self._row("val_loss", val_loss, t),
            "/eval/train_metric": self._row("train_metric", train_metric, t),
            "/eval/val_metric": self._row("val_metric", val_metric, t),
        })

    def log_probe(self, step, gramian, sharpness=None, hessian_trace=None, fisher_trace=None,
                  grad_noise_trace=None, noise_scale=None, coherence=None, directional_conflict=None,
                  dist_init=None, weight_norm=None):
        """Buffers one `/probe` row (record created with ``probe=True``), after `step` updates.

        TaskTrace measures these on a fixed probe batch (1024 examples as 64 microbatches of
        16; Hessian quantities on 256); measure yours the same way where you can. A factor
        you do not measure may be left as None and is stored as NaN (the analysis then
        has no values for it).

        Args:
            step: updates taken so far (int, increasing from row to row).
            gramian: [T, T] Gramian of big-batch task gradients over the shared parameters;
                `/probe/cosine` is computed from it.
            sharpness: T + 1 top Hessian eigenvalues: each task's loss, then the total
                ``sum_t w_t L_t``.
            hessian_trace: T + 1 Hessian traces, ordered like `sharpness`.
            fisher_trace: T per-task empirical Fisher traces (mean squared per-example
                gradient norm).
            grad_noise_trace: T per-task traces of the per-example gradient covariance.
            noise_scale: T per-task noise scales tr(covariance) / |mean gradient|^2.
            coherence: T per-task gradient coherences (mean pairwise cosine of microbatch
                gradients).
            directional_conflict: ``|mean_t g_t/|g_t||`` over the shared parameters; None
                computes it from `gramian` (`directional_conflict_from_gramian`).
            dist_init: L2 distance of all parameters from their initial values.
            weight_norm: L2 norm of all parameters.

        Raises:
            RuntimeError: the record has no `/probe` group.
        """
        self._check_open()
        if not self.probe:
            raise RuntimeError(f"{self.path}: created with probe=False, so it has no /probe rows")
        t = self.task_count
        step = self._step("probe", step)
        gramian = self._row("gramian", gramian, (t, t))
        if directional_conflict is None:
            directional_conflict = directional_conflict_from_gramian(gramian)
        self._append_row("probe", step, {
            "/probe/step": step,
            "/probe/gramian": gramian,
            "/probe/cosine": cosine_from_gramian(gramian),
            "/probe/sharpness": self._row("sharpness", sharpness, (t + 1,)),
            "/probe/hessian_trace": self._row("hessian_trace", hessian_trace, (t + 1,)),
            "/probe/fisher_trace": self._row("fisher_trace", fisher_trace, (t,)),
            "/probe/grad_noise_trace": self._row("grad_noise_trace", grad_noise_trace, (t,)),
            "/probe/noise_scale": self._row("noise_scale", noise_scale, (t,)),
            "/probe/coherence": self._row("coherence", coherence, (t,)),
            "/probe/directional_conflict": self._row("directional_conflict", directional_conflict, ()),
            "/probe/dist_init": self._row("dist_init", dist_init, ()),
            "/probe/weight_norm": self._row("weight_norm", weight_norm, ()),
        })

    # -- file -----------------------------------------------------------------------

    def flush(self):
        """Writes every buffered row to the file and flushes it, so SWMR readers see the rows."""
        self._check_open()
        for path, rows in self._buffers.items():
            if not rows:
                continue
            ds = self._datasets[path]
            start = ds.shape[0]
            block = np.asarray(rows, dtype=ds.dtype).reshape((len(rows),) + self._row_shapes[path])
            ds.resize(start + len(rows), axis=0)
            ds[start:] = block
            rows.clear()
        self._file.flush()

    def close(self, status="complete"):
        """Flushes, sets the root attribute `status` and closes the file.

        Args:
            status: "complete" (the run finished), "diverged" (its loss or gradients became
                NaN or infinite; see `non_finite_seen`) or "interrupted" (stopped early).
                Closing twice is allowed; the second call does nothing.
        """
        if not self._open:
            return
        if status not in STATUSES or status == "running":
            raise ValueError(f"status: {status!r} is not one of complete, diverged, interrupted")
        try:
            self.flush()
            # In SWMR-write mode no attribute can be created, but an existing one can be
            # rewritten in place.
            self._file.attrs.modify("status", status)
            self._file.flush()
            self.status = status
        finally:
            self._open = False
            self._file.close()

    @property
    def rows(self):
        """Rows logged so far per kind, written or buffered: {"train", "eval", "probe"}."""
        def count(path):
            return self._datasets[path].shape[0] + len(self._buffers[path]) if path in self._datasets else None
        return {"train": count("/train/step"), "eval": count("/eval/step"), "probe": count("/probe/step")}

    # -- internals --------------------------------------------------------------------

    @staticmethod
    def _strings(name, values, count, default=None):
        """`values` as `count` strings: None gives `default`, one string is repeated."""
        if values is None:
            return list(default)
        if isinstance(values, str):
            return [values] * count
        values = [str(v) for v in values]
        if len(values) != count:
            raise ValueError(f"{name}: {count} values needed (one per task), got {len(values)}")
        return values

    def _check_open(self):
        if not self._open:
            raise RuntimeError(f"{self.path}: the record is closed")

    def _step(self, family, step):
        """`step` as an int64, checked to increase within `family` (recorded by `_append_row`)."""
        if isinstance(step, (float, np.floating)) and not float(step).is_integer():
            raise ValueError(f"step: an integer needed, got {step!r}")
        try:
            value = int(step)
        except (TypeError, ValueError):
            raise ValueError(f"step: an integer needed, got {step!r}") from None
        last = self._last_step[family]
        if last is not None and value <= last:
            raise ValueError(f"step {value}: {family} steps must increase (last was {last})")
        if value < 0:
            raise ValueError(f"step {value}: steps are 0 or more")
        return np.int64(value)

    @staticmethod
    def _row(name, value, shape):
        """`value` as a float64 array of `shape`; None is a row of NaN."""
        if value is None:
            return np.full(shape, np.nan)
        array = np.asarray(value, dtype=np.float64)
        if array.shape != shape:
            if len(shape) <= 1 and array.size == int(np.prod(shape, dtype=np.int64)):
                array = array.reshape(shape)
            else:
                raise ValueError(f"{name}: shape {list(shape)} needed, got {list(array.shape)}")
        return array

    def _append_row(self, family, step, rows):
        """Buffers one checked row of every dataset of `family` (all or none), then maybe flushes."""
        for path, row in rows.items():
            self._buffers[path].append(row)
        self._last_step[family] = int(step)
        self._maybe_flush()

    def _maybe_flush(self):
        if any(len(rows) >= self.flush_every for rows in self._buffers.values()):
            self.flush()
