"""A setuptools project whose console script is the web process (Procfile)."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"corpus-serve: console script\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
