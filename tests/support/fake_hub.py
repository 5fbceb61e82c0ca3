"""A local stand-in for the few Hub endpoints `training.outputs.hub` uses, so push/deploy are tested for real offline.

It speaks the HTTP that huggingface_hub 2.4 sends (read from its source: hf_api.create_repo,
_commit_api._fetch_upload_modes/_send_commit, lfs.post_lfs_batch_info/lfs_upload, add_space_variable)
and records everything it receives. Files the server marks "regular" arrive base64 inside the NDJSON
commit; files matching `lfs_patterns` go through the LFS batch API (basic transfer: one PUT), which is
what huggingface_hub does when hf_xet is disabled.

    with FakeHub(token="hf_test") as hub:       # hub.url -> HF_ENDPOINT
        ...
        hub.repos["model", "student/beans"].files["README.md"]  # bytes received
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import yaml

REPO = r"(?P<repo>[^/]+/[^/]+)"
PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
TOKEN = "hf_TestSecretToken0123456789"  # the one token a push test's FakeHub(token=TOKEN) accepts


@dataclass
class FakeRepo:
    repo_type: str
    repo_id: str
    private: bool = False
    sdk: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[dict[str, Any]] = field(default_factory=list)   # {"summary", "description", "paths"}
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    authorization: str | None
    body: bytes


class FakeHub:
    def __init__(self, token: str = "hf_fake_token", lfs_patterns: tuple[str, ...] = (), echo_auth: bool = False):
        self.token = token
        self.echo_auth = echo_auth  # a misbehaving endpoint: every API call fails, echoing the Authorization header
        self.lfs_patterns = lfs_patterns
        self.repos: dict[tuple[str, str], FakeRepo] = {}
        self.requests: list[Request] = []
        self.lfs_objects: dict[str, bytes] = {}   # sha256 -> bytes PUT by the client
        self.validated: list[dict[str, Any]] = []  # bodies of /api/validate-yaml (README metadata checks)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def repo(self, repo_type: str, repo_id: str) -> FakeRepo:
        return self.repos[repo_type, repo_id]

    def routes(self):
        """(method, regex, handler) — handlers take (match, json_or_bytes) and return (status, json)."""
        return [
            ("GET", r"/api/whoami-v2", self.whoami),
            ("POST", r"/api/repos/create", self.create_repo),
            ("POST", r"/api/validate-yaml", self.validate_yaml),
            ("POST", rf"/api/(?P<type>model|dataset|space)s/{REPO}/preupload/(?P<rev>[^/?]+)", self.preupload),
            ("POST", rf"/api/(?P<type>model|dataset|space)s/{REPO}/commit/(?P<rev>[^/?]+)", self.commit),
            ("POST", rf"/api/spaces/{REPO}/variables", self.add_variable),
            ("POST", rf"/(?P<prefix>datasets/|spaces/)?{REPO}\.git/info/lfs/objects/batch", self.lfs_batch),
            ("PUT", r"/lfs-upload/(?P<oid>[0-9a-f]{64})", self.lfs_put),
            ("POST", r"/lfs-verify/(?P<oid>[0-9a-f]{64})", self.lfs_verify),
        ]

    # --- endpoints -------------------------------------------------------------------------------
    def whoami(self, match, body):
        return 200, {"type": "user", "name": "student", "auth": {"accessToken": {"role": "write"}}}

    def create_repo(self, match, body):
        repo_type = body.get("type") or "model"
        repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else f"student/{body['name']}"
        url = f"{self.url}/{PREFIX[repo_type]}{repo_id}"
        if (repo_type, repo_id) in self.repos:
            return 409, {"error": "You already created this repo", "url": url}
        self.repos[repo_type, repo_id] = FakeRepo(
            repo_type, repo_id, private=body.get("visibility") == "private", sdk=body.get("sdk"),
            variables={v["key"]: {"value": v["value"]} for v in body.get("variables") or []},
        )
        return 200, {"url": url, "name": repo_id, "id": repo_id}

    def validate_yaml(self, match, body):
        """A few of the Hub's metadata checks: a YAML mapping, a well-formed model-index, a Space's sdk."""
        self.validated.append(body)
        errors = []
        try:
            parts = body["content"].split("---")
            metadata = yaml.safe_load(parts[1]) if body["content"].startswith("---") and len(parts) > 2 else {}
        except yaml.YAMLError as error:
            return 400, {"errors": [{"message": f"invalid YAML: {error}"}]}
        if not isinstance(metadata, dict):
            errors.append("metadata must be a mapping")
        elif body.get("repoType") == "space" and metadata.get("sdk") not in ("gradio", "docker", "static"):
            errors.append('"sdk" must be one of gradio, docker, static')
        else:
            for entry in metadata.get("model-index") or []:
                if not entry.get("name") or not all(r.get("task", {}).get("type") and r.get("dataset", {}).get("type")
                                                    and r.get("metrics") for r in entry.get("results", [])):
                    errors.append('"model-index" entries need a name and results with task, dataset, metrics')
        return (400, {"errors": [{"message": e} for e in errors]}) if errors else (200, {"errors": [], "warnings": []})

    def preupload(self, match, body):
        self.repo_or_404(match)
        return 200, {"files": [
            {"path": f["path"], "uploadMode": "lfs" if self.is_lfs(f["path"]) else "regular",
             "shouldIgnore": False, "oid": None}
            for f in body["files"]
        ]}

    def commit(self, match, raw: bytes):
        repo = self.repo_or_404(match)
        lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
        header = next(line["value"] for line in lines if line["key"] == "header")
        paths = []
        for line in lines:
            value = line["value"]
            if line["key"] == "file":
                repo.files[value["path"]] = base64.b64decode(value["content"])
            elif line["key"] == "lfsFile":
                if value["oid"] not in self.lfs_objects:
                    return 400, {"error": f"LFS object {value['oid']} was never uploaded"}
                repo.files[value["path"]] = self.lfs_objects[value["oid"]]
            elif line["key"] == "deletedFile":
                repo.files.pop(value["path"], None)
            else:
                continue
            paths.append(value["path"])
        oid = hashlib.sha1(raw).hexdigest()
        repo.commits.append({"summary": header["summary"], "description": header.get("description", ""),
                             "paths": paths})
        url = f"{self.url}/{PREFIX[repo.repo_type]}{repo.repo_id}/commit/{oid}"
        return 200, {"commitUrl": url, "commitOid": oid, "pullRequestUrl": None}

    def add_variable(self, match, body):
        repo = self.repo_or_404(match, repo_type="space")
        repo.variables[body["key"]] = {"value": body["value"], "description": body.get("description")}
        return 200, repo.variables

    def lfs_batch(self, match, body):
        self.repo_or_404(match, repo_type={"datasets/": "dataset", "spaces/": "space"}.get(match["prefix"], "model"))
        return 200, {"transfer": "basic", "objects": [
            {"oid": obj["oid"], "size": obj["size"], "authenticated": True, "actions": {
                "upload": {"href": f"{self.url}/lfs-upload/{obj['oid']}"},
                "verify": {"href": f"{self.url}/lfs-verify/{obj['oid']}"},
            }}
            for obj in body["objects"]
        ]}

    def lfs_put(self, match, raw: bytes):
        if hashlib.sha256(raw).hexdigest() != match["oid"]:
            return 400, {"error": "sha256 mismatch"}
        self.lfs_objects[match["oid"]] = raw
        return 200, {}

    def lfs_verify(self, match, body):
        return (200, {}) if match["oid"] in self.lfs_objects else (404, {"error": "not uploaded"})

    # --- helpers ---------------------------------------------------------------------------------
    def is_lfs(self, path: str) -> bool:
        return any(fnmatch.fnmatch(path, pattern) for pattern in self.lfs_patterns)

    def repo_or_404(self, match, repo_type: str | None = None) -> FakeRepo:
        key = (repo_type or match["type"], match["repo"])
        if key not in self.repos:
            raise LookupError(f"Repository not found: {key}")
        return self.repos[key]

    def _handler_class(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                with hub.lock:
                    hub.requests.append(Request(method, path, self.headers.get("Authorization"), raw))
                    status, payload, extra = self._dispatch(method, path, raw)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _dispatch(self, method, path, raw):
                lfs_action = path.startswith(("/lfs-upload/", "/lfs-verify/"))
                if hub.echo_auth and not lfs_action:
                    echoed = f"bad request: Authorization: {self.headers.get('Authorization')}"
                    return 400, {"error": echoed}, {}
                if not lfs_action and self.headers.get("Authorization") != f"Bearer {hub.token}":
                    return 401, {"error": "Invalid credentials in Authorization header"}, {"X-Error-Code": "Unauthorized"}
                for route_method, pattern, handler in hub.routes():
                    match = re.fullmatch(pattern, path)
                    if route_method == method and match:
                        try:
                            json_body = raw if handler in (hub.commit, hub.lfs_put) else json.loads(raw or b"{}")
                            status, payload = handler(match, json_body)
                            return status, payload, {}
                        except LookupError as error:
                            return 404, {"error": str(error)}, {"X-Error-Code": "RepoNotFound"}
                return 404, {"error": f"fake hub has no route {method} {path}"}, {}

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_PUT(self):
                self._serve("PUT")

        return Handler
