"""The comparison's models in PyTorch, with TaskTrace's flat parameter layout.

A MultiTaskNet is a shared trunk (nn.Sequential) and one head per task (nn.ModuleDict of
nn.Sequential, in task order), so `net.parameters()` runs trunk first, then each head, every
tensor in PyTorch layout: exactly TaskTrace's flat buffer (Sources/Nets/ParameterLayout.swift),
with the same names (`trunk.0.weight`, `heads.<task>.0.bias`, ...) for the MLPs.
"""
import torch
import torch.nn.functional as F
from torch import nn


class MultiTaskNet(nn.Module):
    """A trunk shared by all tasks and one head per task.

    input_shape: one example as the trunk takes it ((784,) or (1, 28, 28)); the forward pass
    accepts a batch flattened to N x prod(input_shape), as TaskTrace stores it.
    losses: per task, "cross_entropy" (targets N x 1 class indices) or "mse" (N x k values).
    """

    def __init__(self, trunk, heads, losses, input_shape):
        super().__init__()
        self.trunk = trunk
        self.heads = nn.ModuleDict(heads)
        self.losses = list(losses)
        self.input_shape = tuple(input_shape)

    @property
    def task_count(self):
        return len(self.heads)

    def shared_parameters(self):
        return list(self.trunk.parameters())

    def head_parameters(self):
        """Per task, the list of its head's parameter tensors."""
        return [list(head.parameters()) for head in self.heads.values()]

    def forward(self, inputs):
        """Per task, the head's outputs (N x k) for a batch of N flattened examples."""
        representation = self.trunk(inputs.view(inputs.shape[0], *self.input_shape))
        return [head(representation) for head in self.heads.values()]

    def task_losses(self, inputs, targets):
        """Per task, the mean loss on the batch (a scalar tensor in the graph)."""
        return [task_loss(kind, output, target)
                for kind, output, target in zip(self.losses, self(inputs), targets)]


def task_loss(kind, outputs, targets):
    """Mean cross-entropy in nats over examples, or mean squared error over examples and outputs."""
    if kind == "cross_entropy":
        return F.cross_entropy(outputs, targets.view(-1).long())
    if kind == "mse":
        return F.mse_loss(outputs, targets)
    raise ValueError(f"unknown loss {kind!r}")


def multilayer_perceptron(input_width, trunk_widths, head_outputs, loss, task_names=None):
    """Trunk `Linear, ReLU` per width; one Linear head per task (TaskTrace's multilayerPerceptron)."""
    layers, width = [], input_width
    for next_width in trunk_widths:
        layers += [nn.Linear(width, next_width), nn.ReLU()]
        width = next_width
    names = task_names or [f"task{t}" for t in range(len(head_outputs))]
    heads = {name: nn.Sequential(nn.Linear(width, outputs)) for name, outputs in zip(names, head_outputs)}
    return MultiTaskNet(nn.Sequential(*layers), heads, [loss] * len(head_outputs), (input_width,))


def multi_lenet(tasks=2, classes=10, task_names=None):
    """MultiLeNet on 1x28x28 images.

    Trunk: Conv2d(1->10, k5), MaxPool2d(2), ReLU, Conv2d(10->20, k5), MaxPool2d(2), ReLU,
    flatten (320), Linear(320->50), ReLU. Per task: Linear(50->50), ReLU, Linear(50->10).
    Flat layout: conv1 weight [10,1,5,5], bias [10]; conv2 weight [20,10,5,5], bias [20];
    fc weight [50,320], bias [50]; then per head weight [50,50], bias [50], weight [10,50], bias [10].
    """
    trunk = nn.Sequential(
        nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(10, 20, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(320, 50), nn.ReLU())
    names = task_names or [f"task{t}" for t in range(tasks)]
    heads = {name: nn.Sequential(nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, classes)) for name in names}
    return MultiTaskNet(trunk, heads, ["cross_entropy"] * tasks, (1, 28, 28))


def from_manifest(manifest):
    """The network a same-work manifest (Benchmarks/SameWorkExport.swift) describes."""
    names = [task["name"] for task in manifest["tasks"]]
    losses = [task["loss"] for task in manifest["tasks"]]
    if manifest["architecture"] == "multilenet":
        net = multi_lenet(tasks=len(names), classes=manifest["tasks"][0]["outputs"], task_names=names)
    elif manifest["architecture"] == "mlp":
        trunk_weights = [view["shape"] for view in manifest["layout"]
                         if view["name"].startswith("trunk.") and view["name"].endswith(".weight")]
        net = multilayer_perceptron(trunk_weights[0][1], [shape[0] for shape in trunk_weights],
                                    [task["outputs"] for task in manifest["tasks"]], losses[0], names)
    else:
        raise ValueError(f"unknown architecture {manifest['architecture']!r}")
    net.losses = losses
    return net


def parameter_sizes(net):
    return [p.numel() for p in net.parameters()]


def load_flat_parameters(net, flat):
    """Copies a flat buffer in TaskTrace's layout (a 1-D tensor) into the net's tensors."""
    with torch.no_grad():
        for parameter, values in zip(net.parameters(), torch.split(flat, parameter_sizes(net))):
            parameter.copy_(values.view_as(parameter))


def layout_of(net):
    """(name, shape) of every tensor, in flat-buffer order."""
    return [(name, list(p.shape)) for name, p in net.named_parameters()]


def shared_count(net):
    return sum(p.numel() for p in net.shared_parameters())


def parameter_count(net):
    return sum(parameter_sizes(net))


def uniform_batch(rows, width, generator):
    return torch.rand(rows, width, generator=generator)


def class_targets(rows, classes, tasks, generator):
    return [torch.randint(0, classes, (rows, 1), generator=generator).float() for _ in range(tasks)]


def comparison_models():
    """The timed models, as TaskTrace's Benchmarks/BenchmarkModel.swift builds them:
    name -> (net, inputs N x width, targets per task). Values differ from TaskTrace's (the
    timed work does not depend on them); the same-work check uses TaskTrace's own files."""
    generator = torch.Generator().manual_seed(1)
    models = {}
    mlp = multilayer_perceptron(784, [256, 256], [10, 10], "cross_entropy")
    models["mlp"] = (mlp, uniform_batch(256, 784, generator), class_targets(256, 10, 2, generator))
    tiny = multilayer_perceptron(100, [32, 32], [1, 1, 1, 1], "mse", [f"t{t}" for t in range(4)])
    models["tiny"] = (tiny, torch.randn(32, 100, generator=generator),
                      [torch.randn(32, 1, generator=generator) for _ in range(4)])
    lenet = multi_lenet(tasks=2)
    models["multilenet"] = (lenet, uniform_batch(256, 784, generator), class_targets(256, 10, 2, generator))
    return models


def describe(net):
    return f"{parameter_count(net)} parameters ({shared_count(net)} shared), T={net.task_count}"

