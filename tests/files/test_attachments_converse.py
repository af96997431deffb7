"""A message with an image and a PDF reaches the fake Bedrock as Converse image and document blocks, bytes intact and
valid for botocore; the chat shows the attachments after a reload; a model that cannot read them refuses first."""

import base64
import json
import uuid

from test_converse_requests_with_botocore import validate
from test_files import PDF, PNG, Client


def converse_bodies(stack):
    with stack.proxy.lock:
        return [(path, body) for path, body in stack.proxy.records if "/converse" in path]


def test_image_and_pdf_become_converse_blocks_with_their_bytes(stack):
    client = Client(stack.base)
    chat = str(uuid.uuid4())
    _, image = client.upload(chat, "screen shot.png", PNG)
    _, pdf = client.upload(chat, "Q3 report.final.pdf", PDF)
    before = len(converse_bodies(stack))
    status, _, stream = client.send(chat, [
        {"type": "text", "text": "What do these show?"},
        {"type": "file", "url": image["url"], "mediaType": "image/png", "filename": "screen shot.png"},
        {"type": "file", "url": pdf["url"], "mediaType": "application/pdf", "filename": "Q3 report.final.pdf"},
    ])
    assert status == 200, stream
    assert b"[DONE]" in stream
    # The answer's request carries the attachments; the title's request carries the text alone.
    recorded = converse_bodies(stack)[before:]
    answers = [(path, body) for path, body in recorded if len(json.loads(body)["messages"][0]["content"]) > 1]
    assert len(answers) == 1, recorded
    assert len(recorded) == 2, "one answer and one title"
    path, body = answers[0]
    assert validate(path, body) == ""
    content = json.loads(body)["messages"][0]["content"]
    assert [list(block) for block in content] == [["text"], ["image"], ["document"]]
    assert content[1]["image"]["format"] == "png"
    assert base64.b64decode(content[1]["image"]["source"]["bytes"]) == PNG
    assert content[2]["document"]["format"] == "pdf"
    assert content[2]["document"]["name"] == "Q3 report final pdf"
    assert base64.b64decode(content[2]["document"]["source"]["bytes"]) == PDF

    # After a reload the message still carries both files, served from their URLs.
    view = json.loads(client.request("GET", f"/api/chat/{chat}/messages")[2])
    files = [part for part in view["messages"][0]["parts"] if part["type"] == "file"]
    assert [(part["url"], part["mediaType"], part["filename"]) for part in files] == [
        (image["url"], "image/png", "screen shot.png"), (pdf["url"], "application/pdf", "Q3 report.final.pdf")]
    assert client.request("GET", image["url"])[2] == PNG


def test_a_model_without_vision_refuses_before_anything_is_charged(stack, text_only_model):
    client = Client(stack.base)
    chat = str(uuid.uuid4())
    _, image = client.upload(chat, "a.png", PNG)
    before = len(converse_bodies(stack))
    status, _, raw = client.send(chat, [{"type": "text", "text": "see"},
                                        {"type": "file", "url": image["url"], "mediaType": "image/png"}], model=text_only_model)
    assert status == 400, raw
    error = json.loads(raw)
    assert "Text Only cannot read images" in error["message"] and "Claude" in error["message"], error
    assert len(converse_bodies(stack)) == before
    # Nothing was stored: the chat does not exist.
    assert client.request("GET", f"/api/chat/{chat}/messages")[0] == 404
    _, pdf = client.upload(chat, "a.pdf", PDF)
    status, _, raw = client.send(chat, [{"type": "text", "text": "read"},
                                        {"type": "file", "url": pdf["url"], "mediaType": "application/pdf"}], model=text_only_model)
    assert status == 400 and "cannot read documents" in json.loads(raw)["message"], raw
