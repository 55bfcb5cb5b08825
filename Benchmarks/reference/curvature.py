"""Gradients, exact Hessian-vector products by double backward, and top Hessian eigenvalues
(power iteration for the timed rows, Lanczos for the same-work check) in PyTorch.

The loss is the total loss sum_t w_t L_t of a MultiTaskNet on one batch; vectors are flat
1-D tensors in TaskTrace's parameter layout."""
import torch


def total_loss(net, inputs, targets, weights):
    return sum(w * loss for w, loss in zip(weights, net.task_losses(inputs, targets)))


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def gradient(net, inputs, targets, weights):
    """One gradient from scratch: a forward and a backward pass."""
    parameters = list(net.parameters())
    return flat(torch.autograd.grad(total_loss(net, inputs, targets, weights), parameters))


class HessianOperator:
    """v -> H v on a fixed batch: the forward pass and a differentiable gradient once, then one
    double backward per product (PyTorch's exact HVP)."""

    def __init__(self, net, inputs, targets, weights):
        self.parameters = list(net.parameters())
        self.sizes = [p.numel() for p in self.parameters]
        self.dimension = sum(self.sizes)
        loss = total_loss(net, inputs, targets, weights)
        self.gradients = torch.autograd.grad(loss, self.parameters, create_graph=True)

    def __call__(self, vector):
        pieces = [v.view_as(p) for v, p in zip(torch.split(vector, self.sizes), self.parameters)]
        return flat(torch.autograd.grad(self.gradients, self.parameters, grad_outputs=pieces, retain_graph=True))


def hessian_vector_product(net, inputs, targets, weights, vector):
    """One exact HVP from scratch: forward, differentiable backward, double backward."""
    return HessianOperator(net, inputs, targets, weights)(vector)


def power_iteration(operator, steps, generator, dtype=torch.float32):
    """The Rayleigh quotient after exactly `steps` products of power iteration from a random
    unit vector (the eigenvalue of largest magnitude, as a float)."""
    vector = torch.randn(operator.dimension, generator=generator, dtype=dtype)
    vector /= vector.norm()
    estimate = torch.zeros((), dtype=dtype)
    for _ in range(steps):
        product = operator(vector)
        estimate = vector @ product
        vector = product / product.norm()
    return float(estimate)


def lanczos(operator, tolerance, max_iterations, generator, dtype=torch.float64):
    """The largest eigenvalue by Lanczos with full reorthogonalization (twice), stopping when
    the estimate changes by at most `tolerance` relative, the Krylov space is exhausted, or after
    `max_iterations` products, like TaskTrace's topEigenvalueByLanczos.
    Returns (estimate, iterations, converged)."""
    q = torch.randn(operator.dimension, generator=generator, dtype=dtype)
    q /= q.norm()
    basis, alphas, betas = [], [], []
    previous = estimate = float("nan")
    for iteration in range(1, max_iterations + 1):
        basis.append(q)
        w = operator(q)
        alphas.append(float(q @ w))
        stacked = torch.stack(basis)
        for _ in range(2):
            w = w - stacked.T @ (stacked @ w)
        beta = float(w.norm())
        tridiagonal = torch.diag(torch.tensor(alphas, dtype=torch.float64))
        for i, b in enumerate(betas):
            tridiagonal[i, i + 1] = tridiagonal[i + 1, i] = b
        estimate = float(torch.linalg.eigvalsh(tridiagonal)[-1])
        exhausted = beta <= 1e-10 * max(abs(estimate), 1.0)
        if exhausted or (iteration > 1 and abs(estimate - previous) <= tolerance * abs(estimate)):
            return estimate, iteration, True
        previous = estimate
        betas.append(beta)
        q = w / beta
    return estimate, max_iterations, False
