"""PyTorch side of `make bench`: times the rows TaskTrace's Benchmarks/Comparison.swift times,
on the same models (models.py), and appends them as JSON lines:
{"model": "mlp", "row": "mt_step", "seconds": [...], "side": "pytorch"}.

Rows per model: mt_step (the instrumented MT step), gradient (one gradient of the total loss
from scratch), hvp (one exact HVP by double backward from scratch), top_eigenvalue (20 steps of
power iteration on double-backward HVPs, forward pass included). Two threads.

usage: step.py [--json FILE] [--models mlp,tiny,multilenet] [--budget SECONDS]
"""
import argparse
import json

import torch

import curvature
import models
from multitask_step import InstrumentedStep
from timing import median, timed_seconds

EIGENVALUE_STEPS = 20


def time_rows(net, inputs, targets, budget):
    """(row, seconds, extra fields) of every timed row of one model."""
    weights = [1.0 / net.task_count] * net.task_count
    generator = torch.Generator().manual_seed(4)
    direction = torch.randn(models.parameter_count(net), generator=generator)
    direction /= direction.norm()
    rows = []
    step = InstrumentedStep(net, inputs, targets)
    rows.append(("mt_step", timed_seconds(step, budget), {}))
    rows.append(("gradient", timed_seconds(lambda: curvature.gradient(net, inputs, targets, weights), budget), {}))
    rows.append(("hvp", timed_seconds(
        lambda: curvature.hessian_vector_product(net, inputs, targets, weights, direction), budget), {}))

    def top_eigenvalue():
        operator = curvature.HessianOperator(net, inputs, targets, weights)
        curvature.power_iteration(operator, EIGENVALUE_STEPS, torch.Generator().manual_seed(5))
    # One warm-up run, as on the TaskTrace side: the hvp row has warmed the same code.
    rows.append(("top_eigenvalue", timed_seconds(top_eigenvalue, budget, minimum=5, warmup=1),
                 {"iterations": EIGENVALUE_STEPS}))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="append the rows to this JSON-lines file")
    parser.add_argument("--models", default="mlp,tiny,multilenet")
    parser.add_argument("--budget", type=float, default=1.5, help="seconds of timing per row")
    arguments = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    available = models.comparison_models()
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for name in arguments.models.split(","):
        net, inputs, targets = available[name]
        print(f"{name}: {models.describe(net)}, batch {inputs.shape[0]}")
        for row, seconds, extra in time_rows(net, inputs, targets, arguments.budget):
            print(f"  {row:<44} {median(seconds) * 1e3:8.3f} ms  (median of {len(seconds)})")
            if arguments.json:
                with open(arguments.json, "a") as file:
                    line = {"side": "pytorch", "row": row, "model": name, "seconds": seconds, **extra}
                    file.write(json.dumps(line, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
