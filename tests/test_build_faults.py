"""Faults in `rjkg build` (issue 8 item 2), each with a real `rjkg` process (the stand-in extractor, via
tests/fixtures/build/driver.py): SIGKILL at every stage, two builds at once, a read-only output folder, a full disk.
The previous graph/ must survive byte for byte, and the next build must recover.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parent / "fixtures" / "build"
DRIVER = FIX / "driver.py"
STAGES = ("extract", "merge", "reason", "validate", "write-partial", "swap")


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RJKG_")}
    env.update(RJKG_HOME=str(home), **extra)
    return env


def rjkg(home: Path, *args: str, preexec=None, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DRIVER), "build", "--jobs", "1", *args],
        cwd=home,
        env=env_for(home, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
    )


def start_paused(home: Path, stage: str) -> subprocess.Popen:
    """Start a build that waits at `stage`; return once it says so."""
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), "build", "--jobs", "1", "--quiet"],
        cwd=home,
        env=env_for(home, RJKG_TEST_PAUSE_AT=stage),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if f"paused at {stage}" in line:
            return proc
        if not line and proc.poll() is not None:
            break
    proc.kill()
    pytest.fail(f"the build never paused at {stage!r} (exit {proc.poll()})")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project root with the test ontology, three documents and a first good graph/ (built once)."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(FIX / "ontology", root / "ontology")
    shutil.copytree(FIX / "seeds", root / "seeds")
    done = rjkg(root, "--quiet")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def home(template, tmp_path) -> Path:
    """A fresh copy of the template project for one test."""
    root = tmp_path / "home"
    shutil.copytree(template, root, symlinks=True)
    return root


def change_a_document(home: Path) -> None:
    (home / "seeds" / "d.txt").write_text("P: Есимаса Хаяси\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_at_a_stage_leaves_graph_untouched_and_next_build_recovers(home, stage):
    before = digests(home / "graph")
    change_a_document(home)
    proc = start_paused(home, stage)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert digests(home / "graph") == before
    done = rjkg(home, "--quiet")
    assert done.returncode == 0, done.stderr
    after = digests(home / "graph")
    assert "doc/d.ttl" in after and after != before
    leftovers = [
        p.name for p in home.iterdir() if p.name.startswith(".graph.") and not p.name.endswith(".lock")
    ]
    assert leftovers == []


@pytest.mark.slow
def test_sigkill_right_after_the_swap_leaves_the_new_complete_graph(home):
    change_a_document(home)
    proc = start_paused(home, "swap-between")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    graph = home / "graph"
    sums = dict(line.split("  ")[::-1] for line in (graph / "SHA256SUMS").read_text().splitlines())
    assert sums == {k: v for k, v in digests(graph).items() if k != "SHA256SUMS"}
    assert "doc/d.ttl" in sums
    done = rjkg(home, "--quiet")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in home.iterdir() if p.name.startswith(".graph.tmp")] == []


@pytest.mark.slow
def test_two_builds_at_once_one_refuses_with_exit_3(home):
    before = digests(home / "graph")
    first = start_paused(home, "merge")
    try:
        second = rjkg(home)
        assert second.returncode == 3
        assert "another build into" in second.stderr and "lock" in second.stderr
        assert "Traceback" not in second.stderr
        assert digests(home / "graph") == before
    finally:
        first.kill()
        first.wait(timeout=30)
    assert rjkg(home, "--quiet").returncode == 0


@pytest.mark.slow
def test_read_only_output_folder_is_a_clear_error(home):
    graph = home / "graph"
    before = digests(graph)
    change_a_document(home)
    graph.chmod(0o555)
    try:
        done = rjkg(home)
    finally:
        graph.chmod(0o755)
    assert done.returncode == 3
    assert "read-only" in done.stderr and str(graph) in done.stderr and "Traceback" not in done.stderr
    assert digests(graph) == before
    assert [p.name for p in home.iterdir() if p.name.startswith(".graph.tmp")] == []


def _small_file_limit() -> None:
    """In the child: files may not grow past 4 KB (writes then fail with EFBIG, as on a full disk)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


@pytest.mark.slow
def test_full_disk_is_a_clear_error_and_leaves_no_partial_files(home):
    before = digests(home / "graph")
    change_a_document(home)
    done = rjkg(home, preexec=_small_file_limit)
    assert done.returncode == 3, done.stderr
    assert "cannot write" in done.stderr and "disk space" in done.stderr and "Traceback" not in done.stderr
    assert digests(home / "graph") == before
    assert [p.name for p in home.iterdir() if p.name.startswith(".graph.tmp")] == []


@pytest.mark.slow
def test_a_failing_document_gives_exit_1_and_the_rest_is_published(home):
    (home / "seeds" / "d.txt").write_text("P: Кто-то\nFAIL\n", encoding="utf-8")
    (home / "seeds" / "e.txt").write_bytes(b"\x00\x01\x02binary")
    done = rjkg(home)
    assert done.returncode == 1, done.stderr
    assert "d.txt" in done.stderr and "stand-in refuses" in done.stderr
    assert "e.txt" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in (home / "graph" / "doc").iterdir()) == ["a.ttl", "b.ttl", "c.ttl"]
    assert "published" in done.stdout  # the summary table


@pytest.mark.slow
def test_usage_error_gives_exit_2(home):
    done = rjkg(home, "--seeds", str(home / "missing"))
    assert done.returncode == 2
    assert "missing" in done.stderr and "Traceback" not in done.stderr
