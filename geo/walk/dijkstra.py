"""Bounded Dijkstra from many origins in one compiled call (numba).

Each origin enters the network at up to two nodes with given start seconds (its edge's
ends, off-network leg included) and is searched on its own, out to the cutoff. Only the
nodes an origin touches are reset afterwards, so a small reach costs time in proportion
to its own size, never to the network's. Seconds are summed in path order (start, then
edge by edge), as scipy's and networkx's Dijkstra sum them, so the results agree to the
last bit; a node at exactly the cutoff is reached.

The kernel is compiled on first use (`warm_up` does it ahead of requests) and cached on
disk when numba finds a writable cache directory (see `_jit`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
from numba import njit
from numba.core.errors import NumbaWarning
from numpy.typing import NDArray

F = TypeVar("F", bound=Callable[..., Any])


def _jit(func: F) -> F:
    """`njit` with an on-disk cache when possible; in memory only where no cache directory
    is writable (a read-only install without NUMBA_CACHE_DIR)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NumbaWarning)
            return cast(F, njit(cache=True, nogil=True)(func))
    except RuntimeError:
        return cast(F, njit(cache=False, nogil=True)(func))


def _inline(func: F) -> F:
    """A helper compiled into its callers (numba-level inlining)."""
    return cast(F, njit(inline="always")(func))


@_inline
def _sift_down(keys: Any, vals: Any, size: int) -> None:
    i = 0
    key, val = keys[size], vals[size]
    while True:
        child = (i << 1) + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i], vals[i] = keys[child], vals[child]
        i = child
    keys[i], vals[i] = key, val


@_inline
def _push(keys: Any, vals: Any, size: int, key: float, val: int) -> int:
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i], vals[i] = keys[parent], vals[parent]
        i = parent
    keys[i], vals[i] = key, val
    return size + 1


@_jit
def _many(
    indptr: Any, indices: Any, data: Any, ends: Any, starts: Any, cutoff: float
) -> tuple[Any, Any, Any]:
    n = len(indptr) - 1
    dist = np.full(n, np.inf)
    keys = np.empty(len(indices) + 2, dtype=np.float64)
    vals = np.empty(len(indices) + 2, dtype=np.int32)
    bounds = np.zeros(len(ends) + 1, dtype=np.int64)
    out_nodes = np.empty(max(64, 16 * len(ends)), dtype=np.int32)
    out_secs = np.empty(len(out_nodes), dtype=np.float64)
    count = 0
    for o in range(len(ends)):
        size = 0
        for j in range(2):
            node, start = ends[o, j], starts[o, j]
            if start <= cutoff and start < dist[node]:
                dist[node] = start
                size = _push(keys, vals, size, start, node)
        first = count
        while size > 0:
            d, node = keys[0], vals[0]
            size -= 1
            if size > 0:
                _sift_down(keys, vals, size)
            if d > dist[node]:
                continue
            if count == len(out_nodes):
                grown_nodes = np.empty(2 * count, dtype=np.int32)
                grown_secs = np.empty(2 * count, dtype=np.float64)
                grown_nodes[:count] = out_nodes
                grown_secs[:count] = out_secs
                out_nodes, out_secs = grown_nodes, grown_secs
            out_nodes[count] = node
            out_secs[count] = d
            count += 1
            for k in range(indptr[node], indptr[node + 1]):
                nd = d + data[k]
                other = indices[k]
                if nd <= cutoff and nd < dist[other]:
                    dist[other] = nd
                    size = _push(keys, vals, size, nd, other)
        for k in range(first, count):
            dist[out_nodes[k]] = np.inf
        bounds[o + 1] = count
    return bounds, out_nodes[:count], out_secs[:count]


def reach_nodes(
    csr: tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]],
    ends: NDArray[np.int64],
    starts: NDArray[np.float64],
    cutoff_s: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """(bounds, nodes, seconds): origin i reached `nodes[bounds[i]:bounds[i+1]]` (nearest first)
    at those `seconds`, within `cutoff_s`.

    `csr` is the graph as int32 (indptr, indices) and float64 data; `ends` (origins × 2) are the nodes where
    each origin enters it and `starts` the seconds there (∞: that end is unusable).
    """
    indptr, indices, data = csr
    bounds, nodes, seconds = _many(
        indptr,
        indices,
        data,
        np.ascontiguousarray(ends, dtype=np.int32).reshape(-1, 2),
        np.ascontiguousarray(starts, dtype=np.float64).reshape(-1, 2),
        float(cutoff_s),
    )
    return bounds, nodes.astype(np.int64), seconds


def warm_up() -> None:
    """Compile (or load from the disk cache) the kernel now, so that no request pays for it."""
    indptr = np.array([0, 1, 2], dtype=np.int32)
    indices = np.array([1, 0], dtype=np.int32)
    data = np.array([1.0, 1.0])
    reach_nodes((indptr, indices, data), np.array([[0, 1]]), np.array([[0.5, 0.5]]), 10.0)
