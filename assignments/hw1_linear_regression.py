"""Homework 1: linear regression, solved directly and by gradient descent.

The model predicts a real target from D features with a weight vector w and a bias b:

    y = w^T x + b                      (for all N examples at once: y = X w + b)

Each prediction is scored by the squared-error loss L(y, t) = 1/2 (y - t)^2, and the
cost is the average loss over the N training examples:

    J(w, b) = 1/(2N) * sum_i (y^(i) - t^(i))^2

J can be minimized directly (set its gradient to zero and solve the normal equations:
"direct optimization"), or iteratively by gradient descent (the tutorial's Algorithm 1):

    for each epoch:  w <- w - alpha * dJ/dw,   b <- b - alpha * dJ/db

Conventions for every function: X has shape (N, D), t has shape (N,), w has shape (D,)
and b is a float. Inputs are float64 (float32 must work too). No function may modify
its inputs. Python loops over examples are allowed, but vectorized NumPy is faster.
"""

import numpy as np


def predict(X, w, b):
    """Predictions of the linear model, y = X w + b.

    Args:
        X: inputs, shape (N, D).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        y: predictions, an ndarray of shape (N,) (not (N, 1)).
    """
    raise NotImplementedError("predict: not implemented yet")


def cost(X, t, w, b):
    """The cost J(w, b) = 1/(2N) * sum_i (y^(i) - t^(i))^2, where y = X w + b.

    Note the 1/2 of the squared-error loss and the average over the N examples.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        J: the cost, a float (a Python float, a NumPy scalar or a 0-d array).
    """
    # TODO: compute the predictions, then average half the squared errors.
    raise NotImplementedError("cost: not implemented yet")


def gradient(X, t, w, b):
    """The gradient of the cost J with respect to w and b.

        dJ/dw = X^T (y - t) / N        dJ/db = mean(y - t)

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        (dw, db): dw an ndarray of shape (D,), db a float.
    """
    raise NotImplementedError("gradient: not implemented yet")


def solve_exact(X, t):
    """Direct optimization: the w and b that minimize J exactly.

    Setting the gradient of J to zero gives the normal equations. One way: append a
    column of ones to X for the bias and solve the least-squares problem
    (np.linalg.lstsq or np.linalg.solve). [X, 1] has full column rank in graded inputs.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).

    Returns:
        (w, b): w an ndarray of shape (D,), b a float.
    """
    raise NotImplementedError("solve_exact: not implemented yet")


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    """Full-batch gradient descent on J (Algorithm 1).

    For each of the num_epochs epochs, in this order:
      1. record the cost J(w, b) of the current parameters in costs;
      2. compute the gradient at the current parameters;
      3. update both parameters at once: w <- w - alpha * dw, b <- b - alpha * db
         (the gradient for b uses the same w as the gradient for w).

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).
        alpha: the learning rate, a positive float.
        num_epochs: how many updates to make, an int >= 0.
        w0: initial weights, shape (D,); None means zeros. Must not be modified.
        b0: initial bias, a float (default 0.0).

    Returns:
        (w, b, costs): the final w (D,), the final b (float), and costs, a 1-D ndarray of
        length num_epochs where costs[i] is J before update i (so costs[0] = J(w0, b0)).
        With num_epochs == 0: the initial parameters and an empty costs.
    """
    raise NotImplementedError("gradient_descent: not implemented yet")
