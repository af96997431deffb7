"""Checks what the app sends to Bedrock against botocore's bedrock-runtime service model, the reference.

The Swift tests compare the Converse request with JSON we wrote ourselves and with the fake's own
validator; both could share our misreading of the API. Here the real `chatbot serve` talks to the fake
Bedrock server through a recording proxy, over conversations that exercise every kind of content the
app sends back (plain turns, reasoning with its signature, after a tool call, on every catalog model), and each
recorded body is validated with botocore's ParamValidator against the operation's input shape: unknown
fields, wrong types and missing required members all fail.

Run: CHATBOT_BIN=.build/debug/chatbot FAKE_BEDROCK_BIN=.build/debug/fake-bedrock .venv/bin/python -m pytest tests/bedrock
"""
import base64
import json
import urllib.parse
import uuid

import pytest

from app_stack import Browser, app_stack  # noqa: F401 (app_stack is the fixture)

botocore = pytest.importorskip("botocore")
import botocore.session  # noqa: E402
from botocore.validate import ParamValidator  # noqa: E402


def from_wire(value, shape):
    """The request JSON as botocore's parameters: blobs travel as base64 text and are bytes to the validator.
    Unknown keys are kept, so the validator reports them."""
    if shape is None:
        return value
    if shape.type_name == "structure" and isinstance(value, dict):
        return {key: from_wire(item, shape.members.get(key)) for key, item in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [from_wire(item, shape.member) for item in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {key: from_wire(item, shape.value) for key, item in value.items()}
    if shape.type_name == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    return value


def validate(path, body):
    """Errors botocore finds in one recorded request ('' when it is valid)."""
    service = botocore.session.get_session().get_service_model("bedrock-runtime")
    parts = path.split("?")[0].split("/")
    assert len(parts) == 4 and parts[1] == "model", path
    operation = {"converse": "Converse", "converse-stream": "ConverseStream"}[parts[3]]
    input_shape = service.operation_model(operation).input_shape
    params = from_wire(json.loads(body), input_shape)
    params["modelId"] = urllib.parse.unquote(parts[2])
    report = ParamValidator().validate(params, input_shape)
    return report.generate_report() if report.has_errors() else ""


def test_validator_catches_what_it_should():
    """The check itself can fail: a misspelt field, a wrong type and a missing member are all reported."""
    good = json.dumps({"messages": [{"role": "user", "content": [{"text": "hi"}]}], "inferenceConfig": {"maxTokens": 10}})
    assert validate("/model/amazon.nova-lite-v1%3A0/converse-stream", good) == ""
    assert "Unknown parameter" in validate("/model/m/converse-stream", good.replace("maxTokens", "max_tokens"))
    assert "Invalid type" in validate("/model/m/converse", good.replace("10", '"10"'))
    assert "Missing required parameter" in validate("/model/m/converse", json.dumps({"messages": [{"content": [{"text": "hi"}]}]}))


def test_every_request_the_app_sends_is_valid_for_botocore(app_stack):
    base, proxy = app_stack
    browser = Browser(base)
    catalog = browser.get("/api/models")
    models = [model["id"] for model in catalog["models"]]
    assert catalog["defaultModel"] in models
    # On every catalog model (reasoning settings, system prompts and limits differ by model), a conversation
    # whose history holds what the app replays: text, and reasoning with its signature.
    for model in models:
        chat = str(uuid.uuid4())
        for text in ["hello", "fake:reasoning", "fake:tool", "and once more, with all of that in the history"]:
            browser.chat(chat, text, model)
    with proxy.lock:
        records = list(proxy.records)
    operations = {path.split("/")[-1] for path, _ in records}
    assert "converse-stream" in operations, operations
    assert len(records) >= 4 * len(models), [path for path, _ in records]
    # The last turns really carried history, and signed reasoning went back to at least one model.
    last_turns = [json.loads(body) for path, body in records if b"and once more" in body]
    assert all(len(turn["messages"]) >= 7 for turn in last_turns), [len(turn["messages"]) for turn in last_turns]
    kinds = {key for turn in last_turns for message in turn["messages"] for block in message["content"] for key in block}
    assert {"text", "reasoningContent"} <= kinds, kinds
    problems = {f"{path}: {error}" for path, body in records if (error := validate(path, body))}
    assert not problems, "\n".join(sorted(problems))
    print(f"\n{len(records)} requests to {len(models)} models validated against botocore {botocore.__version__}")
