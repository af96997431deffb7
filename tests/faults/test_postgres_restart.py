"""PostgreSQL restarted under the server: during streamed answers and during writes. Afterwards the server is healthy
again, every question has exactly one finished answer (complete, stopped or failed: never one left streaming, never
two), and the connections of the old pool are gone."""
import concurrent.futures
import contextlib
import threading
import uuid

import pytest

from faultkit import LONG, Postgres, assert_healthy_and_clean, fault_server, query, require_postgres, wait_until, warm_up

STREAMS = 20 if LONG else 6
WRITERS = 16 if LONG else 6
# fast: backends are told to end (a planned restart); immediate: the database crashes and recovers.
MODES = ["fast", "immediate"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_postgres()
    with fault_server(tmp_path_factory.mktemp("pg-restart"), "postgresql") as running:
        yield running


@pytest.fixture(scope="module")
def cluster():
    return Postgres()


@pytest.fixture
def session(server):
    return server.guest()


@contextlib.contextmanager
def database_down(cluster, mode):
    """Stops the cluster for the block; always starts it again, so one failure does not take the next test down."""
    cluster.stop(mode)
    try:
        yield
    finally:
        cluster.start()


def running_runs(server):
    return int(query(server, "SELECT count(*) FROM generation_runs WHERE status = 'running'")[0][0])


@pytest.mark.parametrize("mode", MODES)
def test_a_restart_during_streamed_answers_leaves_one_finished_answer_each(server, session, cluster, mode):
    before = warm_up(server, session, STREAMS)
    # Long enough to be running during the restart, short enough for the test: 60 events 50 ms apart.
    with concurrent.futures.ThreadPoolExecutor(STREAMS) as pool:
        asks = [pool.submit(session.ask, None, None, "fake:slow:50:60") for _ in range(STREAMS)]
        wait_until(lambda: running_runs(server) >= STREAMS, 60, f"{STREAMS} answers to be running")
        with database_down(cluster, mode):
            # Clients keep asking while the database is away; they may be refused, never crash the server.
            for _ in range(3):
                status, _, _ = session.request("GET", "/api/history")
                assert status in (200, 401, 503), status
        for ask in asks:
            status, _, _ = ask.result(timeout=120)
            assert status in (200, 503), status
    assert_healthy_and_clean(server, session, before)


# The crash-restart variant found answers stalling after `-m immediate` (a query postgres-nio lost as its
# connection closed, holding the shared flusher); queries are now abandoned when their connection dies.
@pytest.mark.parametrize("mode", MODES)
def test_a_restart_during_writes_never_answers_500_and_leaves_one_answer_each(server, session, cluster, mode):
    before = warm_up(server, session, WRITERS)
    stop = threading.Event()
    statuses = []

    def write_until_stopped(_):
        mine = server.guest()
        while not stop.is_set():
            chat_id = str(uuid.uuid4())
            with contextlib.suppress(OSError):
                status, _, _ = mine.ask(chat_id=chat_id, text="write during a restart")
                statuses.append(status)
                status, _, _ = mine.request("PATCH", f"/api/chat/{chat_id}/visibility", body={"visibility": "public"})
                statuses.append(status)
                status, _, _ = mine.request("DELETE", f"/api/chat?id={chat_id}")
                statuses.append(status)

    # Not a `with` block: a writer stuck in a stream that never ends must fail the test, not hang it (the server's
    # teardown closes the stream).
    pool = concurrent.futures.ThreadPoolExecutor(WRITERS)
    writers = [pool.submit(write_until_stopped, i) for i in range(WRITERS)]
    try:
        wait_until(lambda: len(statuses) >= WRITERS * 3, 60, "writes to be under way")
        with database_down(cluster, mode):
            # A write while the database is away is refused with 503 once the wait for a connection runs out, never
            # hangs. (The writers cannot show it: one whose answer finished as the database went keeps its stream open
            # while the answer retries its save, so how many writers answer meanwhile depends on the moment.)
            for method, path, body in [("PATCH", f"/api/chat/{uuid.uuid4()}/visibility", {"visibility": "public"}),
                                       ("DELETE", f"/api/chat?id={uuid.uuid4()}", None)]:
                status, _, _ = session.request(method, path, body=body, timeout=40)
                assert status == 503, (method, status)
        seen = len(statuses)
        wait_until(lambda: len(statuses) >= seen + WRITERS * 3, 60, "writes to go on after the restart")
    finally:
        stop.set()
    try:
        for writer in writers:
            writer.result(timeout=120)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    assert 500 not in statuses, f"{statuses.count(500)} of {len(statuses)} writes answered 500"
    assert_healthy_and_clean(server, session, before)


# Shutdown used to wait for the answers' final saves, which retried for minutes with the database down, so the
# server exited only once the database was back, long after an orchestrator's stop timeout (ECS: 30 s).
def test_sigterm_while_the_database_is_down_still_exits(tmp_path, cluster):
    """A deploy can stop the server during a database outage: it must still exit (answers it cannot save stay as
    they are; the next instance's liveness sweep closes them), not wait for the database for ever."""
    with fault_server(tmp_path, "postgresql") as server:
        session = server.guest()
        with concurrent.futures.ThreadPoolExecutor(STREAMS) as pool:
            asks = [pool.submit(session.ask, None, None, "fake:slow:50:60") for _ in range(STREAMS)]
            wait_until(lambda: running_runs(server) >= STREAMS, 60, f"{STREAMS} answers to be running")
            with database_down(cluster, "fast"):
                server.process.terminate()
                code = server.process.wait(timeout=90)
            for ask in asks:
                with contextlib.suppress(OSError):
                    ask.result(timeout=120)
        assert code == 0, server.log()[-3000:]
        assert "Fatal error" not in server.log()
