"""openapi_subset.json is what derive.py makes of GitHub's description, and fit for Draft 7."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator

from tests.fakegithub import derive, make_events, spec


def test_rederiving_gives_the_committed_file(corpus: Path) -> None:
    source = corpus / "github" / "openapi" / "api.github.com.json"
    assert derive.derive(source) == derive.OUTPUT.read_text(encoding="utf-8"), (
        "openapi_subset.json is stale: run python tests/fakegithub/derive.py"
    )


def test_the_subset_names_its_source_and_holds_the_contract_s_endpoints() -> None:
    subset = json.loads(derive.OUTPUT.read_text(encoding="utf-8"))
    assert subset["source"]["version"] == "23.0.2"
    assert len(subset["source"]["tarball_sha256"]) == 64
    served = [(e["method"], e["path"]) for e in subset["endpoints"]]
    assert served == derive.ENDPOINTS


def test_every_derived_schema_is_draft_7_without_openapi_leftovers() -> None:
    for endpoint in spec.endpoints():
        schemas = [endpoint.body_schema, endpoint.response_schema]
        schemas += [p["schema"] for p in {**endpoint.path_params, **endpoint.query_params}.values()]
        for schema in filter(None, schemas):
            Draft7Validator.check_schema(schema)
            text = json.dumps(schema)
            assert '"nullable"' not in text and '"$ref"' not in text, endpoint.template


def test_github_s_limits_are_in_the_schemas() -> None:
    create = next(e for e in spec.endpoints() if e.operation_id == "checks/create").body_schema
    assert create is not None
    output = create["properties"]["output"]["properties"]
    assert output["summary"]["maxLength"] == output["text"]["maxLength"] == 65535
    assert output["annotations"]["maxItems"] == 50
    status = next(e for e in spec.endpoints() if e.operation_id == "repos/create-commit-status")
    assert status.body_schema is not None
    assert status.body_schema["properties"]["target_url"]["type"] == ["string", "null"]


def test_the_event_payloads_are_the_corpus_s(corpus: Path) -> None:
    for name, raw in make_events.render().items():
        assert (make_events.EVENTS / name).read_bytes() == raw, (
            f"events/{name} is stale: run python tests/fakegithub/make_events.py"
        )
