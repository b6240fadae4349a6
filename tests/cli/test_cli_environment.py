"""Environment errors and Ctrl-C at the command line: exit 2 with one line for any OSError on a
user's file, exit 130 with one line for an interrupt at any moment, never a partial output file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from intertwine.cli import main


def run_cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("fmt", ["text", "json", "npz"])
def test_output_into_a_missing_folder_is_refused_before_the_work(tmp_path, capsys, fmt):
    target = tmp_path / "missing" / f"basis.{fmt}"
    code, err = run_cli(capsys, "solve", "S(3)", "V", "V", "--format", fmt, "-o", str(target))
    line = one_line(err)
    assert code == 2 and "does not exist" in line and "mkdir -p" in line
    assert not (tmp_path / "missing").exists()


def test_plot_and_codegen_into_a_missing_folder(tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib")
    png = tmp_path / "nope" / "w.png"
    code, err = run_cli(capsys, "solve", "S(3)", "V", "V", "--plot", str(png))
    assert code == 2 and str(png) in one_line(err)
    py = tmp_path / "nope" / "layer.py"
    code, err = run_cli(capsys, "codegen", "S(3)", "V", "V", "--target", "numpy", "-o", str(py))
    assert code == 2 and "does not exist" in one_line(err)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "argv",
    [
        ["solve", "S(3)", "V", "V", "-o", "/dev/full"],
        ["solve", "S(3)", "V", "V", "--format", "json", "-o", "/dev/full"],
        ["solve", "S(3)", "V", "V", "--format", "npz", "-o", "/dev/full"],
        ["codegen", "S(3)", "V", "V", "--target", "numpy", "-o", "/dev/full"],
    ],
    ids=["text", "json", "npz", "codegen"],
)
def test_a_full_disk_is_an_environment_error(capsys, argv):
    code, err = run_cli(capsys, *argv)
    line = one_line(err)
    assert code == 2 and "/dev/full" in line and "disk is full" in line


def test_output_onto_a_folder_and_a_missing_input(tmp_path, capsys):
    code, err = run_cli(capsys, "solve", "S(3)", "V", "V", "-o", str(tmp_path))
    assert code == 2 and "not a folder" in one_line(err)
    missing = tmp_path / "w.npy"
    code, err = run_cli(capsys, "verify", str(missing), "S(3)", "V", "V")
    line = one_line(err)
    assert code == 2 and str(missing) in line and "No such file" in line


def test_outputs_appear_whole_with_the_usual_mode_and_no_temporary_file(tmp_path, capsys):
    target = tmp_path / "b.npz"
    code, _ = run_cli(capsys, "solve", "S(4)", "V", "V", "--format", "npz", "-o", str(target))
    assert code == 0 and sorted(os.listdir(tmp_path)) == ["b.npz"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    with np.load(target, allow_pickle=False) as z:
        assert "checksum" in z.files


# ----------------------------------------------------------------- Ctrl-C, in a real process
CONSOLE_SCRIPT = (
    # what the installed ``intertwine`` script does, saying when intertwine's code has started
    "import sys; sys.argv[0] = 'intertwine'; from intertwine.cli import main; "
    "print('started', flush=True); sys.exit(main())"
)


def _interrupt(
    argv: list[str], wait_for_stderr: bool, cwd, delay: float = 0.0
) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-c", CONSOLE_SCRIPT, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == "started\n"
    first = proc.stderr.readline() if wait_for_stderr else ""  # a progress line: mid-solve
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, first + err)


@pytest.mark.parametrize("delay", [0.0, 0.2], ids=["before-main", "in-main"])
def test_ctrl_c_during_start_up_exits_130_with_one_line(tmp_path, delay):
    # at once (before main takes over Ctrl-C), or a little later: in main's heavy imports, or
    # in the slow solve that follows them on a fast machine
    argv = ["solve", "S(5)", "V**3", "V**3", "--method", "iterative", "--no-cache", "-o", "b.txt"]
    done = _interrupt(argv, False, tmp_path, delay)
    assert done.returncode == 130, done.stderr
    assert one_line(done.stderr) == "intertwine: interrupted"
    assert os.listdir(tmp_path) == []


def test_ctrl_c_mid_solve_exits_130_and_leaves_no_partial_output(tmp_path):
    # a slow solve (the iterative stage on 15625 unknowns): interrupted at its first progress line
    argv = ["solve", "S(5)", "V**3", "V**3", "--method", "iterative", "--no-cache"]
    done = _interrupt([*argv, "--format", "npz", "-o", "b.npz"], True, tmp_path)
    assert done.returncode == 130, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("[") and lines[-1] == "intertwine: interrupted"
    assert "Traceback" not in done.stderr
    assert os.listdir(tmp_path) == []  # neither b.npz nor its temporary file
