"""Checks the app's UI message stream against the AI SDK's own chunk schema, not our encoder and decoder.

tests/schemas/ai-sdk-ui-message-chunk.schema.json is the AI SDK v6 `uiMessageChunkSchema` (zod) written
down as JSON Schema, with the version and commit it came from. Every chunk of real answers (text,
reasoning, tool calls with their outputs and errors, the document tools' data parts, a model error before and
during the stream, an answer stopped by its user) must match exactly one chunk type,
with no field the SDK would reject (its objects are strict).
"""
import json
import uuid
from pathlib import Path

import pytest

from app_stack import Browser, app_stack  # noqa: F401 (app_stack is the fixture)

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "ai-sdk-ui-message-chunk.schema.json").read_text())


def validator():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def chunks_of(stream):
    """The JSON chunks of an SSE stream, checking it ends with [DONE]."""
    data = [line[len("data: "):] for line in stream.splitlines() if line.startswith("data: ")]
    assert data and data[-1] == "[DONE]", stream[-300:]
    return [json.loads(item) for item in data[:-1]]


def test_the_schema_rejects_what_the_sdk_rejects():
    check = validator()
    assert check.is_valid({"type": "text-delta", "id": "t1", "delta": "hi"})
    assert check.is_valid({"type": "data-chat-title", "data": "A title"})
    assert not check.is_valid({"type": "text-delta", "id": "t1"}), "delta is required"
    assert not check.is_valid({"type": "text-delta", "id": "t1", "delta": "hi", "extra": 1}), "objects are strict"
    assert not check.is_valid({"type": "finish", "finishReason": "done"}), "finishReason is an enum"
    assert not check.is_valid({"type": "text-chunk", "id": "t1"}), "unknown chunk type"
    assert check.is_valid({"type": "abort"})
    assert not check.is_valid({"type": "abort", "reason": "user"}), "6.0.0-beta.103's abort has no fields"


def test_every_chunk_the_app_streams_is_an_ai_sdk_chunk(app_stack):
    base, _ = app_stack
    browser = Browser(base)
    model = browser.get("/api/models")["defaultModel"]
    check = validator()
    seen = set()
    chat = str(uuid.uuid4())
    texts = ["hello", "fake:reasoning", "fake:tool", "fake:document:text", "fake:document:sheet", "fake:document-bad",
             "fake:exception:modelStreamErrorException", "fake:error:ThrottlingException"]
    for text in texts:
        for chunk in chunks_of(browser.chat(chat if not text.startswith("fake:error") else str(uuid.uuid4()), text, model)):
            errors = sorted(str(error.message) for error in check.iter_errors(chunk))
            assert not errors, f"{chunk}: {errors[:3]}"
            seen.add(chunk["type"])
    # The answers above exercised the app's whole repertoire, so the check covered it.
    expected = {"start", "start-step", "text-start", "text-delta", "text-end", "reasoning-start", "reasoning-delta", "reasoning-end",
                "tool-input-start", "tool-input-delta", "tool-input-available", "tool-output-available", "tool-output-error",
                "data-kind", "data-id", "data-title", "data-clear", "data-textDelta", "data-sheetDelta", "data-finish",
                "finish-step", "finish", "error", "data-chat-title"}
    assert expected <= seen, expected - seen


def test_a_stopped_answer_ends_with_the_ai_sdk_abort_chunk(app_stack):
    base, _ = app_stack
    browser = Browser(base)
    model = browser.get("/api/models")["defaultModel"]
    check = validator()
    chat = str(uuid.uuid4())
    chunks = []
    # `fake:stall`: the model sends a little text, then nothing, so the answer is still running when stopped.
    with browser.open_chat(chat, "fake:stall", model) as response:
        stopped = False
        for raw in response:
            line = raw.decode().rstrip("\r\n")
            if not line.startswith("data: "):
                continue
            if line == "data: [DONE]":
                break
            chunks.append(json.loads(line[len("data: "):]))
            if chunks[-1]["type"] == "text-delta" and not stopped:
                with browser.post(f"/api/chat/{chat}/stop", {}) as stop:
                    assert json.loads(stop.read()) == {"stopped": True}
                stopped = True
        else:
            raise AssertionError(f"the stream ended without [DONE] after {chunks[-3:]}")
    for chunk in chunks:
        errors = sorted(str(error.message) for error in check.iter_errors(chunk))
        assert not errors, f"{chunk}: {errors[:3]}"
    assert stopped, chunks
    assert [chunk["type"] for chunk in chunks[-2:]] == ["finish-step", "abort"], chunks[-4:]
