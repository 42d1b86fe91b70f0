"""pipeline/pool.py: the forked step."""

import os

import pytest

from pipeline.pool import _STEPS, forked

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
    assert _STEPS == {}


def test_a_forked_steps_error_is_raised_by_result():
    with forked(_fail) as step:
        with pytest.raises(ValueError, match="could not be written"):
            step.result()


def test_a_step_that_is_not_picklable_runs_all_the_same():
    local = {"n": 41}
    with forked(lambda: local["n"] + 1) as step:
        assert step.result() == 42
