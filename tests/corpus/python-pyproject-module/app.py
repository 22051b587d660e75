"""A pyproject.toml project without a Procfile: app.py runs with the project installed in the venv."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.metadata import version

import greeting


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (f"{greeting.greet()} ({version('corpus-greeting')})\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
