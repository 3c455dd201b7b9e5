"""Work that shares nothing, done side by side: one forked process a core.

Most of the pipeline's stages run on one core (matplotlib draws on one, most NumPy
steps use one), and DVC runs one stage at a time, so on a two-core machine half of
it waits. ``side_by_side`` deals a stage's independent pieces of work (figures,
changed test sets) to forked processes: each sees the arrays the work closes over
without a copy or pickling (fork), only the results come back pickled, and this
process does a share itself. ``save_figures`` draws a stage's figures so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def _share(function: Callable, items: Sequence, indices: Sequence[int]) -> list:
    """``function`` of the items at ``indices``, with one BLAS thread: the processes are the parallelism."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return [function(items[index]) for index in indices]


def _work(function: Callable, items: Sequence, indices: Sequence[int], connection) -> None:
    try:
        connection.send(_share(function, items, indices))
    finally:
        connection.close()


def side_by_side(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None) -> list[Result]:
    """``[function(item) for item in items]``, the items dealt in turn to ``workers`` processes (one a core).

    Give the slowest items first: the shares are dealt in turn. ``function`` must not start threads of a library
    that forking breaks (TensorFlow): a stage that imports TensorFlow draws its figures in one process."""
    import multiprocessing

    items = list(items)
    workers = max(1, min(len(items), workers or os.cpu_count() or 1))
    shares = [list(range(start, len(items), workers)) for start in range(workers)]
    if workers == 1:
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    helpers = []
    for share in shares[1:]:
        receiver, sender = context.Pipe(duplex=False)
        helper = context.Process(target=_work, args=(function, items, share, sender))
        helper.start()
        sender.close()
        helpers.append((helper, receiver))
    results: list = [None] * len(items)
    try:
        for index, value in zip(shares[0], _share(function, items, shares[0])):
            results[index] = value
    finally:
        received = []
        for helper, receiver in helpers:
            try:
                received.append(receiver.recv())
            except EOFError:  # it failed: its error is on stderr
                received.append(None)
            helper.join()
    failed = [helper.exitcode for helper, _ in helpers if helper.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of the processes working side by side failed (exit codes {failed}; their errors are above).")
    for share, values in zip(shares[1:], received):
        for index, value in zip(share, values):
            results[index] = value
    return results


def save_figures(drawings: Sequence[tuple[str | Path, Callable]], dpi: int = 110) -> None:
    """Draw and save each ``(path, draw)``, ``draw()`` returning the figure, side by side, the slowest given first."""
    from hiddennodes.files import save_figure

    side_by_side(lambda drawing: save_figure(drawing[0], drawing[1](), dpi), drawings)
