"""Faults in accounting, seen from outside on SQLite and PostgreSQL: a send that loses the race for a chat's one
running answer (409) keeps its message of the allowance; registrations are limited per address and a taken e-mail
is not confirmed; every date the API returns carries its zone."""
import concurrent.futures
import json
import re
import uuid

import pytest

from faultkit import databases, fault_server, query, same_id

RACERS = 16
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


@pytest.fixture(scope="module", params=databases())
def server(request, tmp_path_factory):
    with fault_server(tmp_path_factory.mktemp("accounting"), request.param, {"REGISTER_LIMIT_PER_ADDRESS": "3"}) as running:
        yield running


def test_sends_that_lose_the_race_for_a_chat_are_not_charged(server):
    session = server.guest()
    status, _, chat_id = session.ask(text="first")
    assert status == 200
    with concurrent.futures.ThreadPoolExecutor(RACERS) as pool:
        statuses = list(pool.map(lambda i: session.ask(chat_id=chat_id, text="fake:slow:20:10")[0], range(RACERS)))
    assert set(statuses) <= {200, 409}, statuses
    [(user_id,)] = query(server, f"SELECT user_id FROM chats WHERE {same_id('id', chat_id)}")
    [(charged,)] = query(server, f"SELECT count(*) FROM message_quota WHERE {same_id('user_id', user_id)}")
    [(questions,)] = query(server, f"SELECT count(*) FROM messages WHERE {same_id('chat_id', chat_id)} AND role = 'user'")
    assert int(charged) == int(questions), f"{charged} messages charged for {questions} questions; statuses {sorted(statuses)}"


def register(server, email):
    guest = server.guest()
    return guest.request("POST", "/api/auth/register", body={"email": email, "password": "long enough password"})


def test_registrations_are_limited_per_address_and_a_taken_email_is_not_confirmed(server):
    email = f"taken-{uuid.uuid4().hex[:8]}@example.com"
    first = register(server, email)
    assert first[0] == 200, first[2][:300]
    taken = register(server, email)
    assert taken[0] == 400
    assert not re.search(rb"exist|taken|already", taken[2], re.I), taken[2]
    third = register(server, f"new-{uuid.uuid4().hex[:8]}@example.com")
    assert third[0] == 200, third[2][:300]
    status, headers, body = register(server, f"more-{uuid.uuid4().hex[:8]}@example.com")
    assert status == 429, body[:300]
    assert int(headers["retry-after"]) > 0


def test_every_date_the_api_returns_has_a_zone(server):
    session = server.guest()
    status, _, chat_id = session.ask(text="what time is it")
    assert status == 200
    status, _, history = session.request("GET", "/api/history")
    chats = json.loads(history)["chats"]
    view = session.messages(chat_id)
    dates = [chat[key] for chat in chats for key in ("createdAt", "updatedAt")]
    dates += [view["chat"]["createdAt"]] + [message["createdAt"] for message in view["messages"]]
    status, _, health = server.request("GET", "/api/health")
    dates.append(json.loads(health)["timestamp"])
    assert len(dates) >= 6
    for date in dates:
        assert date.endswith("Z"), date
    assert all(RFC3339_UTC.match(date) for date in dates[:-1]), dates
