"""What the zygote runs once, before its first fork, so that no child pays for first calls.

    warm_up.run(optimizers=False)   # in the zygote, after numpy, torch and the child's code are loaded

A fresh child's first NumPy and PyTorch calls cost more than later ones: modules imported on
first use, caches filled, kernels chosen. Run once here, on trusted code of our own (`EXERCISES`,
the kind of thing students' files do) and through the child's own request path (decode, call,
encode), their results are in the zygote's memory, which every child shares. Nothing of it is
left where a student's code could find it: the module is never put in sys.modules, and no global
state a student could see changes (no random seed, no warnings filter, no default dtype).

optimizers=True also makes a `torch.optim` optimizer: the first one in a process imports
torch._dynamo and sympy (some 800 modules, 70 MB), about a second of CPU, which every child of
a student who uses an optimizer would otherwise pay; the zygote then takes that second to start.
"""

from __future__ import annotations

import types

EXERCISES = '''
import numpy as np
import torch


def numpy_steps(X, t, W, b):
    Z = X @ W + b
    shifted = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    T = np.zeros((len(t), W.shape[1]))
    T[np.arange(len(t)), t] = 1.0
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    W = W - 0.1 * X.T @ (P - T) / len(t)
    b -= 0.1 * (P - T).mean(axis=0)
    return float(-log_P[np.arange(len(t)), t].mean()), np.argmax(Z, axis=1), W, np.clip(P, 1e-12, 1.0)


def torch_cost(X, t, W, b):
    log_P = torch.log_softmax(X @ W + b, dim=1)
    return -log_P[torch.arange(X.shape[0]), t].mean()


def torch_training(X, t):
    X_t = torch.from_numpy(np.array(X))
    t_t = torch.from_numpy(np.asarray(t, dtype=np.int64))
    W = torch.zeros(X.shape[1], 3, dtype=X_t.dtype, requires_grad=True)
    b = torch.zeros(3, dtype=X_t.dtype, requires_grad=True)
    costs = np.zeros(2)
    for epoch in range(2):
        J = torch.nn.functional.cross_entropy(X_t @ W + b, t_t)
        J.backward()
        with torch.no_grad():
            W -= 0.1 * W.grad
            b -= 0.1 * b.grad
            W.grad.zero_()
            b.grad.zero_()
        costs[epoch] = J.item()
    return W.detach().numpy(), b.detach().numpy(), costs


def torch_optimizer_training(X, t):
    X_t = torch.from_numpy(np.array(X))
    t_t = torch.from_numpy(np.asarray(t, dtype=np.int64))
    W = torch.zeros(X.shape[1], 3, dtype=X_t.dtype, requires_grad=True)
    b = torch.zeros(3, dtype=X_t.dtype, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=0.1)
    costs = np.zeros(2)
    for epoch in range(2):
        J = torch.nn.functional.cross_entropy(X_t @ W + b, t_t)
        optimizer.zero_grad()
        J.backward()
        optimizer.step()
        costs[epoch] = J.item()
    return W.detach().numpy(), b.detach().numpy(), costs
'''


def run(optimizers: bool) -> list[str]:
    """Exercise NumPy, PyTorch (optimizers too, if asked) and the child's request path once, in this process;
    the calls that failed (none)."""
    import numpy as np
    import torch

    from autograder.sandbox import child
    from autograder.sandbox.limits import Limits
    from checklib.codec import decode, encode, to_plain

    torch.set_num_threads(1)
    module = types.ModuleType("warm_up_exercises")
    exec(compile(EXERCISES, "<warm-up>", "exec"), module.__dict__)  # our own code, not a student's
    X = np.linspace(-1.0, 1.0, 24).reshape(8, 3)
    t = np.arange(8) % 3
    W, b = np.zeros((3, 3)), np.zeros(3)
    calls = [("numpy_steps", [X, t, W, b], False, []), ("torch_cost", [X, t, W, b], True, [2, 3]),
             ("torch_training", [X, t], False, []),
             *([("torch_optimizer_training", [X, t], False, [])] if optimizers else [])]
    failed = []
    for function, args, torch_call, requires_grad in calls:
        request = {"op": "call", "function": function, "args": to_plain(args), "kwargs": {}, "read_only": [0],
                   "torch": torch_call, "requires_grad": requires_grad}
        request = decode(encode(request))
        outcome = child._call(module, request)
        child._encode_reply(outcome.as_plain(), request, Limits())
        if outcome.error is not None:
            failed.append(f"{function}: {outcome.error.shown()}")
    np.linalg.lstsq(np.hstack([X, np.ones((8, 1))]), np.ones(8), rcond=None)
    return failed
