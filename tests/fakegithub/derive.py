"""Derive the fake GitHub's schemas from GitHub's own REST description.

Reads tests/corpus/github/openapi/api.github.com.json (OpenAPI 3.0.3) and writes
openapi_subset.json beside this file: for each endpoint gatekeeper may call, its path and
query parameters, its request body schema and the schema and example of its success
response, every `$ref` inlined and OpenAPI 3.0's dialect turned into JSON Schema Draft 7
(`nullable` becomes a type list), so that `jsonschema.Draft7Validator` can check requests.
The tests run from the derived file; the corpus is needed only to re-derive it.

    python tests/fakegithub/derive.py [--check]   # --check: exit 1 if the file is stale
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS_FILE = HERE.parent / "corpus" / "github" / "openapi" / "api.github.com.json"
OUTPUT = HERE / "openapi_subset.json"

# From ../shared/corpus/github/SOURCES.md: where the description came from.
SOURCE = {
    "package": "@octokit/openapi (npm)",
    "version": "23.0.2",
    "license": "MIT (Copyright (c) 2020 Octokit contributors)",
    "tarball": "octokit-openapi-23.0.2.tgz",
    "tarball_sha256": "71a18407dd5e8464f4e0525daf03deabbe65abd9287d6adc7b5d98f516cd0d0c",
    "file": "generated/api.github.com.json",
    "file_sha256": "829b4bebb19a53133289f7b0bc819f4f1118115821db2ca9f25e9ee995a7da2a",
}

# The endpoints of the issue-4 contract, and issue 5's artifact download, phase tags
# (``promote`` in GitHub mode), pull request facts (labels, branch, changed files) and the
# deletion of a failed phase tag, and the release of a tag and a commit's statuses (a
# creation is looked for before it is repeated), a commit's history (the merge base's
# ancestors, issue 15), a sign-off's record, pull request, reviews and team memberships
# (issue 16), the git database a history file is appended through and read from (a branch's
# ref, commits, trees and blobs; issue 17), and nothing else: a request to any other is a 404.
ENDPOINTS = [
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs"),
    ("POST", "/repos/{owner}/{repo}/check-runs"),
    ("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}"),
    ("POST", "/repos/{owner}/{repo}/statuses/{sha}"),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/statuses"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("GET", "/user"),
    ("GET", "/repos/{owner}/{repo}"),
    ("GET", "/repos/{owner}/{repo}/actions/runs"),
    ("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}"),
    ("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"),
    ("GET", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"),
    ("GET", "/repos/{owner}/{repo}/git/matching-refs/{ref}"),
    ("GET", "/repos/{owner}/{repo}/git/tags/{tag_sha}"),
    ("GET", "/repos/{owner}/{repo}/compare/{basehead}"),
    ("GET", "/repos/{owner}/{repo}/commits"),
    ("POST", "/repos/{owner}/{repo}/git/tags"),
    ("POST", "/repos/{owner}/{repo}/git/refs"),
    ("POST", "/repos/{owner}/{repo}/releases"),
    ("GET", "/repos/{owner}/{repo}/releases/tags/{tag}"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files"),
    ("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("GET", "/repos/{owner}/{repo}/contents/{path}"),
    ("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    ("GET", "/orgs/{org}/teams/{team_slug}"),
    ("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}"),
    ("GET", "/repos/{owner}/{repo}/git/ref/{ref}"),
    ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}"),
    ("POST", "/repos/{owner}/{repo}/git/commits"),
    ("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}"),
    ("POST", "/repos/{owner}/{repo}/git/trees"),
    ("GET", "/repos/{owner}/{repo}/git/blobs/{file_sha}"),
    ("POST", "/repos/{owner}/{repo}/git/blobs"),
]

# Rules GitHub states in the description's prose rather than in the schema; each is added
# to the derived schema so the fake enforces what the documentation promises.
_COMPLETED_NEEDS_CONCLUSION = {
    "anyOf": [
        {"properties": {"status": {"enum": ["completed"]}}, "required": ["conclusion"]},
        {"properties": {"status": {"enum": ["queued", "in_progress"]}}},
        {"not": {"required": ["status"]}},
    ]
}
TIGHTENED = [
    {
        "endpoint": "POST /repos/{owner}/{repo}/check-runs",
        "rule": "status `completed` requires `conclusion`",
        "why": "`conclusion` is documented as 'Required if you provide completed_at or a "
        "status of completed'; the PATCH schema already says so with anyOf",
    },
    {
        "endpoint": "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
        "rule": "`output.title` is required when `output` is given",
        "why": "its description is '**Required**.' (the schema lists only `summary`)",
    },
]

_DROPPED = {"description", "example", "examples", "discriminator", "xml", "externalDocs"}
_DROPPED |= {"deprecated", "readOnly", "writeOnly"}
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_ONE = ("items", "additionalProperties", "not")


def _deref(doc: dict[str, Any], node: Any) -> Any:
    """Follow in-document `$ref`s until a node without one."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            raise ValueError(f"cannot resolve {ref!r}")
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def to_draft7(doc: dict[str, Any], schema: Any, depth: int = 0) -> Any:
    """An OpenAPI 3.0 schema object as a self-contained JSON Schema Draft 7 schema."""
    if depth > 60:
        raise ValueError("recursive schema: cannot inline")
    if isinstance(schema, bool):
        return schema
    schema = _deref(doc, schema)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROPPED or key.startswith("x-") or key in ("nullable", "title"):
            continue
        if key in _SCHEMA_MAPS:
            out[key] = {name: to_draft7(doc, sub, depth + 1) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [to_draft7(doc, sub, depth + 1) for sub in value]
        elif key in _SCHEMA_ONE:
            out[key] = to_draft7(doc, value, depth + 1)
        else:
            out[key] = value
    if schema.get("nullable") is True:
        out = _nullable(out)
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    schema = {**schema, "type": [*types, "null"]}
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _parameters(doc: dict[str, Any], path_item: dict[str, Any], op: dict[str, Any]) -> Any:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*path_item.get("parameters", []), *op.get("parameters", [])]:
        param = _deref(doc, raw)
        found[(param["in"], param["name"])] = param  # the operation's own wins
    result: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
    for (where, name), param in found.items():
        if where in result:
            result[where][name] = {
                "required": bool(param.get("required", False)),
                "multi_segment": bool(param.get("x-multi-segment", False)),
                "schema": to_draft7(doc, param.get("schema", {})),
            }
    return result


def _first_example(doc: dict[str, Any], media: dict[str, Any]) -> Any:
    if "example" in media:
        return media["example"]
    for example in media.get("examples", {}).values():
        return _deref(doc, example).get("value")
    return None


def derive_endpoint(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    path_item = doc["paths"][path]
    op = path_item[method.lower()]
    body = None
    if "requestBody" in op:
        body = to_draft7(
            doc, _deref(doc, op["requestBody"])["content"]["application/json"]["schema"]
        )
    # the download answers 302 (to a storage URL), never 2xx
    status = min(int(code) for code in op["responses"] if code[0] in "23")
    response = _deref(doc, op["responses"][str(status)])
    media = response.get("content", {}).get("application/json", {})
    return {
        "method": method,
        "path": path,
        "operation_id": op["operationId"],
        "docs": op.get("externalDocs", {}).get("url", ""),
        "parameters": _parameters(doc, path_item, op),
        "request_body": body,
        "success_status": status,
        "response_schema": to_draft7(doc, media["schema"]) if media else None,
        "response_example": _first_example(doc, media) if media else None,
    }


def _tighten(endpoints: list[dict[str, Any]]) -> None:
    by_key = {f"{e['method']} {e['path']}": e for e in endpoints}
    create = by_key["POST /repos/{owner}/{repo}/check-runs"]["request_body"]
    create.setdefault("allOf", []).append(_COMPLETED_NEEDS_CONCLUSION)
    update = by_key["PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"]["request_body"]
    output = update["properties"]["output"]
    output["required"] = sorted({*output.get("required", []), "title"})


def derive(corpus_file: Path = CORPUS_FILE) -> str:
    """The text of openapi_subset.json as derived from `corpus_file`."""
    raw = corpus_file.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE["file_sha256"]:
        raise ValueError(f"{corpus_file}: sha256 {digest} is not the one SOURCES.md records")
    doc = json.loads(raw)
    endpoints = [derive_endpoint(doc, method, path) for method, path in ENDPOINTS]
    _tighten(endpoints)
    subset = {
        "about": "Derived by tests/fakegithub/derive.py; do not edit by hand.",
        "source": {**SOURCE, "openapi": doc["openapi"], "info_version": doc["info"]["version"]},
        "tightened": TIGHTENED,
        "endpoints": endpoints,
    }
    return json.dumps(subset, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = derive()
    if "--check" in argv:
        stale = not OUTPUT.is_file() or OUTPUT.read_text(encoding="utf-8") != text
        print(f"{OUTPUT.name}: {'stale' if stale else 'up to date'}")
        return int(stale)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text):,} characters, {len(ENDPOINTS)} endpoints)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
