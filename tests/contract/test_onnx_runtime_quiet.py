"""ONNX Runtime is opened with its telemetry off: every session the project opens goes through
contract.onnx_graph.runtime(), which calls ORT's own switch first."""

from __future__ import annotations

import numpy as np


def test_opening_a_graph_turns_telemetry_off_first(tmp_path, monkeypatch):
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper

    from contract.checkpoint import ONNX_INPUT
    from contract.onnx_graph import graph_logits, open_graph

    graph = helper.make_graph([helper.make_node("Identity", [ONNX_INPUT], ["logits"])], "identity",
                              [helper.make_tensor_value_info(ONNX_INPUT, TensorProto.FLOAT, [1, 3])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 3])])
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), path)
    calls = []
    switch = onnxruntime.disable_telemetry_events
    monkeypatch.setattr(onnxruntime, "disable_telemetry_events", lambda: calls.append(switch()))
    session = open_graph(path)
    assert len(calls) == 1  # ORT's switch ran (the real one) before the session
    assert graph_logits(session, np.ones((1, 3))).tolist() == [[1.0, 1.0, 1.0]]
