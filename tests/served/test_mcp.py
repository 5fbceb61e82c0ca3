"""The app as an MCP server: the real `mcp` client SDK against the real served app (one server for the
module): the studio's tools listed with their typed arguments, nothing of training or admin among them, a
real bean leaf and a sentence classified through them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from studio.agents.tools import MCP_TOOLS
from tests.support.checkpoints import make_leaf_checkpoint
from tests.support.mcp import mcp_session, texts
from tests.support.tiny import LEAF_CLASSES, make_tiny_bert_classifier


@pytest.fixture(scope="module")
def app_url(serve_app_for_module, tmp_path_factory, tiny_vit) -> str:
    """The app as `python app.py` launches it (app.launch_kwargs: MCP on), on a models folder with a leaf
    and a sentiment checkpoint."""
    models = tmp_path_factory.mktemp("mcp-models")
    make_leaf_checkpoint(models, "beans-tiny", 0.8, tiny_vit)
    sentiment = make_tiny_bert_classifier(models / "sst2-tiny")
    (sentiment / "metrics.json").write_text(json.dumps({
        "task": "text-classification", "name": "sst2-tiny", "label_names": ["negative", "positive"],
        "splits": {"validation": {"accuracy": 0.8, "num_examples": 8}}}), encoding="utf-8")
    return serve_app_for_module({"STUDIO_MODELS_DIR": models, "STUDIO_LANG": "en", "STUDIO_BEANS_MODEL": "",
                                 "STUDIO_SENTIMENT_MODEL": "", "STUDIO_RUNTIME": "onnx"}).rstrip("/")


def leaf_data_url(beans_dir: Path, name: str) -> str:
    leaf = sorted((beans_dir / "validation" / name).glob("*.jpg"))[0]
    return "data:image/jpeg;base64," + base64.b64encode(leaf.read_bytes()).decode()


def test_the_tools_are_the_classifiers_with_typed_arguments_and_nothing_else(app_url):
    async def work(session):
        return (await session.list_tools()).tools

    tools = {tool.name: tool for tool in mcp_session(app_url, work)}
    assert set(tools) == set(MCP_TOOLS)
    assert not [name for name in tools if any(word in name for word in ("train", "review", "status", "push"))]
    for tool in tools.values():
        assert tool.description and tool.inputSchema["type"] == "object" and tool.inputSchema["properties"]
    leaf = tools["classify_bean_leaf"].inputSchema["properties"]
    assert "url" in leaf["image"]["format"]  # the image: a URL (or a data: URL) to a file
    assert all(schema["description"] for tool in tools.values() for schema in tool.inputSchema["properties"].values())
    sentence = tools["classify_sentiment"].inputSchema["properties"]
    assert sentence["text"]["type"] == "string" and tools["classify_sentiment"].inputSchema["required"] == ["text"]


def test_a_real_leaf_and_a_sentence_are_classified_through_the_tools(app_url, beans_dir):
    async def work(session):
        leaf_args = dict(zip(
            (await tools_arguments(session))["classify_bean_leaf"], (leaf_data_url(beans_dir, "bean_rust"), ""),
            strict=False))
        leaf = await session.call_tool("classify_bean_leaf", leaf_args)
        names = (await tools_arguments(session))["classify_sentiment"]
        sentence = await session.call_tool("classify_sentiment", dict(zip(names, ("a wonderful, moving film", ""),
                                                                          strict=False)))
        names = (await tools_arguments(session))["classify_sentiment_batch"]
        batch = await session.call_tool("classify_sentiment_batch", dict(zip(
            names, ("a wonderful film\na dull, boring film", ""), strict=False)))
        return leaf, sentence, batch

    leaf, sentence, batch = mcp_session(app_url, work)
    answered = texts(leaf)
    assert any(name in answered for name in LEAF_CLASSES) and "beans-tiny" in answered
    answered = texts(sentence)
    assert ("positive" in answered or "negative" in answered) and "sst2-tiny" in answered
    answered = texts(batch)
    assert "2" in answered and ("positive" in answered or "negative" in answered)


def test_a_training_event_cannot_be_called_as_a_tool(app_url):
    async def work(session):
        return await session.call_tool("train_start", {})

    result = mcp_session(app_url, work)
    assert result.isError and "Unknown tool" in texts_of_error(result)


async def tools_arguments(session) -> dict[str, list[str]]:
    """Each tool's argument names, in the order of its schema (the event's inputs)."""
    return {tool.name: list(tool.inputSchema["properties"]) for tool in (await session.list_tools()).tools}


def texts_of_error(result) -> str:
    return "\n".join(part.text for part in result.content if getattr(part, "text", None))
