#!/usr/bin/env python3
# bench-stream-idle: memory per idle live stream. Starts build/atende on a
# fresh data directory, opens N streams (GET /v1/stream) for one tenant's
# admin, waits for each stream's first frame, and prints the server's RSS
# growth per stream. Usage: scripts/bench-stream-idle.py [N=10000]
import json, os, resource, shutil, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = tempfile.mkdtemp(prefix="atende-stream-bench-")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 30000), hard))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
env = dict(os.environ, ATENDE_ROOT_TOKEN="bench-root", ATENDE_STREAM_MAX_PER_TOKEN="100000",
           ATENDE_STREAM_MAX_PER_TENANT="100000")
p = subprocess.Popen([os.path.join(ROOT, "build/atende"), "serve", "--data", DATA, "--listen", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, env=env, text=True)
port = None
for line in p.stdout:
    if "listening on http://127.0.0.1:" in line:
        port = int(line.split("127.0.0.1:")[1].split()[0]); break
def call(method, path, body, token):
    r = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(r))
admin = call("POST", "/v1/tenants", {"id": "acme", "name": "Acme"}, "bench-root")["admin"]["token"]
def rss():
    for l in open(f"/proc/{p.pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1])
time.sleep(0.5)
before = rss()
socks = []
req = (f"GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {admin}\r\n\r\n").encode()
t0 = time.time()
for i in range(N):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(req); socks.append(s)
for s in socks:
    s.settimeout(10); data = b""
    while b"event: counts" not in data: data += s.recv(4096)
t1 = time.time()
time.sleep(1)
after = rss()
print(f"{N} idle streams opened in {t1-t0:.1f} s; server RSS {before} KiB before, {after} KiB after: {(after-before)*1024/N/1024:.1f} KiB per stream")
m = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
print([l for l in m.splitlines() if l.startswith("atende_streams_open")])
for s in socks: s.close()
p.terminate(); p.wait()
shutil.rmtree(DATA, ignore_errors=True)
