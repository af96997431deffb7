"""The real `chatbot serve` with each file store: the database (default) and S3, here moto's S3-compatible server
started by the tests. Both stacks talk to the fake Bedrock through a recording proxy, so a test can also check what
a message with attachments becomes on the wire."""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bedrock"))
from app_stack import CHATBOT_BIN, FAKE_BIN, RecordingProxy, free_port  # noqa: E402

BUCKET = "chatbot-files-test"
REGION = "us-east-1"
KEY_ID = "AKIDEXAMPLE"
TEXT_ONLY = "us.example.text-only-v1:0"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def wait_for(url, process, what, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            assert process.poll() is None, f"{what} exited: {process.stderr.read().decode() if process.stderr else ''}"
            assert time.monotonic() < deadline, f"{what} never answered"
            time.sleep(0.1)


class Moto:
    """moto in server mode: a real HTTP S3 endpoint in another process. With INITIAL_NO_AUTH_ACTION_COUNT set, moto
    checks every request's SigV4 signature (it recomputes it with botocore's S3SigV4Auth) and the IAM policy, so a
    wrongly signed request from the app fails. The first three actions make the user whose keys everyone uses."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "3"}
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(f"{self.url}/moto-api/", self.process, "moto")
        iam = self.client("iam", KEY_ID, SECRET)
        iam.create_user(UserName="chatbot")
        key = iam.create_access_key(UserName="chatbot")["AccessKey"]
        iam.put_user_policy(UserName="chatbot", PolicyName="files", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        self.key_id, self.secret = key["AccessKeyId"], key["SecretAccessKey"]
        self.s3 = self.client("s3", self.key_id, self.secret)
        self.s3.create_bucket(Bucket=BUCKET)

    def client(self, service, key_id, secret):
        import botocore.session
        session = botocore.session.get_session()
        return session.create_client(service, region_name=REGION, endpoint_url=self.url, aws_access_key_id=key_id,
                                     aws_secret_access_key=secret)

    def keys(self):
        return [item["Key"] for item in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Stack:
    def __init__(self, store, moto, extra_env=None):
        self.store = store
        self.moto = moto
        # Everyone signs with the moto user's keys: the fake Bedrock is told to accept them.
        self.fake = subprocess.Popen([FAKE_BIN, "--port", "0", "--access-key-id", moto.key_id, "--secret-access-key", moto.secret],
                                     stdout=subprocess.PIPE, text=True)
        fake_url = self.fake.stdout.readline().strip()
        self.proxy = RecordingProxy(fake_url)
        threading.Thread(target=self.proxy.serve_forever, daemon=True).start()
        # The built-in catalog plus a text-only model, to see attachments refused before anything is charged.
        catalog = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "catalog", "models.json")))
        catalog["models"].append({"id": TEXT_ONLY, "foundationModel": TEXT_ONLY, "name": "Text Only", "description": "no eyes",
                                  "provider": "bedrock", "reasoning": "none", "tools": False, "vision": False,
                                  "contextWindow": 8000, "maxOutputTokens": 1000})
        models_file = os.path.join(tempfile.mkdtemp(prefix="chatbot-files-catalog-"), "models.json")
        with open(models_file, "w") as out:
            json.dump(catalog, out)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {
            "PATH": os.environ["PATH"], "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning",
            "DATA_DIR": tempfile.mkdtemp(prefix=f"chatbot-files-{store}-"), "AUTH_URL": self.base,
            "MODEL_PROVIDER": "bedrock", "MODELS_FILE": models_file, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": self.proxy.url, "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": moto.key_id, "AWS_SECRET_ACCESS_KEY": moto.secret, "RATE_LIMIT_GUEST": "1000",
            # Small limits so refusals need small files.
            "UPLOAD_MAX_IMAGE_BYTES": "300000", "UPLOAD_MAX_DOCUMENT_BYTES": "400000", "UPLOAD_MAX_FILES_PER_MESSAGE": "4",
        }
        env.update(extra_env or {})
        if store == "s3":
            env.update({"S3_BUCKET": BUCKET, "S3_ENDPOINT": moto.url})
        self.server = subprocess.Popen([CHATBOT_BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(f"{self.base}/api/health", self.server, "chatbot")

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=10)
        self.proxy.shutdown()
        self.fake.terminate()
        self.fake.wait(timeout=10)


@pytest.fixture(scope="session")
def text_only_model():
    """The catalog's model without vision or documents. A fixture, not an import: run beside other suites,
    `from conftest import` finds whichever conftest was imported first."""
    return TEXT_ONLY


@pytest.fixture(scope="session")
def moto():
    m = Moto()
    yield m
    m.stop()


@pytest.fixture(scope="module")
def limited_stack(moto):
    """The database store with an upload allowance of three files or 600 bytes an hour."""
    if not (FAKE_BIN and CHATBOT_BIN):
        pytest.skip("set CHATBOT_BIN and FAKE_BEDROCK_BIN to the built executables (scripts/test does)")
    s = Stack("database", moto, {"UPLOAD_LIMIT_FILES_PER_HOUR": "3", "UPLOAD_LIMIT_BYTES_PER_HOUR": "600"})
    yield s
    s.stop()


@pytest.fixture(scope="module", params=["database", "s3"])
def stack(request, moto):
    if not (FAKE_BIN and CHATBOT_BIN):
        pytest.skip("set CHATBOT_BIN and FAKE_BEDROCK_BIN to the built executables (scripts/test does)")
    s = Stack(request.param, moto)
    yield s
    s.stop()
