"""A numpy-only multi-task training loop recorded with `tasktrace_record`: the writer's API in use.

The toy: two linear-regression tasks t0, t1 on shared inputs x in R^D, with targets
``y_t = a_t . x + noise`` whose true directions a_0, a_1 have cosine `rho`. The model is a
two-layer linear network: a SHARED trunk ``z = W x`` (W is K x D, K < D) and one linear head
per task, ``yhat_t = h_t . z``. Loss: mean squared error per task. Training: minibatch
gradient descent on ``sum_t w_t L_t``, with gradients written out by hand.

For each seed it records three runs, which pair as TaskTrace's analysis expects (same seed:
same trunk and head initialisation, same minibatch order; same data)::

    OUTDIR/st-t0-seed<S>.h5   single-task run on t0   (mode "st", weights [1])
    OUTDIR/st-t1-seed<S>.h5   single-task run on t1
    OUTDIR/mt-seed<S>.h5      multi-task run, weights [0.5, 0.5]  (mode "mt")

Every step logs the minibatch losses and the Gramian of the task gradients over the trunk
W (the shared parameters); every `--eval-every` steps the losses and R^2 on a fixed
train-eval subset and on validation data; every `--probe-every` steps a probe on a fixed
batch: big-batch Gramian, top Hessian eigenvalue and Hessian trace (the Hessian is small
here: built from central differences of the exact gradient), Fisher trace, gradient noise
trace and noise scale (McCandlish et al. 2018 estimators from microbatches, as TaskTrace
does), coherence of the microbatch gradients, distance from initialisation, weight norm.

Usage::

    /usr/bin/python3 notebooks-data/example_numpy_loop.py OUTDIR [--steps 300] [--seeds 1 2]
        [--eval-every 10] [--probe-every 50] [--rho 0.5]
    tasktrace inspect OUTDIR/mt-seed1.h5

It prints the path of every record it wrote, one per line, replacing records of an earlier
run of the same names. Runs in about a second.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tasktrace_record import TaskTraceRecord, gramian_from_gradients  # noqa: E402

TASKS = ["t0", "t1"]


# ---------------------------------------------------------------------------------------
# Data


def make_data(rho, input_dim, train_count, validation_count, noise, data_seed):
    """The two-task data set: inputs and one target vector per task, for train and validation.

    Returns:
        A dict with "train" and "validation", each ``(X [n, D], Y [n, 2])``.
    """
    rng = np.random.default_rng(data_seed)
    a0 = rng.normal(size=input_dim)
    a0 /= np.linalg.norm(a0)
    other = rng.normal(size=input_dim)
    other -= other.dot(a0) * a0
    other /= np.linalg.norm(other)
    a1 = rho * a0 + np.sqrt(1.0 - rho ** 2) * other  # cos(a0, a1) = rho
    directions = np.stack([a0, a1], axis=1)  # [D, 2]

    def split(n):
        x = rng.normal(size=(n, input_dim))
        y = x @ directions + noise * rng.normal(size=(n, 2))
        return x, y

    return {"train": split(train_count), "validation": split(validation_count)}


# ---------------------------------------------------------------------------------------
# Model: shared trunk W [K, D], heads H [T, K] (row t = head of task t)


def task_losses_and_gradients(W, H, x, y):
    """Per-task mean squared errors and their exact gradients on a batch.

    Args:
        W: trunk [K, D]; H: heads [T, K]; x: inputs [n, D]; y: targets [n, T].

    Returns:
        (losses [T], grad_W [T, K, D], grad_H [T, K]): task t's loss gradient with respect
        to the trunk and to its own head (the other heads do not enter task t's loss).
    """
    z = x @ W.T                     # [n, K]
    residual = z @ H.T - y          # [n, T]
    n = x.shape[0]
    losses = np.mean(residual ** 2, axis=0)
    # d/dW mean_i r_i^2 = (2/n) sum_i r_i h_t x_i^T ;  d/dh_t = (2/n) sum_i r_i z_i
    rx = residual.T @ x             # [T, D]
    grad_W = (2.0 / n) * H[:, :, None] * rx[:, None, :]
    grad_H = (2.0 / n) * residual.T @ z
    return losses, grad_W, grad_H


def per_example_squared_norms(W, H, x, y, t):
    """|grad of task t's loss at example i|^2 over the trunk and head t, for every example i."""
    z = x @ W.T
    residual = z @ H[t] - y[:, t]   # [n]
    # grad_W = 2 r h x^T, so |grad_W|^2 = 4 r^2 |h|^2 |x|^2 ; grad_h = 2 r z
    return 4.0 * residual ** 2 * (H[t] @ H[t] * np.sum(x ** 2, axis=1) + np.sum(z ** 2, axis=1))


def r_squared(prediction, target):
    """Coefficient of determination per column."""
    ss_res = np.sum((prediction - target) ** 2, axis=0)
    ss_tot = np.sum((target - target.mean(axis=0)) ** 2, axis=0)
    return 1.0 - ss_res / ss_tot


# ---------------------------------------------------------------------------------------
# Probe


def flat_task_gradient(grad_W, grad_H, t):
    """Task t's full gradient (trunk, then its own head) as one vector."""
    return np.concatenate([grad_W[t].ravel(), grad_H[t]])


def hessian(W, H, x, y, weights, epsilon=1e-5):
    """Hessian of ``sum_t weights[t] L_t`` over all parameters (trunk, then heads), [P, P].

    Central differences of the exact gradient; the gradient is a cubic polynomial in the
    parameters, so the error is of order epsilon^2. (TaskTrace itself uses exact HVPs.)
    """
    k, d = W.shape
    theta = np.concatenate([W.ravel(), H.ravel()])

    def gradient(vector):
        w_, h_ = vector[:k * d].reshape(k, d), vector[k * d:].reshape(H.shape)
        _, g_w, g_h = task_losses_and_gradients(w_, h_, x, y)
        total_w = np.tensordot(weights, g_w, axes=1)
        total_h = weights[:, None] * g_h
        return np.concatenate([total_w.ravel(), total_h.ravel()])

    columns = []
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = epsilon
        columns.append((gradient(theta + step) - gradient(theta - step)) / (2 * epsilon))
    matrix = np.stack(columns, axis=1)
    return 0.5 * (matrix + matrix.T)


def probe(W, H, W0, H0, x, y, weights, microbatch):
    """One `/probe` row on the fixed probe batch (x, y), as keyword arguments of `log_probe`."""
    t_count = H.shape[0]
    big = x.shape[0]
    m = big // microbatch
    _, grad_W, grad_H = task_losses_and_gradients(W, H, x, y)

    fisher, noise_trace, noise_scale, coherence = [], [], [], []
    for t in range(t_count):
        full = flat_task_gradient(grad_W, grad_H, t)
        micro = []
        for a in range(m):
            rows = slice(a * microbatch, (a + 1) * microbatch)
            _, g_w, g_h = task_losses_and_gradients(W, H, x[rows], y[rows])
            micro.append(flat_task_gradient(g_w, g_h, t))
        micro = np.stack(micro)
        big_sq = float(full @ full)
        small_sq = float(np.mean(np.sum(micro ** 2, axis=1)))
        trace_sigma = (small_sq - big_sq) / (1.0 / microbatch - 1.0 / big)
        true_sq = (big * big_sq - microbatch * small_sq) / (big - microbatch)
        units = micro / np.maximum(np.linalg.norm(micro, axis=1, keepdims=True), 1e-300)
        unit_sum = units.sum(axis=0)
        fisher.append(float(np.mean(per_example_squared_norms(W, H, x, y, t))))
        noise_trace.append(trace_sigma)
        noise_scale.append(trace_sigma / true_sq if true_sq > 0 else float("nan"))
        coherence.append(float((unit_sum @ unit_sum - m) / (m * (m - 1))))

    # Each task's own Hessian (one-hot weights), then the total's (the run's weights).
    sharpness, trace = [], []
    for w in [np.eye(t_count)[t] for t in range(t_count)] + [np.asarray(weights, dtype=float)]:
        h = hessian(W, H, x, y, w)
        sharpness.append(float(np.linalg.eigvalsh(h)[-1]))
        trace.append(float(np.trace(h)))

    theta = np.concatenate([W.ravel(), H.ravel()])
    theta0 = np.concatenate([W0.ravel(), H0.ravel()])
    return dict(
        gramian=gramian_from_gradients([grad_W[t] for t in range(t_count)]),
        sharpness=sharpness, hessian_trace=trace, fisher_trace=fisher,
        grad_noise_trace=noise_trace, noise_scale=noise_scale, coherence=coherence,
        directional_conflict=None,  # computed by the writer from the Gramian
        dist_init=float(np.linalg.norm(theta - theta0)), weight_norm=float(np.linalg.norm(theta)),
    )


# ---------------------------------------------------------------------------------------
# One run


def train_run(path, tasks, data, config, seed, args):
    """Trains on `tasks` (a subset of TASKS) and records the run to `path`."""
    columns = [TASKS.index(t) for t in tasks]
    weights = np.full(len(tasks), 1.0 / len(tasks))
    x_train, y_train = data["train"][0], data["train"][1][:, columns]
    x_val, y_val = data["validation"][0], data["validation"][1][:, columns]
    # Fixed subsets: the train-eval subset and the probe batch are the same at every step.
    x_eval, y_eval = x_train[:args.train_eval_count], y_train[:args.train_eval_count]
    x_probe, y_probe = x_train[:args.probe_batch], y_train[:args.probe_batch]

    # Initialisation from the seed alone: the trunk and each task's head (by task name) are
    # the same in the ST and MT runs of one seed.
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=1.0 / np.sqrt(args.input_dim), size=(args.width, args.input_dim))
    all_heads = rng.normal(scale=1.0 / np.sqrt(args.width), size=(len(TASKS), args.width))
    H = all_heads[columns].copy()
    W0, H0 = W.copy(), H.copy()
    order_rng = np.random.default_rng([seed, 1])  # minibatch order, shared by ST and MT

    run_config = dict(config, task=tasks[0] if len(tasks) == 1 else None,
                      weights=weights.tolist(), seed=seed)
    kinds = ["regression"] * len(tasks)
    mode = "st" if len(tasks) == 1 else "mt"
    # Positional arguments: path, task names, kinds, mode, seed, config.
    with TaskTraceRecord(path, tasks, kinds, mode, seed, run_config, probe=args.probe_every > 0,
                         overwrite=True) as record:

        def evaluate(step):
            """Logs the /eval row of the model after `step` updates."""
            pred_eval = (x_eval @ W.T) @ H.T
            pred_val = (x_val @ W.T) @ H.T
            record.log_eval(step,
                            train_loss=np.mean((pred_eval - y_eval) ** 2, axis=0),
                            val_loss=np.mean((pred_val - y_val) ** 2, axis=0),
                            train_metric=r_squared(pred_eval, y_eval),
                            val_metric=r_squared(pred_val, y_val))

        permutation, cursor = order_rng.permutation(len(x_train)), 0
        for step in range(args.steps):
            if step % args.eval_every == 0:
                evaluate(step)
            if args.probe_every > 0 and step % args.probe_every == 0:
                record.log_probe(step, **probe(W, H, W0, H0, x_probe, y_probe, weights, args.microbatch))

            if cursor + args.batch_size > len(permutation):
                permutation, cursor = order_rng.permutation(len(x_train)), 0
            batch = permutation[cursor:cursor + args.batch_size]
            cursor += args.batch_size
            losses, grad_W, grad_H = task_losses_and_gradients(W, H, x_train[batch], y_train[batch])

            # The update: gradient descent on sum_t w_t L_t. Task t's head only gets w_t dL_t/dh_t.
            update_W = -args.lr * np.tensordot(weights, grad_W, axes=1)
            update_H = -args.lr * weights[:, None] * grad_H
            record.log_step(step, losses, weights, args.lr,
                            gramian_from_gradients([grad_W[t] for t in range(len(tasks))]),
                            update_norm=np.sqrt(np.sum(update_W ** 2) + np.sum(update_H ** 2)))
            if not np.all(np.isfinite(losses)):
                record.close("diverged")
                return
            W += update_W
            H += update_H

        # The final model: evaluation and probe after the last update.
        evaluate(args.steps)
        if args.probe_every > 0:
            record.log_probe(args.steps, **probe(W, H, W0, H0, x_probe, y_probe, weights, args.microbatch))


def main(argv=None):
    """Command line: trains and records the ST and MT runs of every seed into OUTDIR."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", help="folder for the records (created if missing)")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--eval-every", type=int, default=10)
    parser.add_argument("--probe-every", type=int, default=50, help="0: no probes")
    parser.add_argument("--rho", type=float, default=0.5, help="cosine between the tasks' true directions")
    parser.add_argument("--lr", type=float, default=0.02)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--input-dim", type=int, default=8)
    parser.add_argument("--width", type=int, default=3, help="trunk width K (less than the input dimension)")
    parser.add_argument("--train-count", type=int, default=256)
    parser.add_argument("--validation-count", type=int, default=512)
    parser.add_argument("--train-eval-count", type=int, default=256)
    parser.add_argument("--probe-batch", type=int, default=256)
    parser.add_argument("--microbatch", type=int, default=16)
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--data-seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.steps < 1 or args.eval_every < 1 or args.probe_every < 0:
        parser.error("--steps and --eval-every must be at least 1, --probe-every at least 0")
    if args.probe_batch > args.train_count or args.probe_batch % args.microbatch or args.probe_batch < 2 * args.microbatch:
        parser.error("--probe-batch: a multiple of --microbatch, at least two microbatches, at most --train-count")

    data = make_data(args.rho, args.input_dim, args.train_count, args.validation_count, args.noise, args.data_seed)
    # What the analysis compares to pair runs: the same "dataset" object in every record.
    config = {
        "dataset": {"name": "numpy-linear-toy", "inputDimension": args.input_dim, "rho": args.rho,
                    "noise": args.noise, "trainCount": args.train_count,
                    "validationCount": args.validation_count, "seed": args.data_seed, "taskCount": len(TASKS)},
        "model": {"kind": "two-layer linear", "widths": [args.width]},
        "optimizer": {"kind": "sgd", "learningRate": args.lr, "momentum": 0},
        "batchSize": args.batch_size, "steps": args.steps, "evalEvery": args.eval_every,
        "probeEvery": args.probe_every, "trainEvalCount": args.train_eval_count,
        "probe": {"batchSize": args.probe_batch, "microbatchSize": args.microbatch},
    }
    os.makedirs(args.outdir, exist_ok=True)
    for seed in args.seeds:
        runs = [([t], f"st-{t}-seed{seed}.h5") for t in TASKS] + [(TASKS, f"mt-seed{seed}.h5")]
        for tasks, name in runs:
            path = os.path.join(args.outdir, name)
            train_run(path, tasks, data, config, seed, args)
            print(path)


if __name__ == "__main__":
    main()
