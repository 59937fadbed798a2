"""Running the same function over chunks in-process, on a process pool, or on Dask.

The analysis of a chunk is a pure function of the chunk and the trained models, so
where it runs changes only how fast the answer comes, never the answer: results come
back in the order of the chunks whichever way is used (a test checks the three agree).

- `workers=1` and no scheduler: in this process, one chunk after another.
- `workers>1`: a pool of processes, each given the models once when it starts.
- `scheduler="tcp://host:8786"` (ENGAGE_DASK_SCHEDULER in engage): a Dask cluster, the
  models sent to the workers once (scattered) and the chunks mapped over them. Dask is
  imported only then, so it need not be installed otherwise.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

_shared: Any = None


def _remember(shared: Any) -> None:
    global _shared  # noqa: PLW0603 - one value per worker process, set once when it starts
    _shared = shared


def _call(function: Callable[[Any, Any], Any], chunk: Any) -> Any:
    return function(_shared, chunk)


def map_chunks(
    function: Callable[[Any, Chunk], Result],
    shared: Any,
    chunks: Iterable[Chunk],
    *,
    workers: int = 1,
    scheduler: str = "",
    ahead: int = 4,
) -> Iterator[Result]:
    """`function(shared, chunk)` for each chunk, in order. At most `ahead` chunks per
    worker are in flight, so a long stream of chunks is never all in memory."""
    if scheduler:
        yield from _on_dask(function, shared, chunks, scheduler=scheduler, ahead=ahead)
        return
    if workers <= 1:
        for chunk in chunks:
            yield function(shared, chunk)
        return
    # fork where there is one (Linux): the workers start in milliseconds with the models
    # already in memory; spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_remember, initargs=(shared,)
    ) as pool:
        pending: list[Any] = []
        for chunk in chunks:
            pending.append(pool.submit(_call, function, chunk))
            if len(pending) >= workers * ahead:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _on_dask(
    function: Callable[[Any, Chunk], Result],
    shared: Any,
    chunks: Iterable[Chunk],
    *,
    scheduler: str,
    ahead: int,
) -> Iterator[Result]:
    from dask.distributed import Client  # noqa: PLC0415 - Dask takes seconds to load; only a cluster run needs it

    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        models = client.scatter(shared, broadcast=True)
        pending: list[Any] = []
        for chunk in chunks:
            pending.append(client.submit(function, models, chunk, pure=False))
            if len(pending) >= workers * ahead:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
