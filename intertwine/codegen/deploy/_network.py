"""Deployable artifacts of an invariant-theory network: its generated PyTorch module
(:func:`~intertwine.codegen.source.emit_network`, target "torch", with the given weights)
exported by ``write_artifact`` as the layers are. The artifact maps x (batch, dim IN) float32 to
(batch, dim OUT); its metadata names the action and the reps (no channels: a network's input
is one vector)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from typing import Any

from ..source import emit_network
from ._export import Exported, _quiet, write_artifact
from ._extras import ExportTarget
from ._module import import_emitted


def torch_network(net: Any, folder: str, params: Mapping[str, Any] | None, seed: int) -> Any:
    """The generated ``torch.nn.Module`` of ``net`` holding ``params`` (default the network's
    ``init`` at ``seed``), float32, eval mode; the module is not entered in ``sys.modules``."""
    out = emit_network(
        net, params, target="torch", name="Network", seed=seed, data_file="network_data.npz"
    )
    return import_emitted(out, folder, "network").Network().eval()


def export_network(
    net: Any, kind: ExportTarget, path: str, params: Mapping[str, Any] | None, seed: int
) -> Exported:
    """Write ``net`` (an ``invariant_network``) as an ONNX model or a pt2 package at ``path``."""
    import torch

    plan = net.plan
    start = time.perf_counter()
    meta = {
        "intertwine.group": plan.group,
        "intertwine.rep_in": plan.rep_in,
        "intertwine.rep_out": plan.rep_out,
        "intertwine.in_dim": str(plan.in_dim),
        "intertwine.out_dim": str(plan.out_dim),
        "intertwine.plan": "invariant network",
    }
    with tempfile.TemporaryDirectory() as folder, _quiet():
        module = torch_network(net, folder, params, seed)
        write_artifact(module, torch.zeros(2, plan.in_dim), kind, path, meta)
    return Exported(
        path,
        kind,
        "invariant network",
        (plan.in_dim,),
        (plan.out_dim,),
        time.perf_counter() - start,
    )
