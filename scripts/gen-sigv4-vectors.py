#!/usr/bin/env python3
"""Regenerates Tests/BedrockTests/Vectors/sigv4.json with botocore's SigV4 signer.

The Swift signer is checked against these vectors, so botocore (not our own code)
is the reference. Run from the repository root: python3 scripts/gen-sigv4-vectors.py
"""
import json
import os

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "EXAMPLE-SESSION-TOKEN"
BODY = '{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'


def sign(name, method, url, headers, body, region, service, amz_date, token=None):
    """Signs one request at a fixed time and records every stage."""
    request = AWSRequest(method=method, url=url, data=body.encode() if body else None, headers=dict(headers))
    signer = botocore.auth.SigV4Auth(Credentials(AKID, SECRET, token), service, region)
    # The steps of SigV4Auth.add_auth, with the clock pinned, so each stage can be recorded
    # before the Authorization header joins the request.
    request.context["timestamp"] = amz_date
    signer._modify_request_before_signing(request)
    canonical = signer.canonical_request(request)
    to_sign = signer.string_to_sign(request, canonical)
    signature = signer.signature(to_sign, request)
    signer._inject_signature_to_request(request, signature)
    return {
        "name": name,
        "method": method,
        "url": url,
        "headers": headers,
        "body": body,
        "region": region,
        "service": service,
        "amzDate": amz_date,
        "accessKeyId": AKID,
        "secretAccessKey": SECRET,
        "sessionToken": token,
        "canonicalRequest": canonical,
        "stringToSign": to_sign,
        "signature": signature,
        "authorization": request.headers["Authorization"],
    }


def bedrock_url(model_id, operation, region="us-east-1"):
    """Builds the wire URL the way botocore's rest-json serializer renders the label."""
    return f"https://bedrock-runtime.{region}.amazonaws.com/model/{percent_encode(model_id)}/{operation}"


def main():
    json_headers = {"Content-Type": "application/json"}
    vectors = [
        # AWS's published suite: the generic algorithm.
        sign("get-vanilla", "GET", "https://example.amazonaws.com/", {}, "", "us-east-1", "service", "20150830T123600Z"),
        sign("post-vanilla", "POST", "https://example.amazonaws.com/", {}, "", "us-east-1", "service", "20150830T123600Z"),
        # BEDROCK-WIRE.md section 6 worked example.
        sign("wire-doc-example", "POST", bedrock_url("us.anthropic.claude-3-5-haiku-20241022-v1:0", "converse"),
             json_headers, BODY, "us-east-1", "bedrock", "20250101T000000Z", TOKEN),
    ]
    models = [
        ("amazon.nova-lite-v1:0", "us-east-1"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-west-2"),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1"),
        ("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0", "eu-west-1"),
    ]
    for index, (model, region) in enumerate(models):
        for operation in ("converse", "converse-stream"):
            for token in (None, TOKEN):
                name = f"{model}|{operation}|{'token' if token else 'no-token'}"
                date = f"2025{index + 2:02d}1{index}T0{index}3456Z"
                vectors.append(sign(name, "POST", bedrock_url(model, operation, region), json_headers,
                                    BODY, region, "bedrock", date, token))
    expected = {"get-vanilla": "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                "post-vanilla": "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
                "wire-doc-example": "feb372d845f80dfa76595a4c02dc27515ac1e16498333f3033ac8433554fb1f7"}
    for vector in vectors:
        if vector["name"] in expected:
            assert vector["signature"] == expected[vector["name"]], vector["name"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Tests", "BedrockTests", "Vectors", "sigv4.json")
    with open(path, "w") as out:
        json.dump({"generator": f"botocore {botocore.__version__}", "vectors": vectors}, out, indent=1, ensure_ascii=False)
        out.write("\n")
    print(f"wrote {len(vectors)} vectors to {path}")


if __name__ == "__main__":
    main()
