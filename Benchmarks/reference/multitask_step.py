"""The instrumented MT step in PyTorch, the work of TaskTrace's instrumentedStepSeconds
(Benchmarks/MultiTaskStep.swift): one forward pass, per-task gradients (one backward per task,
retain_graph), their Gramian and cosines over the shared parameters, the equal-weight
combination and an Adam update (lr 1e-3) of all parameters."""
import torch


class InstrumentedStep:
    def __init__(self, net, inputs, targets):
        self.net, self.inputs, self.targets = net, inputs, targets
        self.shared = net.shared_parameters()
        self.heads = net.head_parameters()
        self.shared_sizes = [p.numel() for p in self.shared]
        self.weights = torch.full((net.task_count,), 1.0 / net.task_count)
        self.optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

    def __call__(self):
        """Takes one step; returns the T x T cosines (float64) of the task gradients."""
        losses = self.net.task_losses(self.inputs, self.targets)
        last = len(losses) - 1
        rows = []
        for t, loss in enumerate(losses):
            gradients = torch.autograd.grad(loss, self.shared + self.heads[t], retain_graph=t < last)
            rows.append(torch.cat([g.reshape(-1) for g in gradients[:len(self.shared)]]))
            for parameter, gradient in zip(self.heads[t], gradients[len(self.shared):]):
                parameter.grad = gradient * self.weights[t]
        task_gradients = torch.stack(rows)                      # T x shared
        gramian = (task_gradients @ task_gradients.T).double()  # T x T
        norms = gramian.diagonal().sqrt()
        cosines = gramian / torch.outer(norms, norms)
        combined = self.weights @ task_gradients
        for parameter, gradient in zip(self.shared, torch.split(combined, self.shared_sizes)):
            parameter.grad = gradient.view_as(parameter)
        self.optimizer.step()
        return cosines
