"""EASE (Steck, WWW 2019) written directly in numpy, the reference Trendmix's Swift/OpenBLAS solve is checked
against (Tests/TrendmixLinearAlgebraTests/EASETests.swift, to 1e-6).

    python ease_reference.py PAIRS.csv LAMBDA OUT.json

PAIRS.csv: `reader,article` lines (integers; a pair may repeat, X is binary). Articles are the distinct ones in
ascending order, readers likewise. Writes {"articles", "weights" (B row-major), "scores" (X·B, reader-major)}.
Also times the solve alone when given `--time N` instead of a file: a random N × N Gram matrix, printed as
seconds (for the EASE benchmark against Swift on the same machine).
"""
import json
import sys
import time

import numpy as np


def ease(gram, lam):
    p = np.linalg.inv(gram + lam * np.eye(gram.shape[0]))
    b = -p / np.diag(p)[np.newaxis, :]
    np.fill_diagonal(b, 0.0)
    return b


def main():
    if sys.argv[1] == "--time":
        n = int(sys.argv[2])
        rng = np.random.default_rng(7)
        x = (rng.random((4 * n, n)) < 0.01).astype(np.float64)
        gram = x.T @ x
        start = time.perf_counter()
        ease(gram, 250.0)
        print(f"{time.perf_counter() - start:.6f}")
        return
    pairs = np.loadtxt(sys.argv[1], delimiter=",", dtype=np.int64, ndmin=2)
    lam = float(sys.argv[2])
    articles = np.unique(pairs[:, 1])
    readers = np.unique(pairs[:, 0])
    column = {a: k for k, a in enumerate(articles)}
    row = {r: k for k, r in enumerate(readers)}
    x = np.zeros((len(readers), len(articles)))
    for r, a in pairs:
        x[row[r], column[a]] = 1.0
    b = ease(x.T @ x, lam)
    with open(sys.argv[3], "w") as out:
        json.dump(
            {
                "articles": articles.tolist(),
                "readers": readers.tolist(),
                "weights": b.ravel().tolist(),
                "scores": (x @ b).ravel().tolist(),
            },
            out,
        )


if __name__ == "__main__":
    main()
