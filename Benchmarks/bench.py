#!/usr/bin/env python3
"""The load benchmark of issue 12, run by scripts/bench: a release `kvota serve` on the demo company at a scale, wrk
driving it through the scenarios of a sales day one at a time, and a table of requests per second and latency
percentiles per scenario, with the server's start-up time, peak memory and the database's size.

Not part of the tests. scripts/bench builds the release binary, picks or starts the database and calls this with
--kvota and --database; see `scripts/bench --help`.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Support"))
from kvota_harness import ServerDidNotStart, Store, serve  # noqa: E402

LUA = os.path.join(ROOT, "Benchmarks", "wrk", "scenario.lua")
PASSWORD = "bench-password-1"


class Server:
    """`kvota serve` on a free port, with its resident memory sampled five times a second."""

    def __init__(self, kvota, url, requests_per_minute=0):
        # The benchmark measures the server, with one person behind every connection: no per-person limit unless asked.
        environment = {"KVOTA_SCORE_EVERY": "0", "KVOTA_REQUESTS_PER_MINUTE": str(requests_per_minute)}
        try:
            self.process, self.port, self.startup = serve(kvota, url, environment=environment, log_level="warning", patience=600)
        except ServerDidNotStart as error:
            sys.exit(str(error))
        self.peak = 0
        self.peak_total = 0
        self.rss = 0
        self._stop = False
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while not self._stop:
            try:
                with open(f"/proc/{self.process.pid}/status") as status:
                    for line in status:
                        # The heap and stacks; SQLite's file pages mapped for the analyses' reads count in VmRSS too,
                        # but they are the page cache's, shared and given back under pressure.
                        if line.startswith("RssAnon:"):
                            self.rss = int(line.split()[1]) * 1024
                            self.peak = max(self.peak, self.rss)
                        elif line.startswith("VmRSS:"):
                            self.peak_total = max(self.peak_total, int(line.split()[1]) * 1024)
            except FileNotFoundError:
                return
            time.sleep(0.2)

    def reset_peak(self):
        self.peak_run = max(getattr(self, "peak_run", 0), self.peak)
        self.peak = self.rss

    def stop(self):
        self._stop = True
        self.process.terminate()
        self.process.wait(timeout=30)


class Client:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, path, token=None, body=None, method=None):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = "Bearer " + token
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode() if body is not None else None,
                                         headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            sys.exit(f"{path}: {error.code} {error.read()[:300]!r}")

    def timed_get(self, path, credential):
        """Seconds one GET takes with a token or a session cookie, the answer read whole."""
        header = ("cookie", credential) if credential.startswith("kvota_session=") else ("authorization", "Bearer " + credential)
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(self.base + path, headers=dict([header])), timeout=120) as response:
            response.read()
        return time.perf_counter() - started

    def token(self, email):
        return self.call("/api/v1/auth/token", body={"email": email, "password": PASSWORD})["token"]

    def session(self, email):
        """Signs in through the sign-in form, as a browser does; answers the session cookie pages want."""
        import http.client, re, urllib.parse
        connection = http.client.HTTPConnection(self.base[len("http://"):])
        connection.request("GET", "/sign-in")
        response = connection.getresponse()
        page = response.read().decode()
        form = re.search(r"kvota_sign_in=([^;]+)", response.getheader("set-cookie")).group(1)
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "_csrf": csrf, "next": ""})
        connection.request("POST", "/sign-in", body, {"content-type": "application/x-www-form-urlencoded", "cookie": f"kvota_sign_in={form}"})
        response = connection.getresponse()
        response.read()
        return "kvota_session=" + re.search(r"kvota_session=([^;]+)", response.getheader("set-cookie")).group(1)


def wrk(port, name, paths, credential, connections, seconds, method="GET", bodies=None, folder=None):
    """One scenario under wrk; answers its figures. `credential` is one person's (a token or a session cookie), or a
    list of API tokens, one for each path, when many people write to their own records."""
    paths_file = os.path.join(folder, "paths")
    with open(paths_file, "w") as out:
        out.write("\n".join(paths) + "\n")
    environment = dict(os.environ, BENCH_METHOD=method, BENCH_PATHS=paths_file, BENCH_BODIES="", BENCH_TOKENS="")
    if isinstance(credential, list):
        environment["BENCH_TOKENS"] = os.path.join(folder, "tokens")
        with open(environment["BENCH_TOKENS"], "w") as out:
            out.write("\n".join(credential) + "\n")
        credential = None
    if bodies:
        environment["BENCH_BODIES"] = os.path.join(folder, "bodies")
        with open(environment["BENCH_BODIES"], "w") as out:
            out.write("\n".join(json.dumps(body) for body in bodies) + "\n")
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", LUA, f"http://127.0.0.1:{port}"]
    if credential:
        # A page wants a browser's session cookie; the API a bearer token.
        header = f"Cookie: {credential}" if credential.startswith("kvota_session=") else f"Authorization: Bearer {credential}"
        command[1:1] = ["-H", header]
    out = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["name"] = name
    figures["connections"] = connections
    return figures


def open_deals(store, pipeline, rep_id):
    """The rep's open deals in the pipeline, up to 200: what a rep's writes go to."""
    return [int(row[0]) for row in store.rows(f"""
        SELECT id FROM deals WHERE owner_id = {rep_id} AND status = 'open' AND pipeline_id = {pipeline} ORDER BY id LIMIT 200""")]


def rep_records(store, rep_id):
    """The first pipeline; two open stages a deal may enter without more fields (where the rep's deals are moved);
    the rep's open deals in it (up to 200, written to and moved); the rep's newest 500 deals (read); 200 phones."""
    pipeline = int(store.value("SELECT MIN(id) FROM pipelines"))
    stages = [int(row[0]) for row in store.rows(f"""
        SELECT id FROM stages WHERE pipeline_id = {pipeline} AND outcome = 'open' ORDER BY position LIMIT 2""")]
    deals = open_deals(store, pipeline, rep_id)
    pages = [int(row[0]) for row in store.rows(f"SELECT id FROM deals WHERE owner_id = {rep_id} ORDER BY id DESC LIMIT 500")]
    phones = [row[0] for row in store.rows("SELECT phone FROM contacts WHERE phone LIKE '+46%' ORDER BY id LIMIT 200")]
    return pipeline, stages, deals, pages, phones


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kvota", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", default="S")
    parser.add_argument("--seconds", type=int, default=10, help="how long each scenario runs under wrk")
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this")
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--requests-per-minute", type=int, default=0,
                        help="the per-person limit (default 0, off: every request is one person's); set it to measure its cost")
    args = parser.parse_args()
    store = Store(args.database)
    subprocess.run([args.kvota, "migrate", "--database", args.database, "--log-level", "warning"], check=True, stdout=subprocess.DEVNULL)

    # Who signs in: the first admin and director, the busiest rep (most open deals) and the head of that rep's team.
    admin = store.value("SELECT email FROM users WHERE role = 'admin' AND active = TRUE ORDER BY id LIMIT 1")
    director = store.value("SELECT email FROM users WHERE role = 'director' AND active = TRUE ORDER BY id LIMIT 1")
    rep_id, rep, team = store.rows("""
        SELECT u.id, u.email, u.team_id FROM users u JOIN deals d ON d.owner_id = u.id
        WHERE u.role = 'rep' AND u.active = TRUE AND d.status = 'open' GROUP BY u.id, u.email, u.team_id
        ORDER BY COUNT(*) DESC, u.id LIMIT 1""")[0]
    head = store.value(f"SELECT email FROM users WHERE role = 'head' AND active = TRUE AND team_id = {team} ORDER BY id LIMIT 1") or director
    for email in {admin, director, rep, head}:
        subprocess.run([args.kvota, "user", "set-password", email, "--password-stdin", "--database", args.database, "--log-level", "warning"],
                       input=PASSWORD, text=True, check=True, stdout=subprocess.DEVNULL)
    as_of = store.value("SELECT value FROM settings WHERE key = 'demo.as_of'")
    year, month = int(as_of[:4]), int(as_of[5:7])
    ytd = f"from={year}-01-01&to={as_of}"
    last12 = f"from={year - 1}-{as_of[5:7]}-01&to={as_of}"
    pipeline, stages, deals, pages, phones = rep_records(store, rep_id)
    export_from = store.value(f"SELECT ordered_on FROM orders ORDER BY ordered_on DESC LIMIT 1 OFFSET {args.export_rows}")
    if export_from is not None and str(export_from).isdigit():
        # SQLite keeps a day as its number (20261205).
        export_from = f"{str(export_from)[:4]}-{str(export_from)[4:6]}-{str(export_from)[6:]}"

    server = Server(args.kvota, args.database, args.requests_per_minute)
    client = Client(server.port)
    tokens = {who: client.token(email) for who, email in [("admin", admin), ("director", director), ("head", head), ("rep", rep)]}
    tokens["rep page"], tokens["head page"] = client.session(rep), client.session(head)
    # A deep page: the deal list 200 pages of 50 in.
    cursor, path = None, "/api/v1/deals?limit=50&sort=-amount"
    for _ in range(200):
        page = client.call(path + (f"&cursor={cursor}" if cursor else ""), tokens["admin"])
        cursor = page["next"] or cursor
    deep = path + f"&cursor={cursor}"

    analytics = [
        ("dynamics, revenue by month", f"/api/v1/analytics/dynamics?{ytd}"),
        ("dynamics, revenue by week by manager", f"/api/v1/analytics/dynamics?grain=week&by=manager&{ytd}"),
        ("dynamics, quantity by month by product", f"/api/v1/analytics/dynamics?measure=quantity&by=product&{last12}"),
        ("abc customers", f"/api/v1/analytics/abc?{last12}&limit=100"),
        ("xyz customers", f"/api/v1/analytics/xyz?{last12}&limit=100"),
        ("abc-xyz products", f"/api/v1/analytics/abc-xyz?subject=product&{last12}"),
        ("territory", f"/api/v1/analytics/territory?{ytd}"),
        ("channels", f"/api/v1/analytics/channels?{ytd}"),
        ("concentration", f"/api/v1/analytics/concentration?{last12}"),
        ("category migration", "/api/v1/analytics/migration"),
        ("products", f"/api/v1/analytics/products?{ytd}&limit=100"),
        ("retention", f"/api/v1/analytics/retention?{ytd}&limit=100"),
        ("funnel", f"/api/v1/analytics/funnel?pipeline={pipeline}&{ytd}"),
    ]
    reads = [
        ("my day (page)", ["/"], "rep page"),
        ("pipeline board of a team (page)", [f"/board?team={team}&pipeline={pipeline}"], "head page"),
        ("deal list, filtered, first page", [f"/api/v1/deals?status=open&team={team}&limit=50"], "head"),
        ("deal list, 200 pages deep", [deep], "admin"),
        ("deal page with timeline", [f"/deals/{deal}" for deal in pages], "rep page"),
        ("deal record (API)", [f"/api/v1/deals/{deal}" for deal in pages], "rep"),
        ("search by phone", ["/api/v1/search?q=0" + phone[3:] for phone in phones], "admin"),
    ]
    scenarios = [(name, paths, who, [8, 64], "GET", None) for name, paths, who in reads]
    scenarios += [
        ("create an activity", ["/api/v1/activities"] * len(deals), "rep", [8, 64], "POST",
         [{"kind": "note", "subject": "Bench note", "dealId": deal} for deal in deals]),
        ("move a deal", [f"/api/v1/deals/{deal}" for deal in deals] * 2, "rep", [8, 64], "PATCH",
         [{"stageId": stages[1]} for _ in deals] + [{"stageId": stages[0]} for _ in deals]),
        ("sign in", ["/api/v1/auth/token"], None, [8], "POST", [{"email": rep, "password": PASSWORD}]),
        # The budget for these is a warm request's p95 (one connection); at 8 they show what two cores give many.
        ("KPIs of a team", [f"/api/v1/kpis?scope=team:{team}"], "head", [1, 8], "GET", None),
        ("plan progress of a team", [f"/api/v1/plans/progress?scope=team:{team}&period={year}-{month:02}"], "head", [1, 8], "GET", None),
        ("forecast of a team", [f"/api/v1/forecast?scope=team:{team}"], "head", [1, 8], "GET", None),
    ]
    scenarios += [(f"analytics: {name}", [path], "director", [1, 8], "GET", None) for name, path in analytics]

    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, paths, who, connection_counts, method, bodies in scenarios:
            if args.only and args.only not in name:
                continue
            for connections in connection_counts:
                # The peak is per scenario, so the table says which one takes the server's memory up.
                server.reset_peak()
                # One connection measures a warm request (the budget's p95): each path is asked once first, unmeasured
                # by wrk, and the slowest of those first (cold) requests is its own column.
                first = max(client.timed_get(path, tokens.get(who)) for path in paths) if connections == 1 and method == "GET" else None
                figures = wrk(server.port, name, paths, tokens.get(who), connections, args.seconds, method, bodies, folder)
                figures["memory"] = server.peak
                figures["first"] = first
                results.append(figures)
                print(f"  {name} at {connections}: {figures['requests'] / figures['seconds']:.0f}/s", file=sys.stderr)

    export = None
    if not args.only or args.only in "export":
        # Streamed: read in 64 KiB pieces as they come, as a browser saves a download.
        server.reset_peak()
        started = time.perf_counter()
        # The newest orders, as many as --export-rows (all of them when there are fewer).
        since = f"&from={export_from}" if export_from else ""
        request = urllib.request.Request(f"{client.base}/api/v1/orders?format=csv{since}&to={as_of}",
                                         headers={"authorization": "Bearer " + tokens["admin"]})
        rows, size = -1, 0
        with urllib.request.urlopen(request, timeout=600) as response:
            while chunk := response.read(65536):
                rows += chunk.count(b"\n")
                size += len(chunk)
        export = (rows, size, time.perf_counter() - started, server.peak)
    peak, peak_total = max(server.peak, getattr(server, "peak_run", 0)), server.peak_total
    server.stop()

    print()
    print(f"scale {args.scale}, {'SQLite' if store.sqlite else 'PostgreSQL'}, {os.cpu_count()} cores, wrk {args.seconds} s a scenario")
    print(f"start-up to the first /healthz: {server.startup:.2f} s; database size: {store.size() / 2**30:.2f} GiB")
    print()
    print("| scenario | connections | requests/s | p50 ms | p95 ms | p99 ms | first (cold) ms | errors | own memory MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for figures in results:
        first = f"{figures['first'] * 1000:.1f}" if figures.get("first") is not None else ""
        print(f"| {figures['name']} | {figures['connections']} | {figures['requests'] / figures['seconds']:.0f} "
              f"| {figures['p50_us'] / 1000:.1f} | {figures['p95_us'] / 1000:.1f} | {figures['p99_us'] / 1000:.1f} | {first} "
              f"| {figures['non_2xx'] + figures['socket_errors']} | {figures['memory'] / 2**20:.0f} |")
    if export:
        rows, size, seconds, memory = export
        print()
        print(f"CSV export of {rows} orders ({size / 2**20:.0f} MiB): {seconds:.2f} s; "
              f"server's own memory (RssAnon) during it up to {memory / 2**20:.0f} MiB")
    print(f"peak server memory over the run: {peak / 2**20:.0f} MiB of its own (RssAnon), "
          f"{peak_total / 2**20:.0f} MiB resident with mapped database pages (VmRSS)")


if __name__ == "__main__":
    main()
