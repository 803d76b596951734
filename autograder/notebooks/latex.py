"""LaTeX for the display formulas of the solution docstrings, in the tutorial's notation.

The docstrings stay the single source of what the formulas say (they are plain text so that
`help(cost)` reads well); this table is only how each one is typeset in a notebook. A
formula line is looked up with its whitespace collapsed; one that is not here is shown as
plain text in the notebook, and `make notebooks` names it so it can be added.
"""

from __future__ import annotations

# Partial derivatives of the cost, used in several formulas.
_DJ_DW = r"\frac{\partial \mathcal{J}}{\partial \mathbf{w}}"
_DJ_DB = r"\frac{\partial \mathcal{J}}{\partial b}"
_DJ_DW_MATRIX = r"\frac{\partial \mathcal{J}}{\partial W}"
_DJ_DB_VECTOR = r"\frac{\partial \mathcal{J}}{\partial \mathbf{b}}"
_MEAN_RESIDUAL = r"\frac{1}{N} \sum_{i=1}^{N} \left(y^{(i)} - t^{(i)}\right)"

FORMULAS: dict[str, str] = {
    # hw1: linear regression
    "y = w^T x + b (for all N examples at once: y = X w + b)":
        r"y = \mathbf{w}^\top \mathbf{x} + b \qquad \text{(for all } N \text{ examples at once: }"
        r" \mathbf{y} = X \mathbf{w} + b \text{)}",
    "J(w, b) = 1/(2N) * sum_i (y^(i) - t^(i))^2":
        r"\mathcal{J}(\mathbf{w}, b) = \frac{1}{2N} \sum_{i=1}^{N} \left(y^{(i)} - t^{(i)}\right)^2",
    "for each epoch: w <- w - alpha * dJ/dw, b <- b - alpha * dJ/db":
        r"\text{for each epoch:} \quad \mathbf{w} \leftarrow \mathbf{w} - \alpha " + _DJ_DW
        + r", \qquad b \leftarrow b - \alpha " + _DJ_DB,
    "dJ/dw = X^T (y - t) / N dJ/db = mean(y - t)":
        _DJ_DW + r" = \frac{1}{N} X^\top (\mathbf{y} - \mathbf{t}) \qquad " + _DJ_DB + " = " + _MEAN_RESIDUAL,
    # hw2: logistic regression
    "z = X w + b, y = sigma(z) = 1 / (1 + exp(-z))":
        r"\mathbf{z} = X \mathbf{w} + b, \qquad y = \sigma(z) = \frac{1}{1 + e^{-z}}",
    "L(y, t) = -[t log y + (1 - t) log(1 - y)]":
        r"\mathcal{L}(y, t) = -\left[t \log y + (1 - t) \log(1 - y)\right]",
    "dJ/dw = X^T (y - t) / N dJ/db = mean(y - t), y = sigma(X w + b)":
        _DJ_DW + r" = \frac{1}{N} X^\top (\mathbf{y} - \mathbf{t}) \qquad " + _DJ_DB + " = " + _MEAN_RESIDUAL
        + r", \qquad \mathbf{y} = \sigma(X \mathbf{w} + b)",
    # hw3: softmax regression
    "Z = X W + b W: (D, K), b: (K,), Z: (N, K)":
        r"Z = X W + \mathbf{b} \qquad W \in \mathbb{R}^{D \times K},\ \mathbf{b} \in \mathbb{R}^{K},"
        r"\ Z \in \mathbb{R}^{N \times K}",
    "P[i, k] = exp(Z[i, k]) / sum_j exp(Z[i, j]) each row of P sums to 1":
        r"P_{ik} = \operatorname{softmax}(Z_{i,:})_k = \frac{e^{Z_{ik}}}{\sum_{j=1}^{K} e^{Z_{ij}}}"
        r" \qquad \text{(each row of } P \text{ sums to 1)}",
    "J(W, b) = mean_i -log P[i, t_i]":
        r"\mathcal{J}(W, \mathbf{b}) = -\frac{1}{N} \sum_{i=1}^{N} \log P_{i, t^{(i)}}",
    "dJ/dW = X^T (P - T) / N, dJ/db = mean over i of (P - T)[i, :]":
        _DJ_DW_MATRIX + r" = \frac{1}{N} X^\top (P - T), \qquad " + _DJ_DB_VECTOR
        + r" = \frac{1}{N} \sum_{i=1}^{N} (P - T)_{i,:}",
    "dJ/dW = X^T (P - T) / N dJ/db = mean(P - T, axis=0)":
        _DJ_DW_MATRIX + r" = \frac{1}{N} X^\top (P - T) \qquad " + _DJ_DB_VECTOR
        + r" = \frac{1}{N} \sum_{i=1}^{N} (P - T)_{i,:}",
}


def normalize(formula: str) -> str:
    return " ".join(formula.split())


def latex_for(formula: str) -> str | None:
    """The LaTeX for a formula line of a docstring, or None when the table has none."""
    return FORMULAS.get(normalize(formula))
