"""Prints the TaskTrace-against-PyTorch table from the JSON lines of both sides.

For every (row, model) it pools the timed repetitions of all rounds per side and prints the
medians, the ratio PyTorch / TaskTrace, and the target with pass or miss:
- instrumented MT step: PyTorch / TaskTrace >= 1.5 (mlp), >= 1.0 (multilenet), >= 5 (tiny);
- one exact HVP: TaskTrace's HVP <= 2.5 x TaskTrace's gradient (its own ratio);
- MLP training GEMMs: rate inside the step >= 70% of bare sgemm on the same shapes.

usage: table.py FILE.jsonl [FILE.jsonl ...]
"""
import collections
import json
import sys

from timing import median

MODELS = ["mlp", "multilenet", "tiny"]
STEP_TARGETS = {"mlp": 1.5, "multilenet": 1.0, "tiny": 5.0}
HVP_PER_GRADIENT_LIMIT = 2.5
GEMM_FRACTION_TARGET = 0.70
ROW_LABELS = {"mt_step": "instrumented MT step", "gradient": "one gradient", "hvp": "one exact HVP",
              "top_eigenvalue": "top eigenvalue, 20 HVPs"}


def load(paths):
    """(side, row, model) -> pooled seconds of all rounds."""
    samples = collections.defaultdict(list)
    for path in paths:
        with open(path) as file:
            for line in file:
                if line.strip():
                    result = json.loads(line)
                    samples[(result["side"], result["row"], result["model"])] += result["seconds"]
    return samples


def milliseconds(seconds):
    return f"{seconds * 1e3:10.3f} ms" if seconds is not None else f"{'—':>13}"


def target_cell(row, model, tasktrace, pytorch, medians):
    """(target text, verdict) for one row; verdict is pass, miss, or '' without a target."""
    if row == "mt_step" and model in STEP_TARGETS:
        goal = STEP_TARGETS[model]
        if tasktrace is None or pytorch is None:
            return f"PyTorch/TT >= {goal:g}x", "n/a"
        return f"PyTorch/TT >= {goal:g}x", "pass" if pytorch / tasktrace >= goal else "miss"
    if row == "hvp":
        gradient = medians.get(("tasktrace", "gradient", model))
        if tasktrace is None or gradient is None:
            return f"HVP <= {HVP_PER_GRADIENT_LIMIT:g}x grad", "n/a"
        ratio = tasktrace / gradient
        return (f"HVP <= {HVP_PER_GRADIENT_LIMIT:g}x grad (TT {ratio:.2f}x)",
                "pass" if ratio <= HVP_PER_GRADIENT_LIMIT else "miss")
    return "", ""


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    samples = load(sys.argv[1:])
    medians = {key: median(values) for key, values in samples.items()}
    models = [m for m in MODELS if any(key[2] == m for key in samples)]
    header = f"{'row':<25} {'model':<11} {'TaskTrace':>13} {'PyTorch':>13} {'PT/TT':>7}  {'target':<28} result"
    print(header)
    print("-" * len(header))
    verdicts = []
    for model in models:
        for row, label in ROW_LABELS.items():
            tasktrace = medians.get(("tasktrace", row, model))
            pytorch = medians.get(("pytorch", row, model))
            if tasktrace is None and pytorch is None:
                continue
            ratio = f"{pytorch / tasktrace:6.2f}x" if tasktrace and pytorch else f"{'—':>7}"
            target, verdict = target_cell(row, model, tasktrace, pytorch, medians)
            verdicts.append(verdict)
            print(f"{label:<25} {model:<11} {milliseconds(tasktrace)} {milliseconds(pytorch)} {ratio}  {target:<28} {verdict}")
    step, bare = medians.get(("tasktrace", "gemm_step", "mlp")), medians.get(("tasktrace", "gemm_bare", "mlp"))
    if step and bare:
        fraction = bare / step
        verdict = "pass" if fraction >= GEMM_FRACTION_TARGET else "miss"
        verdicts.append(verdict)
        target = f"rate >= {GEMM_FRACTION_TARGET:.0%} of bare sgemm ({fraction:.0%}; bare {bare * 1e3:.3f} ms)"
        print(f"{'training GEMMs in step':<25} {'mlp':<11} {milliseconds(step)} {milliseconds(None)} {'—':>7}  {target} {verdict}")
    print(f"\nmedians over all timed repetitions of all rounds; "
          f"{verdicts.count('pass')} pass, {verdicts.count('miss')} miss, {verdicts.count('n/a')} without a TaskTrace row")
    missing = [m for m in models if ("tasktrace", "mt_step", m) not in medians]
    if missing:
        print(f"no TaskTrace rows yet for: {', '.join(missing)} (see comparisonModels() in Benchmarks/BenchmarkModel.swift)")


if __name__ == "__main__":
    main()
