"""Config values arrive byte-exact: trailing spaces and tabs kept (repr shows them)."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (f"config-trailing-spaces: {os.environ['PADDED']!r} {os.environ['TABBED']!r}\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
