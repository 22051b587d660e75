"""A setup.py project: its console script is the web process (on PATH from the venv's bin)."""
import os
import shutil
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"python-setup-py: {shutil.which('corpus-setup-serve')}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
