#!/usr/bin/python3
"""The app baked into the test image, as a release image carries its app: it answers the health
path with what the tests read back (how often it has started on this data, how long its secret
is, never the secret), and writes to its data directory on every start."""
import http.server
import json
import os
import socket
import time

PORT = int(os.environ.get("PORT", "8080"))
HEALTH_PATH = os.environ.get("HEALTH_PATH", "/healthz")
DATA_DIR = os.environ["DATA_DIR"]

with open(os.path.join(DATA_DIR, "starts.log"), "a", encoding="utf-8") as log:
    log.write(f"{time.time():.0f} {socket.gethostname()}\n")
with open(os.path.join(DATA_DIR, "starts.log"), encoding="utf-8") as log:
    STARTS = sum(1 for _ in log)

STATE = {
    "host": socket.gethostname(),
    "starts": STARTS,
    "secretLength": len(os.environ.get("SESSION_SECRET", "")),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server API)
        if self.path != HEALTH_PATH:
            self.send_error(404)
            return
        body = json.dumps(STATE).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    # The default backlog of 5 loses connections under load.
    request_queue_size = 128


Server(("0.0.0.0", PORT), Handler).serve_forever()
