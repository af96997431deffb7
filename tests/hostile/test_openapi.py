"""The OpenAPI document describes exactly the /api routes the server has, and the server serves that document."""
import json
import re
from pathlib import Path

from conftest import REPO

DOCUMENT = REPO / "docs" / "openapi.json"
METHODS = ("get", "head", "post", "put", "patch", "delete")
# router.get("/api/x", …) / group.post("/api/x", …) / router.on("/api/x", method: .get …)
REGISTRATION = re.compile(r'\.(get|head|post|put|patch|delete)\(\s*"(/api/[^"]*)"')


def documented_operations():
    paths = json.loads(DOCUMENT.read_text())["paths"]
    return {(method.upper(), path) for path, item in paths.items() for method in item if method in METHODS}


def registered_operations():
    found = set()
    for source in (REPO / "Sources").rglob("*.swift"):
        for method, path in REGISTRATION.findall(source.read_text()):
            # Hummingbird writes parameters as {id}, as OpenAPI does.
            found.add((method.upper(), path))
    return found


def test_every_registered_api_route_is_documented_and_every_documented_route_is_registered():
    registered, documented = registered_operations(), documented_operations()
    assert registered, "no route registrations found in Sources/: has the registration style changed?"
    assert registered - documented == set(), "routes missing from docs/openapi.json"
    assert documented - registered == set(), "documented routes the server does not register"


def test_the_running_server_answers_every_documented_route_and_no_other(server):
    """Asks the live router: each documented operation reaches a handler (no 'no such endpoint' envelope)."""
    session = server.guest()
    for method, path in sorted(documented_operations()):
        concrete = path.replace("{id}", "00000000-0000-4000-8000-000000000000")
        status, _, body = session.request(method, concrete, body=b"{}" if method in ("POST", "PATCH") else None,
                                          headers={"Content-Type": "application/json"})
        assert status < 500, (method, path, status, body[:300])
        if path.startswith("/api/admin/"):
            # Administrators only: to a guest they answer exactly as a missing route does (AdminTests reach them as an admin).
            assert status == 404 and json.loads(body)["code"] == "not_found:api", (method, path, status, body[:300])
            continue
        if status == 404 and method != "HEAD":
            assert json.loads(body)["code"] != "not_found:api", f"{method} {path} is documented but not routed"
    status, _, body = session.request("GET", "/api/not-a-route")
    assert status == 404 and json.loads(body)["code"] == "not_found:api"


def test_the_served_document_is_docs_openapi_json(server):
    status, headers, body = server.request("GET", "/api/openapi.json")
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body) == json.loads(DOCUMENT.read_text()), "run scripts/embed-openapi and rebuild"


def test_the_embedded_swift_constant_is_generated_from_docs_openapi_json():
    swift = (REPO / "Sources" / "App" / "OpenAPIDocument.swift").read_text()
    embedded = swift.split('#"""\n', 1)[1].rsplit('\n"""#', 1)[0]
    assert json.loads(embedded) == json.loads(DOCUMENT.read_text()), "run scripts/embed-openapi"


def test_the_document_is_valid_openapi_3_1():
    import schemathesis

    document = json.loads(DOCUMENT.read_text())
    assert document["openapi"].startswith("3.1")
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()  # against the OpenAPI 3.1 meta-schema; raises with the offending path
    assert len(list(schema.get_all_operations())) == len(documented_operations())
