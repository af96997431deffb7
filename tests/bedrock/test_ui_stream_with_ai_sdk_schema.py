"""Checks the app's UI message stream against the AI SDK's own chunk schema, not our encoder and decoder.

tests/schemas/ai-sdk-ui-message-chunk.schema.json is the AI SDK v6 `uiMessageChunkSchema` (zod) written
down as JSON Schema, with the version and commit it came from. Every chunk of real answers (text,
reasoning, tool calls with their outputs and errors, the document tools' data parts, a model error before and
during the stream) must match exactly one chunk type,
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
