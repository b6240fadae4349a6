"""examples/distributed_training.py: two processes on this machine train a layer data-parallel
with jax.distributed (CPU collectives by gloo). The parameters are identical in both processes
after every step and equal to one process training on the whole batch (plain jax.grad here)."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT, load_module

EXAMPLE = ROOT / "examples" / "distributed_training.py"
STEPS = 4


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _records(stdout: str) -> list[dict]:
    # gloo prints its own connection lines to stdout; the example's are JSON
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def _run_two_processes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS", "JAX_ENABLE_X64")}
    env.update(JAX_PLATFORMS="cpu", PYTHONPATH=str(ROOT), INTERTWINE_CACHE_DIR=str(tmp_path))
    port = _free_port()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(EXAMPLE),
                "--num-processes",
                "2",
                "--process-id",
                str(i),
                "--port",
                str(port),
                "--steps",
                str(STEPS),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for i in range(2)
    ]
    outputs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=240)
            assert p.returncode == 0, err[-2000:]
            outputs.append(_records(out))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return outputs


def _single_process_training():
    """One process, the whole batch, no sharding: plain SGD with jax.grad, in float64."""
    import jax

    example = load_module(EXAMPLE, "distributed_training")
    history = []
    with jax.enable_x64(True):
        layer, params, x, y = example.problem()
        grad = jax.jit(jax.grad(lambda p: example.loss(layer, p, x, y)))
        for _ in range(STEPS):
            g = grad(params)
            params = {k: params[k] - example.LR * g[k] for k in params}
            history.append({k: np.asarray(v).ravel() for k, v in params.items()})
    return history


@pytest.mark.slow
def test_two_processes_train_as_one(tmp_path):
    first, second = _run_two_processes(tmp_path)
    assert [r["step"] for r in first] == [r["step"] for r in second] == list(range(1, STEPS + 1))
    assert {r["process"] for r in first} == {0} and {r["process"] for r in second} == {1}
    reference = _single_process_training()
    for a, b, want in zip(first, second, reference):
        assert a["params"] == b["params"]  # identical in both processes, every step
        for key, value in want.items():
            np.testing.assert_allclose(np.asarray(a["params"][key]), value, rtol=0, atol=1e-12)
    moved = np.abs(np.asarray(first[-1]["params"]["theta"]) - reference[0]["theta"]).max()
    assert moved > 0  # the steps after the first changed the parameters too
