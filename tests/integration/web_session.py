"""A browser's session on the server make test started (LOGISTICS_CRM_RPC_URL,
LOGISTICS_CRM_RPC_DB): what the web client and the portal call, for the tests that
drive a running server over HTTP."""

import json
import os

import requests

URL = os.environ.get("LOGISTICS_CRM_RPC_URL")
DB = os.environ.get("LOGISTICS_CRM_RPC_DB")


class Web:
    """A browser's session: the web client's and the portal's routes."""

    def __init__(self, login, password):
        self.http = requests.Session()
        response = self.http.post(
            f"{URL}/web/session/authenticate",
            json={"params": {"db": DB, "login": login, "password": password}},
            timeout=60,
        )
        response.raise_for_status()
        assert "error" not in response.json(), response.text[:500]

    def get(self, path):
        response = self.http.get(f"{URL}{path}", timeout=120)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def call(self, route, model, method, *args, **kwargs):
        response = self.http.post(
            f"{URL}/web/dataset/{route}/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=120,
        )
        response.raise_for_status()
        payload = response.json()
        assert "error" not in payload, json.dumps(payload["error"])[:800]
        return payload["result"]
