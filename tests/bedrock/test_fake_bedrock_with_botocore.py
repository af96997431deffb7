"""Establishes the fake Bedrock server against botocore, the reference client.

The Swift client is tested against the fake; this file shows the fake speaks the real
protocol: botocore signs requests the fake verifies, decodes every event it streams, and
sees its errors as the right ClientError / EventStreamError codes.

Run: FAKE_BEDROCK_BIN=$(swift build --show-bin-path)/fake-bedrock python3 -m pytest tests/bedrock
"""
import os
import subprocess

import pytest

botocore = pytest.importorskip("botocore")
import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError, EventStreamError  # noqa: E402

BIN = os.environ.get("FAKE_BEDROCK_BIN")
pytestmark = pytest.mark.skipif(not BIN, reason="set FAKE_BEDROCK_BIN to the built fake-bedrock executable (swift build --product fake-bedrock)")

KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "botocore-session-token"


@pytest.fixture(scope="module")
def fake():
    process = subprocess.Popen([BIN, "--port", "0", "--session-token", TOKEN], stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    process.wait(timeout=10)


def client(url, secret=SECRET, token=TOKEN, region="us-east-1"):
    session = botocore.session.get_session()
    return session.create_client(
        "bedrock-runtime", endpoint_url=url, region_name=region, aws_access_key_id=KEY, aws_secret_access_key=secret,
        aws_session_token=token, config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def user(text):
    return [{"role": "user", "content": [{"text": text}]}]


def test_converse(fake):
    response = client(fake).converse(modelId="us.anthropic.claude-3-5-haiku-20241022-v1:0", messages=user("hello"),
                                     inferenceConfig={"maxTokens": 50})
    assert response["output"]["message"]["content"] == [{"text": "You said: hello"}]
    assert response["stopReason"] == "end_turn"
    assert response["usage"]["totalTokens"] == response["usage"]["inputTokens"] + response["usage"]["outputTokens"]
    assert response["ResponseMetadata"]["RequestId"]


def test_converse_stream_every_event_decodes(fake):
    response = client(fake).converse_stream(modelId="amazon.nova-lite-v1:0", messages=user("stream me"))
    events = list(response["stream"])
    kinds = [next(iter(event)) for event in events]
    assert kinds[0] == "messageStart" and kinds[-2:] == ["messageStop", "metadata"]
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == "You said: stream me"
    assert sum(1 for k in kinds if k == "contentBlockDelta") > 2
    # botocore drops the "p" padding like any unknown member.
    assert all("p" not in next(iter(e.values())) for e in events)
    assert events[-1]["metadata"]["metrics"]["latencyMs"] == 42


def test_stream_with_reasoning_and_tool_use(fake):
    events = list(client(fake).converse_stream(modelId="amazon.nova-lite-v1:0", messages=user("fake:reasoning"))["stream"])
    deltas = [e["contentBlockDelta"]["delta"] for e in events if "contentBlockDelta" in e]
    assert {"reasoningContent": {"signature": "fake-signature-1"}} in deltas
    events = list(client(fake).converse_stream(modelId="amazon.nova-lite-v1:0", messages=user("fake:tool"))["stream"])
    starts = [e["contentBlockStart"]["start"] for e in events if "contentBlockStart" in e]
    assert starts == [{"toolUse": {"toolUseId": "tooluse_fake1", "name": "getWeather"}}]
    fragments = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events
                        if "contentBlockDelta" in e and "toolUse" in e["contentBlockDelta"]["delta"])
    assert fragments == '{"city":"Paris"}'
    assert events[-2]["messageStop"]["stopReason"] == "tool_use"


def test_wrong_secret_is_invalid_signature(fake):
    with pytest.raises(ClientError) as error:
        client(fake, secret="wrong").converse(modelId="amazon.nova-lite-v1:0", messages=user("x"))
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_missing_or_wrong_token_is_unrecognized_client(fake):
    for token in (None, "other-token"):
        with pytest.raises(ClientError) as error:
            client(fake, token=token).converse(modelId="amazon.nova-lite-v1:0", messages=user("x"))
        assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_wrong_region_scope(fake):
    with pytest.raises(ClientError) as error:
        client(fake, region="us-west-2").converse(modelId="amazon.nova-lite-v1:0", messages=user("x"))
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert error.value.response["Error"]["Message"] == "Credential should be scoped to a valid region. "


@pytest.mark.parametrize("code,status", [
    ("ValidationException", 400), ("AccessDeniedException", 403), ("ResourceNotFoundException", 404),
    ("ModelTimeoutException", 408), ("ModelErrorException", 424), ("ThrottlingException", 429),
    ("ModelNotReadyException", 429), ("InternalServerException", 500), ("ServiceUnavailableException", 503),
])
def test_error_codes_reach_botocore(fake, code, status):
    with pytest.raises(ClientError) as error:
        client(fake).converse(modelId="amazon.nova-lite-v1:0", messages=user(f"fake:error:{code}"))
    assert error.value.response["Error"]["Code"] == code
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert error.value.response["Error"]["Message"].startswith("Scripted")
    assert type(error.value).__name__ == code  # botocore maps modelled errors to their classes


def test_on_demand_error_for_bare_claude_id(fake):
    with pytest.raises(ClientError) as error:
        client(fake).converse(modelId="anthropic.claude-3-5-haiku-20241022-v1:0", messages=user("x"))
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert "on-demand throughput isn\u2019t supported" in error.value.response["Error"]["Message"]


def test_mid_stream_exception_is_event_stream_error(fake):
    response = client(fake).converse_stream(modelId="amazon.nova-lite-v1:0", messages=user("fake:exception:modelStreamErrorException"))
    seen = []
    with pytest.raises(EventStreamError) as error:
        for event in response["stream"]:
            seen.append(event)
    assert error.value.response["Error"]["Code"] == "modelStreamErrorException"
    assert "Scripted" in error.value.response["Error"]["Message"]
    assert seen[0] == {"messageStart": {"role": "assistant"}}


def test_validation_rejects_null_and_bad_order(fake):
    session_client = client(fake)
    with pytest.raises(ClientError) as error:
        session_client.converse(modelId="amazon.nova-lite-v1:0", messages=[{"role": "assistant", "content": [{"text": "x"}]}])
    assert error.value.response["Error"]["Code"] == "ValidationException"


API_KEY = "ABSKQmVkcm9ja0FQSUtleS1ib3RvY29yZQ=="


@pytest.fixture(scope="module")
def fake_with_api_key():
    process = subprocess.Popen([BIN, "--port", "0", "--bearer-token", API_KEY], stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    process.wait(timeout=10)


def bearer_client(url, monkeypatch, key):
    # botocore prefers the bearer scheme when AWS_BEARER_TOKEN_BEDROCK is set and nothing is configured in code.
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", key)
    session = botocore.session.get_session()
    return session.create_client("bedrock-runtime", endpoint_url=url, region_name="us-east-1", config=Config(retries={"max_attempts": 1}))


def test_botocore_bedrock_api_key_is_accepted(fake_with_api_key, monkeypatch):
    seen = {}
    bedrock = bearer_client(fake_with_api_key, monkeypatch, API_KEY)
    bedrock.meta.events.register("before-send", lambda request, **_: seen.update(request.headers))
    response = bedrock.converse(modelId="amazon.nova-lite-v1:0", messages=user("hi"))
    assert response["output"]["message"]["content"][0]["text"] == "You said: hi"
    authorization = seen["Authorization"]
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    assert authorization == f"Bearer {API_KEY}"
    assert "X-Amz-Date" not in seen


def test_botocore_wrong_api_key_is_rejected(fake_with_api_key, monkeypatch):
    with pytest.raises(ClientError) as error:
        bearer_client(fake_with_api_key, monkeypatch, "not-the-key").converse(modelId="amazon.nova-lite-v1:0", messages=user("hi"))
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
