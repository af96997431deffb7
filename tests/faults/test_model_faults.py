"""The model failing in every way Bedrock can fail, on SQLite and PostgreSQL: before the first token, mid-stream with an
exception event, with the connection dropped, stalling past the idle timeout, and throttling in bursts. After each,
the server is healthy, every question has exactly one finished answer, and nothing leaked (faultkit)."""
import concurrent.futures
import json

import pytest

from faultkit import LONG, answers, assert_healthy_and_clean, assert_log_holds_no_message_text, databases, fault_server, warm_up

BURST = 40 if LONG else 12
# Each single fault happens this many times, so one leaked connection or descriptor per fault exceeds the slack.
REPEAT = 10 if LONG else 3


@pytest.fixture(scope="module", params=databases())
def server(request, tmp_path_factory):
    with fault_server(tmp_path_factory.mktemp("model-faults"), request.param) as running:
        yield running


@pytest.fixture
def session(server):
    return server.guest()


@pytest.fixture
def before(server, session):
    # As many at once as the bursts below, so the pools already hold what they will keep.
    return warm_up(server, session, BURST)


def chunks(stream):
    """The JSON chunks of a UI message stream."""
    return [json.loads(line[len(b"data: "):]) for line in stream.split(b"\n") if line.startswith(b"data: {")]


def ask_once(session, text):
    status, stream, chat_id = session.ask(text=text)
    assert status == 200, stream[:500]
    return stream, chat_id


def ask_repeatedly(session, text):
    """The fault REPEAT times in a row; returns the last (stream, chat id)."""
    for _ in range(REPEAT - 1):
        ask_once(session, text)
    return ask_once(session, text)


@pytest.mark.parametrize("code", ["ValidationException", "ServiceUnavailableException", "InternalServerException"])
def test_a_model_that_fails_before_the_first_token_leaves_one_failed_answer(server, session, before, code):
    stream, chat_id = ask_repeatedly(session, f"fake:error:{code}")
    assert b'"type":"error"' in stream, stream[-500:]
    assert [status for status, _ in answers(server, chat_id)] == ["failed"]
    assert_healthy_and_clean(server, session, before)


def test_an_exception_event_mid_stream_keeps_the_partial_answer_as_failed(server, session, before):
    stream, chat_id = ask_repeatedly(session, "fake:exception:modelStreamErrorException")
    assert b"Partial answer" in stream and b'"type":"error"' in stream, stream[-500:]
    [(status, text)] = answers(server, chat_id)
    assert status == "failed" and "Partial answer" in text
    assert_healthy_and_clean(server, session, before)


@pytest.mark.parametrize("events", [0, 3])
def test_a_dropped_model_connection_ends_the_answer_as_failed(server, session, before, events):
    stream, chat_id = ask_repeatedly(session, f"fake:reset:{events}")
    assert b'"type":"error"' in stream, stream[-500:]
    assert [status for status, _ in answers(server, chat_id)] == ["failed"]
    assert_healthy_and_clean(server, session, before)


@pytest.mark.parametrize("events", [0, 3])
def test_a_model_stalling_past_the_idle_timeout_ends_the_answer_as_failed(server, session, before, events):
    # The server gives up after MODEL_IDLE_TIMEOUT (2 s here); the fake would stay silent for two minutes.
    stream, chat_id = ask_repeatedly(session, f"fake:stall:{events}")
    assert b'"type":"error"' in stream, stream[-500:]
    assert [status for status, _ in answers(server, chat_id)] == ["failed"]
    assert_healthy_and_clean(server, session, before)


def test_a_burst_of_throttled_first_attempts_is_retried_and_answered(server, session, before):
    with concurrent.futures.ThreadPoolExecutor(BURST) as pool:
        results = list(pool.map(lambda _: ask_once(session, "fake:throttle-once"), range(BURST)))
    for stream, chat_id in results:
        assert [(status, text) for status, text in answers(server, chat_id)] == [("complete", "Answered after a throttled first attempt.")], stream[-500:]
    assert_healthy_and_clean(server, session, before)


def test_a_burst_of_lasting_throttling_fails_those_answers_and_spares_the_others(server, session, before):
    texts = ["fake:error:ThrottlingException" if i % 2 else f"plain question {i}" for i in range(BURST)]
    with concurrent.futures.ThreadPoolExecutor(BURST) as pool:
        results = list(pool.map(lambda text: (text, *ask_once(session, text)), texts))
    for text, stream, chat_id in results:
        expected = "failed" if text.startswith("fake:") else "complete"
        assert [status for status, _ in answers(server, chat_id)] == [expected], (text, stream[-300:])
        if expected == "failed":
            # Users are told the service is busy, not Bedrock's own words (finding 8).
            [error] = [chunk["errorText"] for chunk in chunks(stream) if chunk.get("type") == "error"]
            assert "ThrottlingException" not in error and "Scripted" not in error and "Wait a moment" in error, error
    assert_healthy_and_clean(server, session, before)


def test_faults_of_every_kind_at_once_leave_one_answer_each(server, session, before):
    kinds = ["fake:error:ServiceUnavailableException", "fake:exception:modelStreamErrorException", "fake:reset:2",
             "fake:stall:2", "fake:throttle-once", "fake:slow:20:10", "plain"]
    texts = [kinds[i % len(kinds)] for i in range(BURST * (3 if LONG else 1))]
    with concurrent.futures.ThreadPoolExecutor(len(texts)) as pool:
        results = list(pool.map(lambda text: ask_once(session, text), texts))
    for stream, chat_id in results:
        assert len(answers(server, chat_id)) == 1
    assert_healthy_and_clean(server, session, before)


def test_the_log_of_all_these_faults_holds_no_message_text(server):
    # Runs last in the module: the questions and answers of every case above, and the faults' own texts.
    assert_log_holds_no_message_text(server, [
        "plain question", "are you still there", "warm up", "You said", "Partial answer", "Answered after a throttled",
        "This answer is cut", "This answer stalls", "word1 "])
