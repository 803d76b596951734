"""The hw9 fixture's corpus: the reference with one change each (old text -> new text).

CORRECT: right implementations written another way; BUGGY: one classic mistake each, with the
hidden checks that catch it.
"""

CORRECT = {
    "loops": [("    return X @ w + b\n", "    return np.array([float(np.dot(x, w)) for x in X]) + b\n")],
    "mean_cost": [("    return float(np.sum(residual ** 2)) / (2 * len(t))\n",
                   "    return 0.5 * float(np.mean(residual ** 2))\n")],
    "dot_gradient": [("    return X.T @ error / len(t), float(error.mean())\n",
                      "    return np.dot(error, X) / X.shape[0], float(np.sum(error)) / len(error)\n")],
    "named_epochs": [("    for epoch in range(num_epochs):\n        costs[epoch] = cost(X, t, w, b)\n",
                      "    for i in range(num_epochs):\n        costs[i] = cost(X, t, w, b)\n")],
}

BUGGY = {
    "predict_ignores_b": ("predict ignores the bias b", "test_predict_values",
                          [("    return X @ w + b\n", "    return X @ w\n")]),
    "predict_column": ("predict returns an (N, 1) column", "test_predict_values",
                       [("    return X @ w + b\n", "    return (X @ w + b)[:, None]\n")]),
    "cost_without_half": ("the cost lacks the 1/2", "test_cost_value",
                          [("/ (2 * len(t))", "/ len(t)")]),
    "cost_sum": ("the cost sums instead of averaging", "test_cost_value",
                 [("/ (2 * len(t))", "/ 2")]),
    "gradient_wrong_sign": ("the gradient has the wrong sign", "test_gradient_values",
                            [("    error = predict(X, w, b) - t\n", "    error = t - predict(X, w, b)\n")]),
    "gradient_sum": ("dw sums instead of averaging", "test_gradient_values",
                     [("return X.T @ error / len(t),", "return X.T @ error,")]),
    "db_sum": ("db sums instead of averaging", "test_gradient_values",
               [("float(error.mean())", "float(error.sum())")]),
    "no_alpha": ("the update forgets alpha", "test_gradient_descent_one_epoch_from_zeros",
                 [("        w = w - alpha * dw\n        b = b - alpha * db\n",
                   "        w = w - dw\n        b = b - db\n")]),
    "costs_after_update": ("each cost is recorded after its update",
                           "test_gradient_descent_three_epochs_from_w0_and_b0",
                           [("        costs[epoch] = cost(X, t, w, b)\n", ""),
                            ("        b = b - alpha * db\n",
                             "        b = b - alpha * db\n        costs[epoch] = cost(X, t, w, b)\n")]),
    "one_update_too_few": ("the loop makes one update too few", "test_gradient_descent_three_epochs_from_w0_and_b0",
                           [("range(num_epochs)", "range(num_epochs - 1)")]),
    "ignores_w0": ("gradient descent starts from zeros whatever w0 is",
                   "test_gradient_descent_three_epochs_from_w0_and_b0",
                   [("if w0 is None else w0.copy()", "if w0 is None else np.zeros_like(w0)")]),
    "costs_as_list": ("gradient descent returns costs as a list", "test_gradient_descent_one_epoch_from_zeros, "
                      "test_gradient_descent_three_epochs_from_w0_and_b0",
                      [("    return w, b, costs\n", "    return w, b, list(costs)\n")]),
}
