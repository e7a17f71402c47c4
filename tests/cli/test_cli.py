"""The console script's entry point: one command, then a quick exit."""

from __future__ import annotations

import gc

import pytest

from jamdash.cli import main


def test_main_leaves_the_heap_frozen_for_the_exit(capsys: pytest.CaptureFixture[str]) -> None:
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exited:
            main(["--version"])
        assert exited.value.code == 0 and "jamdash" in capsys.readouterr().out
        assert gc.get_freeze_count() > 0, "the shutdown collections would walk the whole heap"
    finally:
        gc.unfreeze()


def test_main_freezes_the_heap_even_when_the_command_fails() -> None:
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exited:
            main(["no-such-command"])
        assert exited.value.code == 2 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
