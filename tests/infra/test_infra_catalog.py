"""One model list: catalog/models.json, read by the app, by Terraform and by these tests.

The drift checks: the catalog is well formed; Terraform's IAM policy is built
from that file and from nothing written in Terraform; the app's built-in
catalog is that file (once the app reads it); the guide's table is the file
(test_infra_docs). The policy itself is evaluated against the catalog in
test_infra_terraform_eval (test_bedrock_policy_covers_the_catalog_as_it_routes).
"""

from __future__ import annotations

import json
import re

import pytest

import infra_contract as contract
from infra_helpers import INFRA, MODULE, REPO, module_locals, module_variables

SOURCES = REPO / "Sources"
# A Bedrock model or inference profile id, e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0.
MODEL_ID = re.compile(r"^((global|us-gov|us|eu|apac|jp|au|ca)\.)?[a-z0-9-]+\.[a-z0-9.-]+(:[0-9]+)?$")
ID_LITERAL = re.compile(r'"((?:(?:global|us-gov|us|eu|apac|jp|au|ca)\.)?(?:anthropic|amazon|meta|mistral|cohere|deepseek|openai|qwen|ai21|writer)\.[a-z0-9.-]+(?::[0-9]+)?)"')


def test_catalog_is_well_formed():
    entries = contract.catalog_entries()
    assert entries, "the catalog lists no model"
    ids = [entry.get("id") for entry in entries]
    assert all(isinstance(i, str) and MODEL_ID.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids), "duplicate ids"


def test_terraform_reads_the_catalog_file():
    locals_ = module_locals()
    path = str(locals_["model_catalog_path"])
    assert "${path.module}/../../../catalog/models.json" in path
    # That relative path, from the module folder, is this file.
    resolved = (MODULE / "../../../catalog/models.json").resolve()
    assert resolved == contract.CATALOG_FILE.resolve()
    assert "var.bedrock_model_ids" in str(locals_["bedrock_model_ids"]) and "local.catalog_model_ids" in str(locals_["bedrock_model_ids"])
    assert module_variables()["bedrock_model_ids"].get("default") is None, "no second list in Terraform"


def test_no_model_list_is_written_in_terraform():
    for tf in INFRA.rglob("*.tf"):
        literals = ID_LITERAL.findall(tf.read_text(encoding="utf-8"))
        assert not literals, f"{tf.relative_to(REPO)} names models itself: {literals}"


def _app_reads_the_catalog() -> bool:
    """True once the app's built-in catalog comes from catalog/models.json (the models branch)."""
    for path in list(SOURCES.rglob("*.swift")) + [REPO / "Package.swift"]:
        if "models.json" in path.read_text(encoding="utf-8"):
            return True
    return any(SOURCES.rglob("models.json"))


def test_the_apps_built_in_catalog_is_the_same_file():
    if not _app_reads_the_catalog():
        pytest.skip("the app's built-in catalog does not read catalog/models.json yet (the models branch makes it data)")
    # The ids, and the foundation models behind the inference profiles (the generated Swift catalog carries both).
    catalog_ids = set(contract.CATALOG_MODEL_IDS) | {e["foundationModel"] for e in contract.catalog_entries() if e.get("foundationModel")}
    # A copy bundled as a resource must be the same list.
    for copy in SOURCES.rglob("models.json"):
        data = json.loads(copy.read_text(encoding="utf-8"))
        entries = data["models"] if isinstance(data, dict) else data
        assert [e["id"] for e in entries] == contract.CATALOG_MODEL_IDS, f"{copy.relative_to(REPO)} differs from catalog/models.json"
    # Swift may name a model (a fallback default) but only one the catalog, and so the roles, have.
    for swift in SOURCES.rglob("*.swift"):
        for literal in ID_LITERAL.findall(swift.read_text(encoding="utf-8")):
            assert literal in catalog_ids, f"{swift.relative_to(REPO)} names {literal}, which is not in catalog/models.json"


def test_the_drift_check_notices_a_difference(tmp_path):
    """The literal scan is not a rubber stamp."""
    sample = tmp_path / "Sample.swift"
    sample.write_text('let m = "us.anthropic.claude-sonnet-4-20250514-v1:0"\nlet n = "amazon.nova-lite-v1:0"\n', encoding="utf-8")
    assert ID_LITERAL.findall(sample.read_text(encoding="utf-8")) == ["us.anthropic.claude-sonnet-4-20250514-v1:0", "amazon.nova-lite-v1:0"]
