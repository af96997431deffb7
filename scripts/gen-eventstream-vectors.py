#!/usr/bin/env python3
"""Regenerates Tests/BedrockTests/Vectors/eventstream.json: event-stream frames that botocore decodes.

Frames are assembled here byte by byte, then each is fed to botocore's EventStreamBuffer;
only what botocore accepts (and what it decodes them to) goes into the vectors. Corrupt
frames record the botocore exception name. Run from the repository root.
"""
import base64
import json
import os
import struct
import uuid
import zlib

import botocore
from botocore import eventstream


def header(name, type_code, value):
    """Encodes one header: name length, name, type, value."""
    raw = name.encode()
    out = struct.pack(">B", len(raw)) + raw + struct.pack(">B", type_code)
    if type_code in (0, 1):
        return out
    packers = {2: ">b", 3: ">h", 4: ">i", 5: ">q", 8: ">q"}
    if type_code in packers:
        return out + struct.pack(packers[type_code], value)
    if type_code == 6:
        return out + struct.pack(">H", len(value)) + value
    if type_code == 7:
        data = value.encode()
        return out + struct.pack(">H", len(data)) + data
    if type_code == 9:
        return out + value
    raise ValueError(type_code)


def frame(headers, payload):
    """Builds a whole message with both CRCs."""
    blob = b"".join(header(*h) for h in headers)
    total = 12 + len(blob) + len(payload) + 4
    prelude = struct.pack(">II", total, len(blob))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + blob + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def json_value(value):
    """How a decoded header value is written in the vector file."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    return value


def decode(data):
    """Decodes with botocore; returns messages or the exception's class name."""
    buffer = eventstream.EventStreamBuffer()
    buffer.add_data(data)
    try:
        return [{"headers": {k: json_value(v) for k, v in m.headers.items()},
                 "payload": base64.b64encode(m.payload).decode()} for m in buffer], None
    except Exception as error:  # botocore's own error types are the expected outcome here
        return None, type(error).__name__


def event(event_type, payload):
    return frame([(":event-type", 7, event_type), (":content-type", 7, "application/json"),
                  (":message-type", 7, "event")], json.dumps(payload, separators=(",", ":")).encode())


def main():
    the_uuid = uuid.UUID("0123abcd-4567-89ef-0123-456789abcdef").bytes
    all_types = frame([
        ("true", 0, None), ("false", 1, None), ("byte", 2, -7), ("short", 3, -1234),
        ("int", 4, 2_000_000_000), ("long", 5, -9_000_000_000_000), ("bytes", 6, b"\x00\x01\xfe\xff"),
        ("string", 7, "héllo wörld"), ("timestamp", 8, 1_735_689_600_123), ("uuid", 9, the_uuid),
    ], b'{"hello":"world"}')
    cases = {
        "all-header-types": all_types,
        "empty": frame([], b""),
        "message-start": event("messageStart", {"p": "abcdefghijkl", "role": "assistant"}),
        "text-delta": event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hi ✓"}, "p": "abcdefghijklmnopqrstuvwxyzABCDEFGH"}),
        "exception": frame([(":exception-type", 7, "modelStreamErrorException"), (":content-type", 7, "application/json"),
                            (":message-type", 7, "exception")], b'{"message":"The model failed."}'),
        "error": frame([(":error-code", 7, "InternalFailure"), (":error-message", 7, "boom"), (":message-type", 7, "error")], b""),
        "metadata": event("metadata", {"usage": {"inputTokens": 3, "outputTokens": 5, "totalTokens": 8, "cacheReadInputTokens": 2,
                                                 "cacheWriteInputTokens": 1}, "metrics": {"latencyMs": 42}, "p": "abc"}),
    }
    vectors = []
    for name, data in cases.items():
        messages, error = decode(data)
        assert error is None, (name, error)
        vectors.append({"name": name, "bytes": base64.b64encode(data).decode(), "messages": messages})
    good = cases["message-start"]
    corrupt = {
        "prelude-crc-mismatch": good[:8] + bytes([good[8] ^ 0xFF]) + good[9:],
        "message-crc-mismatch": good[:-1] + bytes([good[-1] ^ 0x01]),
        "payload-bit-flip": good[:20] + bytes([good[20] ^ 0x10]) + good[21:],
        "duplicate-header": frame([("a", 7, "x"), ("a", 7, "y")], b""),
    }
    for name, data in corrupt.items():
        messages, error = decode(data)
        assert error is not None, name
        vectors.append({"name": name, "bytes": base64.b64encode(data).decode(), "botocoreError": error})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Tests", "BedrockTests", "Vectors", "eventstream.json")
    with open(path, "w") as out:
        json.dump({"generator": f"botocore {botocore.__version__}", "vectors": vectors}, out, indent=1, ensure_ascii=False)
        out.write("\n")
    print(f"wrote {len(vectors)} vectors to {path}")


if __name__ == "__main__":
    main()
