"""The rounds' pause of the cyclic garbage collector: off inside, back as it was after."""

import gc
from collections.abc import Iterator

import pytest

from asn_career.rotations.rounds.service import collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_back_on_after(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error(collector_on: None) -> None:
    with pytest.raises(ValueError, match="boom"), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_overlapping_pauses_the_first_turns_it_back_on(collector_on: None) -> None:
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    second.__exit__(None, None, None)
    assert not gc.isenabled()  # the first is still running
    first.__exit__(None, None, None)
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    gc.enable()
