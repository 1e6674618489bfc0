#!/usr/bin/env python3
"""Issue 12's two-server test, run by scripts/cluster-test: two `kvota serve` processes on one PostgreSQL database
behind nginx on 127.0.0.1, driven by mixed traffic whose sessions hop between them, then one of them killed.

It checks what docs/deployment.md ("Several servers on one PostgreSQL database") promises:
- no request fails, sessions and CSRF tokens work on both servers, and every acknowledged write is in the database;
- webhook deliveries and background imports are each done exactly once, shared between the servers;
- the alert rounds and the PBX's events run on exactly one server (the lease's holder), and move to the other when
  the holder dies;
- the roll-ups equal the raw rows afterwards (`kvota verify`).

Stand-ins on 127.0.0.1: a PBX that speaks the AMI sign-in and notes whether each connection asked for events, and a
webhook receiver that notes every delivery it gets. Exits non-zero with the reasons when a check fails.
"""
import argparse
import base64
import collections
import http.client
import http.server
import json
import os
import random
import re
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Support"))
from kvota_harness import ServerDidNotStart, Store, demo_company, fail, failures, free_port, serve, set_passwords  # noqa: E402

PASSWORD = "cluster-password-1"
METRICS_TOKEN = "cluster-metrics-token-0123456789"
LEASE_SECONDS = 4


class PBX:
    """A PBX's manager interface: answers each Login with success and keeps the connection open, noting whether the
    client asked for events (`Events: on`) on each connection still open."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.open = {}  # connection number -> "on" / "off"
        self.logins = []
        pbx = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.sendall(b"Asterisk Call Manager/9.0.0\r\n")
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    received += chunk
                events = "on" if b"Events: on\r\n" in received else "off"
                with pbx.lock:
                    number = len(pbx.logins)
                    pbx.logins.append(events)
                    pbx.open[number] = events
                self.request.sendall(b"Response: Success\r\nActionID: kvota-login\r\nMessage: Authentication accepted\r\n\r\n")
                try:
                    while self.request.recv(4096):
                        pass
                finally:
                    with pbx.lock:
                        pbx.open.pop(number, None)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def modes(self):
        with self.lock:
            return sorted(self.open.values())


class Receiver:
    """Takes webhook posts and counts each delivery id it gets."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.deliveries = collections.Counter()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    receiver.deliveries[self.headers.get("Kvota-Delivery")] += 1
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Kvota:
    """One `kvota serve` on a free port, its log in the work folder."""

    def __init__(self, binary, url, name, work, environment):
        self.name = name
        self.log = open(os.path.join(work, f"{name}.log"), "w")
        try:
            self.process, self.port, _ = serve(binary, url, self.log, environment)
        except ServerDidNotStart as error:
            sys.exit(f"server {name}: {error}; see {self.log.name}")

    def metrics(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", "/metrics", headers={"authorization": "Bearer " + METRICS_TOKEN})
        response = connection.getresponse()
        samples = {}
        for line in response.read().decode().splitlines():
            if line and not line.startswith("#"):
                key, _, value = line.rpartition(" ")
                samples[key] = float(value)
        return samples

    def stop(self, signal_kill=False):
        if self.process.poll() is None:
            self.process.kill() if signal_kill else self.process.terminate()
            self.process.wait(timeout=60)


class Client:
    """Requests through nginx, each answer noting which server gave it (nginx's X-Upstream header)."""

    def __init__(self, port):
        self.port = port
        self.upstreams = set()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers["content-type"] = "application/json"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body, headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # nginx closed a kept-alive connection between requests; nothing was sent, so a new one may send it.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        self.upstreams.add(response.getheader("X-Upstream"))
        return response, data


def sign_in_api(client, email):
    """Signs in through the API: answers the response, its body and the bearer header (None when refused)."""
    response, data = client.request("POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD})
    return response, data, {"authorization": "Bearer " + json.loads(data)["token"]} if response.status == 200 else None


def sign_in_form(client, email):
    """Signs in through the sign-in form as a browser does: the form's page and its post may reach different servers."""
    response, page = client.request("GET", "/sign-in")
    form_cookie = re.search(r"kvota_sign_in=([^;]+)", response.getheader("set-cookie")).group(1)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.decode()).group(1)
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "_csrf": csrf, "next": ""})
    response, _ = client.request("POST", "/sign-in", body, {"content-type": "application/x-www-form-urlencoded",
                                                           "cookie": f"kvota_sign_in={form_cookie}"})
    if response.status != 303:
        raise RuntimeError(f"sign-in form answered {response.status}")
    return "kvota_session=" + re.search(r"kvota_session=([^;]+)", response.getheader("set-cookie")).group(1)


class Load:
    """Mixed traffic for a number of seconds; everything acknowledged is noted for the checks."""

    def __init__(self, port, facts, seconds):
        self.port, self.facts, self.deadline = port, facts, time.time() + seconds
        self.lock = threading.Lock()
        self.activities = []        # ids the API acknowledged
        self.form_notes = []        # subjects of notes a page form acknowledged
        self.moves = 0              # stage changes acknowledged, each one webhook delivery
        self.requests = 0
        self.sessions = []          # the servers each browser session reached

    def note(self, **counts):
        with self.lock:
            for key, value in counts.items():
                if key == "requests":
                    self.requests += value
                elif key == "moves":
                    self.moves += value
                else:
                    getattr(self, key).append(value)

    def expect(self, response, data, statuses, what):
        self.note(requests=1)
        if response.status not in statuses:
            # A page names its problems in its form's error lines; an API answer is a problem document.
            problems = re.findall(r'class="[^"]*error[^"]*">([^<]+)<', data.decode(errors="replace"))
            fail(f"{what}: {response.status} {'; '.join(problems) if problems else data[:300]!r}")
            return False
        return True

    def api_writer(self, number):
        client = Client(self.port)
        response, data, auth = sign_in_api(client, self.facts["rep"])
        if not self.expect(response, data, {200}, "API sign-in"):
            return
        deals = self.facts["deals"][number::4]
        stages = self.facts["stages"]
        turn = 0
        while time.time() < self.deadline:
            deal = deals[turn % len(deals)]
            response, data = client.request("POST", "/api/v1/activities", {"kind": "note", "subject": f"cluster note {number}-{turn}",
                                                                           "dealId": deal}, auth)
            if self.expect(response, data, {201}, "create an activity"):
                self.note(activities=json.loads(data)["id"])
            # Each writer moves its own deals between two stages, so every acknowledged move is a stage change.
            response, data = client.request("GET", f"/api/v1/deals/{deal}", headers=auth)
            if self.expect(response, data, {200}, "read a deal"):
                current = json.loads(data)["stageId"]
                target = stages[1] if current == stages[0] else stages[0]
                response, data = client.request("PATCH", f"/api/v1/deals/{deal}", {"stageId": target},
                                                dict(auth, **{"if-match": response.getheader("etag")}))
                if self.expect(response, data, {200}, "move a deal"):
                    self.note(moves=1)
            turn += 1

    def browser(self, number):
        client = Client(self.port)
        try:
            session = sign_in_form(client, self.facts["rep"])
        except Exception as error:  # noqa: BLE001 - any way the sign-in breaks is a failure of the test
            fail(f"browser sign-in: {error}")
            return
        cookie = {"cookie": session}
        turn = 0
        while time.time() < self.deadline:
            deal = random.choice(self.facts["deals"])
            response, page = client.request("GET", f"/deals/{deal}", headers=cookie)
            if self.expect(response, page, {200}, "deal page"):
                # The page's CSRF token, posted back to whichever server the post reaches.
                csrf = re.search(r'name="_csrf" value="([^"]+)"', page.decode()).group(1)
                subject = f"cluster form note {number}-{turn}"
                body = urllib.parse.urlencode({"form": "note", "subject": subject, "_csrf": csrf})
                response, data = client.request("POST", f"/deals/{deal}/activities", body,
                                                dict(cookie, **{"content-type": "application/x-www-form-urlencoded"}))
                if self.expect(response, data, {303}, "note from the deal page's form"):
                    self.note(form_notes=subject)
            response, data = client.request("GET", "/", headers=cookie)
            self.expect(response, data, {200}, "my day")
            turn += 1
        self.note(sessions=set(client.upstreams))

    def reader(self, number):
        client = Client(self.port)
        response, data, auth = sign_in_api(client, self.facts["head"])
        if not self.expect(response, data, {200}, "API sign-in"):
            return
        paths = ["/api/v1/deals?status=open&limit=50", "/api/v1/accounts?limit=50", "/api/v1/search?q=" + self.facts["search"],
                 "/api/v1/analytics/dynamics", f"/api/v1/kpis?scope=team:{self.facts['team']}"]
        while time.time() < self.deadline:
            path = random.choice(paths)
            response, data = client.request("GET", path, headers=auth)
            self.expect(response, data, {200}, path)

    def run(self):
        workers = [threading.Thread(target=self.api_writer, args=(n,)) for n in range(4)]
        workers += [threading.Thread(target=self.browser, args=(n,)) for n in range(3)]
        workers += [threading.Thread(target=self.reader, args=(n,)) for n in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


def wait_for(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def holder_of(url, job, servers):
    rows = Store(url).rows(f"SELECT holder FROM job_leases WHERE job = '{job}'")
    for server in servers:
        if rows and f" pid {server.process.pid} " in rows[0][0]:
            return server
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kvota", required=True)
    parser.add_argument("--database", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--work", required=True, help="a folder for the logs and nginx's files")
    parser.add_argument("--seconds", type=int, default=20, help="how long the mixed load runs")
    args = parser.parse_args()
    url = args.database

    started = time.time()
    setup_log = os.path.join(args.work, "setup.log")
    demo_company(args.kvota, url, setup_log)
    print(f"cluster-test: demo company made in {time.time() - started:.0f} s", file=sys.stderr)
    admin = Store(url).rows("SELECT email FROM users WHERE role = 'admin' AND active ORDER BY id LIMIT 1")[0][0]
    rep_id, rep, team = Store(url).rows("""
        SELECT u.id, u.email, u.team_id FROM users u JOIN deals d ON d.owner_id = u.id
        WHERE u.role = 'rep' AND u.active AND d.status = 'open' GROUP BY u.id, u.email, u.team_id
        ORDER BY COUNT(*) DESC, u.id LIMIT 1""")[0]
    # The readers ask for the rep's team's KPIs, so the reader is that team's head (a director when it has none): which
    # rep has the most open deals, and so which team, depends on the day the demo company is made for.
    head = Store(url).rows(f"""
        SELECT email FROM (SELECT u.email, 0 AS preference, u.id FROM users u JOIN teams t ON t.head_id = u.id
                           WHERE t.id = {team} AND u.role = 'head' AND u.active
                           UNION ALL SELECT email, 1, id FROM users WHERE role = 'director' AND active) AS readers
        ORDER BY preference, id LIMIT 1""")[0][0]
    set_passwords(args.kvota, url, {admin, rep, head}, PASSWORD, setup_log)
    pipeline = Store(url).rows(f"SELECT pipeline_id FROM deals WHERE owner_id = {rep_id} AND status = 'open' GROUP BY pipeline_id ORDER BY COUNT(*) DESC LIMIT 1")[0][0]
    # Two open stages a deal enters without more required fields; the writers move the rep's deals between them.
    stages = [int(row[0]) for row in Store(url).rows(f"""
        SELECT id FROM stages WHERE pipeline_id = {pipeline} AND outcome = 'open' AND required_fields = '[]' ORDER BY position LIMIT 2""")]
    deals = [int(row[0]) for row in Store(url).rows(f"""
        SELECT id FROM deals WHERE owner_id = {rep_id} AND status = 'open' AND pipeline_id = {pipeline} ORDER BY id LIMIT 40""")]
    if len(stages) < 2 or len(deals) < 8:
        sys.exit(f"cluster-test: the demo company lacks what the load needs (stages {stages}, deals {len(deals)})")
    phone = Store(url).rows("SELECT phone FROM contacts WHERE phone IS NOT NULL ORDER BY id LIMIT 1")[0][0]
    facts = {"rep": rep, "head": head, "team": team, "deals": deals, "stages": stages, "search": urllib.parse.quote(phone[-7:])}

    pbx, receiver = PBX(), Receiver()
    environment = {
        "KVOTA_SECRET_KEY": base64.b64encode(os.urandom(32)).decode(), "KVOTA_METRICS_TOKEN": METRICS_TOKEN,
        "KVOTA_LEASE_SECONDS": str(LEASE_SECONDS), "KVOTA_ALERTS_EVERY": "1", "KVOTA_SCORE_EVERY": "600", "KVOTA_TRAIN_EVERY": "0",
        "KVOTA_AMI_URL": f"ami://cluster:secret@127.0.0.1:{pbx.port}", "KVOTA_TRUST_PROXY": "true",
    }
    servers = [Kvota(args.kvota, url, name, args.work, environment) for name in ("a", "b")]
    nginx_port = free_port()
    for folder in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(args.work, "nginx", folder), exist_ok=True)
        os.chmod(os.path.join(args.work, "nginx", folder), 0o777)
    conf = os.path.join(args.work, "nginx.conf")
    temp = os.path.join(args.work, "nginx")
    with open(conf, "w") as out:
        out.write(f"""
worker_processes 1;
pid {args.work}/nginx.pid;
error_log {args.work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/client; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
    upstream kvota {{
        server 127.0.0.1:{servers[0].port} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{servers[1].port} max_fails=1 fail_timeout=10s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{nginx_port};
        location / {{
            proxy_pass http://kvota;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
""")
    nginx = subprocess.Popen(["nginx", "-c", conf, "-p", args.work, "-g", "daemon off;"])
    try:
        if not wait_for(lambda: subprocess.run(["curl", "-fs", f"http://127.0.0.1:{nginx_port}/healthz"], capture_output=True).returncode == 0, 30):
            sys.exit("cluster-test: nginx did not answer")
        check(args, url, facts, admin, servers, pbx, receiver, nginx_port)
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        for server in servers:
            server.stop()
    if failures:
        print(f"cluster-test: {len(failures)} check(s) failed; the servers' logs are in {args.work}", file=sys.stderr)
        sys.exit(1)
    print("cluster-test: OK", file=sys.stderr)


def check(args, url, facts, admin, servers, pbx, receiver, nginx_port):
    setup = Client(nginx_port)
    response, data, auth = sign_in_api(setup, admin)
    if auth is None:
        sys.exit(f"cluster-test: the admin's API sign-in answered {response.status} {data[:200]!r}")
    response, data = setup.request("POST", "/api/v1/webhooks", {"url": f"http://127.0.0.1:{receiver.port}/hook", "events": ["deal.stage_changed"]}, auth)
    if response.status != 201:
        sys.exit(f"cluster-test: subscribing the receiver answered {response.status} {data[:200]!r}")
    # Background imports, queued through whichever server: each must run once, on one of them.
    jobs = []
    for number in range(6):
        rows = "\n".join(f"cluster-{number}-{row},Cluster account {number}-{row}" for row in range(50))
        response, data = setup.request("POST", "/api/v1/imports/accounts?background=true", "external_id,name\n" + rows + "\n",
                                       dict(auth, **{"content-type": "text/csv"}))
        if response.status != 202:
            fail(f"queueing a background import answered {response.status} {data[:200]!r}")
        else:
            jobs.append(json.loads(data)["id"])

    load = Load(nginx_port, facts, args.seconds)
    started = time.time()
    load.run()
    print(f"cluster-test: {load.requests} requests in {time.time() - started:.0f} s through nginx; {len(load.activities)} activities, "
          f"{len(load.form_notes)} form notes, {load.moves} deal moves acknowledged", file=sys.stderr)

    # Sessions hop: every browser session reached both servers.
    addresses = {f"127.0.0.1:{server.port}" for server in servers}
    for seen in load.sessions:
        if not addresses <= seen:
            fail(f"a browser session reached only {sorted(seen)}")
    if not load.sessions:
        fail("no browser session ran")

    # Every acknowledged write is there, once.
    if load.activities:
        found = int(Store(url).rows(f"SELECT COUNT(*) FROM activities WHERE id IN ({','.join(map(str, load.activities))})")[0][0])
        if found != len(load.activities):
            fail(f"{len(load.activities)} activities acknowledged, {found} in the database")
    found = collections.Counter(row[0] for row in Store(url).rows("SELECT subject FROM activities WHERE subject LIKE 'cluster form note %'"))
    if sorted(found) != sorted(load.form_notes) or any(count != 1 for count in found.values()):
        fail(f"{len(load.form_notes)} form notes acknowledged, {sum(found.values())} in the database")

    # Webhook deliveries: all delivered, each once, though both servers run delivery rounds.
    wait_for(lambda: Store(url).rows("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")[0][0] == "0", 60)
    delivered = int(Store(url).rows("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'")[0][0])
    with receiver.lock:
        received = dict(receiver.deliveries)
    twice = [delivery for delivery, count in received.items() if count > 1]
    if twice:
        fail(f"{len(twice)} webhook deliveries were posted more than once")
    if delivered != load.moves or len(received) != load.moves:
        fail(f"{load.moves} stage changes acknowledged, {delivered} deliveries delivered, {len(received)} received")

    # Background imports: each done, on its first attempt, its accounts there once.
    ids = ",".join(map(str, jobs)) or "0"
    wait_for(lambda: Store(url).rows(f"SELECT COUNT(*) FROM import_jobs WHERE id IN ({ids}) AND status = 'done'")[0][0] == str(len(jobs)), 60)
    for job, status, attempts in Store(url).rows(f"SELECT id, status, attempts FROM import_jobs WHERE id IN ({ids}) ORDER BY id"):
        if status != "done" or attempts != "1":
            fail(f"background import {job}: {status} after {attempts} attempts")
    accounts = int(Store(url).rows("SELECT COUNT(*) FROM accounts WHERE external_id LIKE 'cluster-%'")[0][0])
    if accounts != 50 * len(jobs):
        fail(f"{50 * len(jobs)} accounts imported, {accounts} in the database")

    # The leased jobs ran on one server each; the other stood by.
    metrics = [server.metrics() for server in servers]
    ran_alerts = [server.name for server, samples in zip(servers, metrics) if samples.get('kvota_job_rounds_total{job="alerts",outcome="ok"}', 0) > 0]
    if len(ran_alerts) != 1:
        fail(f"alert rounds ran on {ran_alerts}, not on exactly one server")
    stood_by = [server.name for server, samples in zip(servers, metrics)
                if samples.get('kvota_job_rounds_total{job="alerts",outcome="standby"}', 0) > 0]
    if ran_alerts and stood_by != [name for name in "ab" if name not in ran_alerts]:
        fail(f"the alert rounds stood by on {stood_by}")
    held = {job: sum(samples.get(f'kvota_job_lease_held{{job="{job}"}}', 0) for samples in metrics)
            for job in ("alerts", "scores", "pbx_events")}
    if any(count != 1 for count in held.values()):
        fail(f"leases held by the servers together: {held}")
    if pbx.modes() != ["off", "on"]:
        fail(f"the PBX's open connections asked for events {pbx.modes()}, not one on and one off")

    # The holder dies: the other server takes the alert rounds and the PBX's events once the lease runs out.
    holder = holder_of(url, "alerts", servers)
    if holder is None:
        fail("no server holds the alerts' lease")
        return
    survivor = next(server for server in servers if server is not holder)
    before = survivor.metrics().get('kvota_job_rounds_total{job="alerts",outcome="ok"}', 0)
    holder.stop(signal_kill=True)
    killed = time.time()
    if not wait_for(lambda: holder_of(url, "alerts", servers) is survivor and holder_of(url, "pbx_events", servers) is survivor, 4 * LEASE_SECONDS):
        fail("the survivor did not take the leases over after the holder died")
    else:
        print(f"cluster-test: server {survivor.name} took the leases over {time.time() - killed:.1f} s after {holder.name} was killed",
              file=sys.stderr)
    if not wait_for(lambda: survivor.metrics().get('kvota_job_rounds_total{job="alerts",outcome="ok"}', 0) > before, 10):
        fail("the survivor runs no alert rounds")
    if not wait_for(lambda: pbx.modes() == ["on"], 10):
        fail(f"after the holder died the PBX's connections asked for events {pbx.modes()}")
    client = Client(nginx_port)
    for _ in range(20):
        response, data = client.request("GET", "/api/v1/deals?limit=5", headers=auth)
        if response.status != 200:
            fail(f"through nginx with one server dead: {response.status}")
            break

    verify = subprocess.run([args.kvota, "verify", "--database", url, "--log-level", "warning"], capture_output=True, text=True)
    if verify.returncode != 0:
        fail(f"kvota verify: {verify.stdout[-500:]} {verify.stderr[-500:]}")


if __name__ == "__main__":
    main()
