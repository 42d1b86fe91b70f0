"""pipeline/pool.py: worker pools and the forked step."""

import os

import pytest

from pipeline import pool
from pipeline.pool import forked, process_pool, worker_state

SEEN = {"value": "before"}


def _read_and_tell_pid(key):
    return SEEN[key], os.getpid()


def _fail():
    raise ValueError("the EPUB could not be written")


def test_a_forked_step_sees_memory_as_it_was_and_runs_in_another_process():
    SEEN["value"] = "set just before the fork"   # never pickled: the child inherits it
    with forked(_read_and_tell_pid, "value") as step:
        value, pid = step.result()
    assert value == "set just before the fork" and pid != os.getpid()


def test_a_forked_steps_error_is_raised_by_result():
    with forked(_fail) as step:
        with pytest.raises(ValueError, match="could not be written"):
            step.result()


def test_a_step_that_is_not_picklable_runs_all_the_same():
    local = {"n": 41}
    with forked(lambda: local["n"] + 1) as step:
        assert step.result() == 42


def _state_and_pid(_):
    return worker_state(), os.getpid()


def test_workers_get_their_pools_state_and_the_parent_keeps_none():
    with process_pool(2, {"book": "A"}) as a, process_pool(2, {"book": "B"}) as b:
        seen_a = list(a.map(_state_and_pid, range(4)))
        seen_b = list(b.map(_state_and_pid, range(4)))
    assert {s["book"] for s, _ in seen_a} == {"A"} and {s["book"] for s, _ in seen_b} == {"B"}
    assert os.getpid() not in {pid for _, pid in seen_a + seen_b}
    with pytest.raises(RuntimeError, match="outside a worker"):
        worker_state()
    assert pool._state is pool._NOT_A_WORKER


def test_state_is_handed_over_without_pickling():
    unpicklable = {"f": lambda: 42}
    with process_pool(1, unpicklable) as workers:
        assert workers.submit(_call_state_f).result() == 42


def _call_state_f():
    return worker_state()["f"]()


def _collector(_):
    import gc
    return gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()


def test_a_worker_freezes_the_heap_it_was_forked_with_and_collects_less_often():
    import gc
    before = gc.get_threshold(), gc.get_freeze_count()
    with process_pool(1) as workers:
        threshold, frozen, enabled = workers.submit(_collector, None).result()
    assert threshold == pool.GC_THRESHOLD and frozen > 0 and enabled
    assert (gc.get_threshold(), gc.get_freeze_count()) == before   # the parent's collector as it was
