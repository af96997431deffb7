"""Uploads and downloads through the real server, once per file store (database, S3 on moto): the same suite."""

import base64
import http.cookiejar
import json
import urllib.error
import urllib.request
import uuid

import pytest

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + bytes(range(256))
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


class Client:
    def __init__(self, base, guest=True):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        if guest:
            self.opener.open(f"{base}/api/auth/guest?redirectUrl=/", timeout=30).read()

    def request(self, method, path, body=None, headers=None):
        headers = {"Origin": self.base, **(headers or {})}
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def upload(self, chat_id, name, data, declared="application/octet-stream"):
        boundary = "----chatbot" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: {declared}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        status, _, raw = self.request("POST", f"/api/files/upload?chatId={chat_id}", body,
                                      {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return status, json.loads(raw) if raw else None

    def send(self, chat_id, parts, model="global.amazon.nova-2-lite-v1:0"):
        body = {"id": chat_id, "message": {"id": str(uuid.uuid4()), "role": "user", "parts": parts},
                "selectedChatModel": model, "selectedVisibilityType": "private"}
        return self.request("POST", "/api/chat", json.dumps(body).encode(), {"Content-Type": "application/json"})


def test_an_image_comes_back_byte_for_byte_with_safe_headers(stack):
    client = Client(stack.base)
    status, file = client.upload(uuid.uuid4(), "shot.png", PNG, declared="text/html")
    assert status == 201, file
    assert file["mediaType"] == "image/png" and file["size"] == len(PNG) and file["url"] == f"/api/files/{file['id']}"
    status, headers, body = client.request("GET", file["url"])
    assert status == 200 and body == PNG
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in headers["Content-Security-Policy"]


def test_a_document_is_served_as_an_attachment(stack):
    client = Client(stack.base)
    status, file = client.upload(uuid.uuid4(), "report.pdf", PDF)
    assert status == 201, file
    status, headers, body = client.request("GET", file["url"])
    assert status == 200 and body == PDF
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;")


def test_text_is_accepted_by_content_and_extension(stack):
    client = Client(stack.base)
    status, file = client.upload(uuid.uuid4(), "data.csv", "name,größe\na,1\n".encode())
    assert status == 201 and file["mediaType"] == "text/csv", file
    _, headers, _ = client.request("GET", file["url"])
    assert headers["Content-Type"] == "text/csv; charset=utf-8"


def test_markup_and_mislabelled_files_are_refused_by_content(stack):
    client = Client(stack.base)
    chat = uuid.uuid4()
    for name, data in [("cat.png", SVG), ("cat.png", HTML), ("notes.txt", HTML), ("page.html", HTML), ("a.svg", SVG),
                       ("x.png", b"\x00\x01binary junk"), ("archive.zip", b"PK\x03\x04rest"), ("fake.png", b"GIF8 not quite")]:
        status, error = client.upload(chat, name, data, declared="image/png")
        assert status == 400, (name, status, error)
        assert error["code"] == "bad_request:files" and name in error["message"], error


def test_size_and_count_limits_are_refused_clearly(stack):
    client = Client(stack.base)
    chat = uuid.uuid4()
    big = PNG + b"\x00" * 300_001
    status, error = client.upload(chat, "big.png", big)
    assert status == 413 and "0.3 MB" in error["message"], error
    status, error = client.upload(chat, "empty.txt", b"")
    assert status == 400 and "empty" in error["message"], error
    for index in range(4):
        assert client.upload(chat, f"n{index}.txt", b"hello")[0] == 201
    status, error = client.upload(chat, "fifth.txt", b"hello")
    assert status == 400 and "at most 4 files" in error["message"], error


def test_uploads_need_a_session_and_multipart(stack):
    anonymous = Client(stack.base, guest=False)
    status, error = anonymous.upload(uuid.uuid4(), "a.png", PNG)
    assert status == 401, error
    client = Client(stack.base)
    status, _, raw = client.request("POST", f"/api/files/upload?chatId={uuid.uuid4()}", b"{}", {"Content-Type": "application/json"})
    assert status == 400 and "multipart/form-data" in json.loads(raw)["message"], raw


def test_another_users_file_and_chat_are_not_found(stack):
    alice, bob = Client(stack.base), Client(stack.base)
    chat = str(uuid.uuid4())
    status, file = alice.upload(chat, "a.png", PNG)
    assert status == 201
    assert bob.request("GET", file["url"])[0] == 404
    assert Client(stack.base, guest=False).request("GET", file["url"])[0] == 404
    # Once Alice's chat exists, Bob cannot upload into it.
    status, _, _ = alice.send(chat, [{"type": "text", "text": "hello"}])
    assert status == 200
    status, error = bob.upload(chat, "b.png", PNG)
    assert status == 404, error
    # Nor can he send a message pointing at her file.
    status, _, _ = bob.send(str(uuid.uuid4()), [{"type": "text", "text": "look"}, {"type": "file", "url": file["url"],
                                                                                     "mediaType": "image/png"}])
    assert status == 404


def test_deleting_a_chat_deletes_its_files(stack):
    client = Client(stack.base)
    chat = str(uuid.uuid4())
    status, file = client.upload(chat, "a.png", PNG)
    assert status == 201
    before = stack.moto.keys() if stack.store == "s3" else []
    status, _, _ = client.send(chat, [{"type": "text", "text": "what is this?"},
                                      {"type": "file", "url": file["url"], "mediaType": "image/png", "filename": "a.png"}])
    assert status == 200
    assert client.request("DELETE", f"/api/chat/{chat}")[0] == 200
    assert client.request("GET", file["url"])[0] == 404
    if stack.store == "s3":
        after = stack.moto.keys()
        assert len(after) == len(before) - 1, (before, after)


def test_deleting_all_history_deletes_every_file_of_it_at_once(stack):
    """Sent and unsent files of every deleted chat go with "delete all history" (not a day later with the sweep),
    from either store; a pending upload for a chat not yet created is the user's draft and stays."""
    client = Client(stack.base)
    first, second, draft = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    before = set(stack.moto.keys()) if stack.store == "s3" else set()
    status, sent = client.upload(first, "a.png", PNG)
    assert status == 201
    status, _, _ = client.send(first, [{"type": "text", "text": "what is this?"},
                                       {"type": "file", "url": sent["url"], "mediaType": "image/png", "filename": "a.png"}])
    assert status == 200
    status, _, _ = client.send(second, [{"type": "text", "text": "hello"}])
    assert status == 200
    status, unsent = client.upload(second, "b.pdf", PDF)
    assert status == 201
    status, kept = client.upload(draft, "c.png", PNG)
    assert status == 201
    assert client.request("DELETE", "/api/history")[0] == 200
    assert client.request("GET", sent["url"])[0] == 404
    assert client.request("GET", unsent["url"])[0] == 404
    assert client.request("GET", kept["url"])[0] == 200
    if stack.store == "s3":
        assert len(set(stack.moto.keys()) - before) == 1


@pytest.mark.parametrize("stack", ["s3"], indirect=True)
def test_s3_objects_are_encrypted_under_unguessable_keys(stack):
    client = Client(stack.base)
    before = set(stack.moto.keys())
    status, file = client.upload(uuid.uuid4(), "secret-name.png", PNG)
    assert status == 201
    [key] = set(stack.moto.keys()) - before
    assert file["id"] not in key and "secret" not in key and len(key) >= 64, key
    head = stack.moto.s3.head_object(Bucket="chatbot-files-test", Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert stack.moto.s3.get_object(Bucket="chatbot-files-test", Key=key)["Body"].read() == PNG


@pytest.mark.parametrize("stack", ["s3"], indirect=True)
def test_moto_checks_signatures_so_the_s3_tests_can_fail(stack):
    """moto refuses a request signed with the wrong secret: the app's uploads pass because its SigV4 is right."""
    import botocore.exceptions
    wrong = stack.moto.client("s3", stack.moto.key_id, stack.moto.secret[:-1] + "x")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        wrong.put_object(Bucket="chatbot-files-test", Key="files/forged", Body=b"x")
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def png_of(width, height):
    """A valid PNG header claiming width×height (the pixels never get decoded)."""
    import struct
    import zlib
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk)) + PNG[33:]


def test_an_image_over_8000_pixels_is_refused_with_its_size(stack):
    client = Client(stack.base)
    status, body = client.upload(uuid.uuid4(), "panorama.png", png_of(8001, 600))
    assert status == 400, body
    assert "panorama.png is 8001×600 pixels" in body["message"] and "8000×8000" in body["message"], body
    assert client.upload(uuid.uuid4(), "big.png", png_of(8000, 8000))[0] == 201


def test_the_upload_allowance_refuses_with_429_and_retry_after(limited_stack):
    client = Client(limited_stack.base)
    for _ in range(3):
        status, body = client.upload(uuid.uuid4(), "a.png", PNG)
        assert status == 201, body
    # A refused upload does not count; the fourth accepted one would be over.
    assert client.upload(uuid.uuid4(), "x.png", SVG)[0] == 400
    boundary = "b" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.png\"\r\n\r\n").encode() + PNG + f"\r\n--{boundary}--\r\n".encode()
    status, headers, raw = client.request("POST", f"/api/files/upload?chatId={uuid.uuid4()}", body,
                                          {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 429, raw
    refusal = json.loads(raw)
    assert refusal["code"] == "rate_limit:files" and "3 files" in refusal["message"] and "Try again in" in refusal["message"], refusal
    assert 3500 <= int(headers["Retry-After"]) <= 3600
    # Someone else has an allowance of their own, in bytes too.
    other = Client(limited_stack.base)
    assert other.upload(uuid.uuid4(), "c.txt", b"x" * 500)[0] == 201
    assert other.upload(uuid.uuid4(), "d.txt", b"x" * 200)[0] == 429
