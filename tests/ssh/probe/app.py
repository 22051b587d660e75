"""Sandbox probe: GET /probe tries each escape from inside its instance and answers one line
per check, "<check>=ok" when it was refused (or, for the own-files checks, when it worked),
"<check>=fail <what happened>" otherwise; GET /connect/HOST:PORT tries a TCP connect from inside. Standard library only. PROBE_OTHER names the other
environment; PROBE_SECRET is this environment's secret."""
import ctypes
import errno
import glob
import http.server
import os
import socket

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
CLONE_NEWNS = 0x00020000
PTRACE_ATTACH = 16


def status_field(name):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    return ""


def refused(action):
    """ok when action() raises or returns -1; the failure text otherwise."""
    try:
        rc = action()
    except OSError as e:
        return "ok", e.strerror
    if rc == -1:
        return "ok", os.strerror(ctypes.get_errno())
    if isinstance(rc, str):
        return "fail", rc
    return "fail", "allowed (rc %r)" % (rc,)


def read(path):
    with open(path, "rb") as f:
        return f.read(64)


def write(path, data):
    with open(path, "w") as f:
        f.write(data)
    return 0


def bind80():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("0.0.0.0", 80))
    return 0


def host_keys():
    keys = glob.glob("/etc/ssh/ssh_host_*_key")
    for k in keys:
        read(k)
    if not keys:
        raise OSError(errno.ENOENT, "no host key visible")
    return 0


def other_env():
    """Lists the server root, the other environment's dir there and PROBE_PATHS (':'-separated,
    e.g. the local rack's root); ok when none can be read."""
    other = os.environ.get("PROBE_OTHER", "")
    app = os.environ.get("PROBE_APP", "probe")
    paths = ["/var/lib/widemesh", "/var/lib/widemesh/apps/%s/%s" % (app, other)]
    paths += [p for p in os.environ.get("PROBE_PATHS", "").split(":") if p]
    for root in paths:
        try:
            os.listdir(root)
            return "listed " + root
        except OSError:
            pass
    raise OSError(errno.ENOENT, "none readable")


def handle():
    buf = ctypes.create_string_buffer(136)
    ctypes.c_uint.from_buffer(buf).value = 128
    mount_id = ctypes.c_int()
    return LIBC.name_to_handle_at(-100, b"/app", buf, ctypes.byref(mount_id), 0)


def own_checks():
    out = []
    uid = os.getuid()
    out.append(("uid", "ok" if uid != 0 else "fail", str(uid)))
    for cap in ("CapEff", "CapPrm", "CapBnd", "CapAmb"):
        v = status_field(cap)
        out.append((cap.lower(), "ok" if int(v, 16) == 0 else "fail", v))
    v = status_field("Seccomp")
    out.append(("seccomp", "ok" if v == "2" else "fail", v))
    v = status_field("NoNewPrivs")
    out.append(("no_new_privs", "ok" if v == "1" else "fail", v))
    with open("/etc/passwd") as f:
        me = [l for l in f if l.split(":")[2:3] == [str(uid)]]
    out.append(("passwd", "ok" if me else "fail", me[0].split(":")[0] if me else "no entry"))
    out.append(("manifest", "fail" if os.path.exists("/app/widemesh.yaml") else "ok", ""))
    secret = os.environ.get("PROBE_SECRET", "")
    out.append(("own_config", "ok" if secret else "fail", secret))
    try:
        write("/app/probe-written", "x")
        out.append(("app_writable", "ok", ""))
    except OSError as e:
        out.append(("app_writable", "fail", e.strerror))
    return out


def escape_checks():
    escapes = [
        ("shadow", lambda: read("/etc/shadow")),
        ("host_key", host_keys),
        ("other_env", other_env),
        ("proc_sys", lambda: write("/proc/sys/kernel/hostname", "pwned")),
        ("mount", lambda: LIBC.mount(b"none", b"/tmp", b"tmpfs", 0, None)),
        ("unshare", lambda: LIBC.unshare(CLONE_NEWUSER | CLONE_NEWNS)),
        ("ptrace", lambda: LIBC.ptrace(PTRACE_ATTACH, 1, None, None)),
        ("open_by_handle", handle),
        ("bind80", bind80),
    ]
    return [(name,) + refused(action) for name, action in escapes]


def connect(target):
    """GET /connect/HOST:PORT: "open" when a TCP connect succeeds within 3 s, else "refused
    <why>" (a refused, reset or timed out connect)."""
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), 3).close()
        return "open\n"
    except OSError as e:
        return "refused %s\n" % (e.strerror or type(e).__name__)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/connect/"):
            self.reply(connect(self.path[len("/connect/"):]))
        elif self.path == "/probe":
            lines = ["%s=%s %s" % c for c in own_checks() + escape_checks()]
            self.reply("\n".join(l.rstrip() for l in lines) + "\n")
        else:
            self.reply("ok\n")

    def reply(self, body):
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("", int(os.environ["PORT"])), Handler).serve_forever()
