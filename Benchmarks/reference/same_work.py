"""Same-work check: PyTorch redoes TaskTrace's work from the files the Benchmarks executable
writes (`Benchmarks --same-work FOLDER`, format in Benchmarks/SameWorkExport.swift) and
compares, per model folder:
- the flat layout: the same tensor shapes in the same order (names too, reported if they differ);
- each task's mean loss, to 1e-5 relative;
- each task's gradient over all parameters (Float32), to 1e-4 relative in the 2-norm;
- the top Hessian eigenvalue of the total loss (Float64 Lanczos on double-backward HVPs, run to
  the tolerance TaskTrace used), to 1e-3 relative.
Exits with status 1 and a loud message on any mismatch.

usage: same_work.py FOLDER
"""
import json
import pathlib
import sys

import numpy as np
import torch

import curvature
import models

GRADIENT_TOLERANCE = 1e-4
LOSS_TOLERANCE = 1e-5
EIGENVALUE_TOLERANCE = 1e-3


def read_raw(path, shape):
    """A little-endian Float32 file as a tensor of the given shape."""
    values = np.fromfile(path, dtype="<f4")
    if values.size != int(np.prod(shape)):
        raise ValueError(f"{path} holds {values.size} floats, expected shape {shape}")
    return torch.from_numpy(values.astype(np.float32).reshape(shape))


def relative(difference, reference):
    return float(difference) / max(float(reference), 1e-30)


def check_model(folder):
    """Prints one line per comparison; returns the list of failures (empty when all agree)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    name, failures = manifest["name"], []
    net = models.from_manifest(manifest)
    print(f"{name}: {models.describe(net)}, batch {manifest['batchSize']}")

    expected = [(view["name"], view["shape"]) for view in manifest["layout"]]
    if [shape for _, shape in models.layout_of(net)] != [shape for _, shape in expected]:
        failures.append(f"{name}: layout differs\n  TaskTrace {expected}\n  PyTorch   {models.layout_of(net)}")
        return failures
    if [n for n, _ in models.layout_of(net)] != [n for n, _ in expected]:
        print(f"  note: tensor names differ (shapes agree): TaskTrace {[n for n, _ in expected]}")
    if models.shared_count(net) != manifest["sharedCount"]:
        failures.append(f"{name}: {models.shared_count(net)} shared parameters, TaskTrace has {manifest['sharedCount']}")

    count, batch, tasks = manifest["parameterCount"], manifest["batchSize"], manifest["tasks"]
    width = int(np.prod(manifest["inputShape"]))
    models.load_flat_parameters(net, read_raw(folder / "parameters.f32", (count,)))
    inputs = read_raw(folder / "inputs.f32", (batch, width))
    targets = [read_raw(folder / f"targets-{t}.f32", (batch, 1 if task["loss"] == "cross_entropy" else task["outputs"]))
               for t, task in enumerate(tasks)]
    swift_gradients = read_raw(folder / "task-gradients.f32", (len(tasks), count))

    parameters = list(net.parameters())
    losses = net.task_losses(inputs, targets)
    for t, loss in enumerate(losses):
        swift_loss = manifest["losses"][t]
        loss_error = relative(abs(loss.item() - swift_loss), abs(swift_loss))
        gradient = curvature.flat(torch.autograd.grad(loss, parameters, retain_graph=True,
                                                        allow_unused=True, materialize_grads=True))
        error = relative((gradient - swift_gradients[t]).norm(), swift_gradients[t].norm())
        verdict = "ok" if error <= GRADIENT_TOLERANCE and loss_error <= LOSS_TOLERANCE else "MISMATCH"
        print(f"  task {tasks[t]['name']}: loss {loss.item():.6f} (TaskTrace {swift_loss:.6f}, rel {loss_error:.1e}), "
              f"gradient rel error {error:.2e} (<= {GRADIENT_TOLERANCE:g}) {verdict}")
        if verdict != "ok":
            failures.append(f"{name}: task {t} loss rel error {loss_error:.2e}, gradient rel error {error:.2e}")

    precise = models.from_manifest(manifest).double()
    models.load_flat_parameters(precise, read_raw(folder / "parameters.f32", (count,)).double())
    operator = curvature.HessianOperator(precise, inputs.double(), [y.double() for y in targets],
                                         manifest["eigenvalueTaskWeights"])
    generator = torch.Generator().manual_seed(6)
    eigenvalue, iterations, converged = curvature.lanczos(
        operator, manifest["eigenvalueTolerance"], manifest["eigenvalueMaxIterations"], generator)
    swift_eigenvalue = manifest["topEigenvalue"]
    error = relative(abs(eigenvalue - swift_eigenvalue), abs(swift_eigenvalue))
    both_converged = converged and manifest["eigenvalueConverged"]
    verdict = "ok" if error <= EIGENVALUE_TOLERANCE and both_converged else "MISMATCH"
    print(f"  top eigenvalue {eigenvalue:.6f} after {iterations} Lanczos steps (TaskTrace {swift_eigenvalue:.6f} after "
          f"{manifest['eigenvalueIterations']}), rel error {error:.2e} (<= {EIGENVALUE_TOLERANCE:g}) {verdict}")
    if verdict != "ok":
        failures.append(f"{name}: top eigenvalue {eigenvalue} against TaskTrace's {swift_eigenvalue} "
                        f"(converged: PyTorch {converged}, TaskTrace {manifest['eigenvalueConverged']})")
    power = curvature.power_iteration(operator, 20, torch.Generator().manual_seed(5), dtype=torch.float64)
    print(f"  (for reference: 20 steps of power iteration give {power:.6f})")
    return failures


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.set_num_threads(2)
    folders = sorted(path.parent for path in pathlib.Path(sys.argv[1]).glob("*/manifest.json"))
    if not folders:
        sys.exit(f"SAME-WORK CHECK FAILED: no model folders with manifest.json in {sys.argv[1]}")
    failures = [failure for folder in folders for failure in check_model(folder)]
    if failures:
        print("\n*** SAME-WORK CHECK FAILED: PyTorch and TaskTrace disagree ***", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        sys.exit(1)
    print(f"same-work check passed for {', '.join(folder.name for folder in folders)}")


if __name__ == "__main__":
    main()
