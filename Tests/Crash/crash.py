#!/usr/bin/env python3
"""Issue 13's crash test, run by scripts/crash-test: `kvota serve` under a bounded write load, killed with SIGKILL at
a random moment, restarted, again and again.

After each kill, with the server down, it checks what docs/storage.md ("Crashes") promises:
- every write the API acknowledged is there, as it was written: orders with all their lines, notes, deals in the
  stage their last acknowledged move put them, deals won with their draft order;
- nothing the API did not acknowledge is half there: an order in flight is whole or absent, a deal in flight is won
  with its draft order or not won at all, and nothing is there that nobody asked for;
- the database itself is sound: SQLite's `PRAGMA integrity_check` and `foreign_key_check`, PostgreSQL's
  `pg_amcheck` (its tables' and indexes' structure);
- the roll-ups equal the records (`kvota verify`);
and then that the server starts again and answers. Exits non-zero with the reasons when a check fails.
"""
import argparse
import base64
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Support"))
from kvota_harness import ServerDidNotStart, Store, demo_company, fail, failures, serve, set_passwords  # noqa: E402
from kvota_harness import kvota as run_kvota  # noqa: E402

PASSWORD = "crash-password-1"


class Server:
    def __init__(self, binary, url, work, environment, round_number):
        self.log = open(os.path.join(work, f"serve-{round_number:02}.log"), "w")
        try:
            self.process, self.port, self.start_seconds = serve(binary, url, self.log, environment)
        except ServerDidNotStart as error:
            sys.exit(f"crash-test: after round {round_number - 1}: {error}; see {self.log.name}")

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=30)
        self.log.close()


class ServerGone(Exception):
    """The connection broke: the server was killed with the request in flight."""


class Client:
    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if body is not None:
            body = json.dumps(body)
            headers["content-type"] = "application/json"
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            return response, response.read()
        except (OSError, http.client.HTTPException) as error:
            raise ServerGone() from error

    def sign_in(self, email):
        response, data = self.request("POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD})
        if response.status != 200:
            raise RuntimeError(f"sign-in of {email}: {response.status} {data[:200]!r}")
        return {"authorization": "Bearer " + json.loads(data)["token"]}


class Ledger:
    """What the writers asked for and what the API acknowledged, over every round."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}          # number -> (lines, quantity) asked for
        self.orders_done = {}     # number -> id acknowledged
        self.notes = set()        # subjects asked for
        self.notes_done = {}      # subject -> id acknowledged
        self.stage = {}           # deal id -> stage id its last acknowledged move left it in
        self.moving = {}          # deal id -> stage id a move in flight at the kill asked for
        self.deals = set()        # titles of deals asked for
        self.deals_done = {}      # title -> id acknowledged
        self.won = set()          # ids of deals whose win was acknowledged
        self.acknowledged = 0


class Load:
    def __init__(self, facts, ledger, port, round_number):
        self.facts, self.ledger, self.port, self.round = facts, ledger, port, round_number
        self.stop = threading.Event()
        # Released by every acknowledged request: the kill comes once the writers are at work, not while they connect.
        self.writing = threading.Semaphore(0)

    def expect(self, response, data, status, what):
        if response.status != status:
            fail(f"round {self.round}: {what} answered {response.status}: {data[:300]!r}")
            self.stop.set()
            return False
        with self.ledger.lock:
            self.ledger.acknowledged += 1
        self.writing.release()
        return True

    def desk(self, number):
        """Confirmed orders of two to four lines, each numbered so that the checks know what was asked."""
        client, auth = Client(self.port), self.facts["auth"]["desk"]
        try:
            turn = 0
            while not self.stop.is_set():
                count = 2 + turn % 3
                lines = [{"productId": random.choice(self.facts["products"]), "quantityMilli": 1000 * random.randint(1, 9)}
                         for _ in range(count)]
                order_number = f"CRASH-{self.round}-{number}-{turn}"
                with self.ledger.lock:
                    self.ledger.orders[order_number] = (count, sum(line["quantityMilli"] for line in lines))
                response, data = client.request("POST", "/api/v1/orders", {
                    "accountId": random.choice(self.facts["accounts"]), "number": order_number, "status": "confirmed",
                    "lines": lines}, auth)
                if self.expect(response, data, 201, f"order {order_number}"):
                    with self.ledger.lock:
                        self.ledger.orders_done[order_number] = int(json.loads(data)["id"])
                turn += 1
        except ServerGone:
            pass

    def rep(self, number):
        """Notes on the rep's deals, moves between two open stages, and new deals won (each won deal makes a draft order
        in the same transaction)."""
        client = Client(self.port)
        deals = self.facts["deals"][number::2]
        open_stages, won = self.facts["stages"], self.facts["won"]
        auth = self.facts["auth"]["rep"]
        try:
            turn = 0
            while not self.stop.is_set():
                deal = deals[turn % len(deals)]
                subject = f"crash note {self.round}-{number}-{turn}"
                with self.ledger.lock:
                    self.ledger.notes.add(subject)
                response, data = client.request("POST", "/api/v1/activities", {"kind": "note", "subject": subject, "dealId": deal}, auth)
                if self.expect(response, data, 201, f"note {subject}"):
                    with self.ledger.lock:
                        self.ledger.notes_done[subject] = int(json.loads(data)["id"])
                response, data = client.request("GET", f"/api/v1/deals/{deal}", headers=auth)
                if self.expect(response, data, 200, f"deal {deal}"):
                    current = json.loads(data)["stageId"]
                    target = open_stages[1] if current == open_stages[0] else open_stages[0]
                    with self.ledger.lock:
                        # What the server answers is what it holds: a move in flight at an earlier kill landed or not.
                        self.ledger.stage[deal] = current
                        self.ledger.moving[deal] = target
                    response, data = client.request("PATCH", f"/api/v1/deals/{deal}", {"stageId": target},
                                                    dict(auth, **{"if-match": response.getheader("etag")}))
                    if self.expect(response, data, 200, f"move of deal {deal}"):
                        with self.ledger.lock:
                            self.ledger.stage[deal] = target
                            del self.ledger.moving[deal]
                if turn % 3 == 0:
                    title = f"crash deal {self.round}-{number}-{turn}"
                    with self.ledger.lock:
                        self.ledger.deals.add(title)
                    response, data = client.request("POST", "/api/v1/deals", {
                        "title": title, "accountId": random.choice(self.facts["rep_accounts"]), "pipelineId": self.facts["pipeline"],
                        "stageId": open_stages[0], "amountMinor": 100_000 * (1 + turn % 7), "currency": self.facts["currency"],
                        "expectedClose": self.facts["close"]}, auth)
                    if self.expect(response, data, 201, f"deal {title}"):
                        made = int(json.loads(data)["id"])
                        with self.ledger.lock:
                            self.ledger.deals_done[title] = made
                        response, data = client.request("PATCH", f"/api/v1/deals/{made}", {"stageId": won},
                                                        dict(auth, **{"if-match": response.getheader("etag")}))
                        if self.expect(response, data, 200, f"win of {title}"):
                            with self.ledger.lock:
                                self.ledger.won.add(made)
                turn += 1
        except ServerGone:
            pass

    def start(self):
        self.workers = [threading.Thread(target=self.desk, args=(n,)) for n in range(2)]
        self.workers += [threading.Thread(target=self.rep, args=(n,)) for n in range(2)]
        for worker in self.workers:
            worker.start()

    def join(self):
        for worker in self.workers:
            worker.join(timeout=90)
            if worker.is_alive():
                fail(f"round {self.round}: a writer still waits 90 s after the kill")


def check(store, ledger, round_number):
    """Everything acknowledged is there, and nothing is there half or unasked."""
    where = f"after kill {round_number}"
    orders = {row[1]: (int(row[0]), int(row[2]), int(row[3] or 0)) for row in store.rows(
        "SELECT o.id, o.number, COUNT(l.id), SUM(l.quantity_milli) FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id "
        "WHERE o.number LIKE 'CRASH-%' GROUP BY o.id, o.number")}
    for number, made in ledger.orders_done.items():
        if number not in orders:
            fail(f"{where}: acknowledged order {number} (id {made}) is gone")
        elif orders[number][0] != made:
            fail(f"{where}: order {number} has id {orders[number][0]}, the API said {made}")
    for number, (made, lines, quantity) in orders.items():
        if number not in ledger.orders:
            fail(f"{where}: order {number} is there but nobody asked for it")
        elif (lines, quantity) != ledger.orders[number]:
            fail(f"{where}: order {number} holds {lines} lines of {quantity} (thousandths), was asked for {ledger.orders[number]}")

    notes = {row[1]: int(row[0]) for row in store.rows("SELECT id, subject FROM activities WHERE subject LIKE 'crash note %'")}
    for subject, made in ledger.notes_done.items():
        if notes.get(subject) != made:
            fail(f"{where}: acknowledged note {subject!r} (id {made}) is gone")
    for subject in notes.keys() - ledger.notes:
        fail(f"{where}: note {subject!r} is there but nobody asked for it")

    if ledger.stage or ledger.moving:
        ids = ",".join(str(deal) for deal in set(ledger.stage) | set(ledger.moving))
        for deal, stage in store.rows(f"SELECT id, stage_id FROM deals WHERE id IN ({ids})"):
            deal, stage = int(deal), int(stage)
            allowed = {ledger.stage.get(deal), ledger.moving.get(deal)} - {None}
            if deal in ledger.stage and stage not in allowed:
                fail(f"{where}: deal {deal} is in stage {stage}; its last acknowledged move was to {ledger.stage[deal]}")

    made = {row[1]: (int(row[0]), row[2], int(row[3])) for row in store.rows(
        "SELECT d.id, d.title, d.status, (SELECT COUNT(*) FROM orders o WHERE o.deal_id = d.id) FROM deals d WHERE d.title LIKE 'crash deal %'")}
    for title, deal in ledger.deals_done.items():
        if title not in made:
            fail(f"{where}: acknowledged deal {title!r} (id {deal}) is gone")
    for title, (deal, status, drafts) in made.items():
        if title not in ledger.deals:
            fail(f"{where}: deal {title!r} is there but nobody asked for it")
        if deal in ledger.won and status != "won":
            fail(f"{where}: deal {title!r}'s win was acknowledged, it is {status}")
        if drafts != (1 if status == "won" else 0):
            fail(f"{where}: deal {title!r} is {status} with {drafts} draft orders")

    for problem in store.soundness():
        fail(f"{where}: the database is not sound: {problem}")


def demo(args, store, environment):
    """The demo company at scale S (`--demo`): realistic volumes, and slower to make and to verify."""
    demo_company(args.kvota, args.database, setup_log(args))
    rep_id, rep = store.rows("""
        SELECT u.id, u.email FROM users u JOIN deals d ON d.owner_id = u.id
        WHERE u.role = 'rep' AND u.active AND d.status = 'open' GROUP BY u.id, u.email ORDER BY COUNT(*) DESC, u.id LIMIT 1""")[0]
    desk = store.rows("SELECT email FROM users WHERE role = 'order_desk' AND active ORDER BY id LIMIT 1")[0][0]
    set_passwords(args.kvota, args.database, (rep, desk), PASSWORD, setup_log(args))
    pipeline = int(store.rows(f"SELECT pipeline_id FROM deals WHERE owner_id = {rep_id} AND status = 'open' "
                              "GROUP BY pipeline_id ORDER BY COUNT(*) DESC, pipeline_id LIMIT 1")[0][0])
    stages = [int(row[0]) for row in store.rows(f"SELECT id FROM stages WHERE pipeline_id = {pipeline} AND outcome = 'open' "
                                                "AND required_fields = '[]' ORDER BY position LIMIT 2")]
    won = int(store.rows(f"SELECT id FROM stages WHERE pipeline_id = {pipeline} AND outcome = 'won' ORDER BY position LIMIT 1")[0][0])
    deals = [int(row[0]) for row in store.rows(f"SELECT id FROM deals WHERE owner_id = {rep_id} AND status = 'open' "
                                               f"AND pipeline_id = {pipeline} ORDER BY id LIMIT 20")]
    facts = {
        "rep": rep, "desk": desk, "pipeline": pipeline, "stages": stages, "won": won, "deals": deals,
        "rep_accounts": [int(row[0]) for row in store.rows(f"SELECT id FROM accounts WHERE owner_id = {rep_id} ORDER BY id LIMIT 20")],
        "accounts": [int(row[0]) for row in store.rows("SELECT id FROM accounts ORDER BY id LIMIT 50")],
        "products": [int(row[0]) for row in store.rows("SELECT id FROM products WHERE active ORDER BY id LIMIT 20")],
        "close": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400)),
        "currency": store.rows(f"SELECT currency FROM deals WHERE owner_id = {rep_id} ORDER BY id LIMIT 1")[0][0],
    }
    if len(stages) < 2 or len(deals) < 4 or not facts["rep_accounts"] or not facts["products"]:
        sys.exit(f"crash-test: the demo company lacks what the load needs: {facts}")
    return facts


def setup_log(args):
    return os.path.join(args.work, "setup.log")


def kvota(args, *arguments, password=None):
    """A `kvota` subcommand on the test's database; its output goes to the work folder's setup.log."""
    run_kvota(args.kvota, args.database, *arguments, log=setup_log(args), password=password)


def small_company(args, store, environment):
    """A company made through the API on an empty database: a rep with twenty customers and deals in a four-stage
    pipeline, an order desk, five products. Seconds to make, and `kvota verify` reads it in a moment."""
    kvota(args, "migrate")
    for email, role in (("admin@crash.test", "admin"), ("rep@crash.test", "rep"), ("desk@crash.test", "order_desk")):
        kvota(args, "user", "add", "--email", email, "--name", role.replace("_", " ").title(), "--role", role, "--password-stdin",
              password=PASSWORD)
    rep_id = int(store.rows("SELECT id FROM users WHERE email = 'rep@crash.test'")[0][0])
    server = Server(args.kvota, args.database, args.work, environment, 0)
    client = Client(server.port)
    auth = client.sign_in("admin@crash.test")

    def made(path, body):
        response, data = client.request("POST", path, body, auth)
        if response.status != 201:
            sys.exit(f"crash-test: setting up, POST {path} answered {response.status}: {data[:300]!r}")
        return json.loads(data)

    response, data = client.request("GET", "/api/v1/settings", headers=auth)
    currency = json.loads(data)["baseCurrency"]
    category = made("/api/v1/product-categories", {"name": "Parts"})["id"]
    products = [made("/api/v1/products", {"sku": f"P-{n}", "name": f"Part {n}", "categoryId": category, "priceMinor": 1_000 * n,
                                          "currency": currency})["id"] for n in range(1, 6)]
    pipeline = made("/api/v1/pipelines", {"name": "Sales", "stages": [
        {"name": name, "position": position, "probability": probability, "outcome": outcome}
        for position, (name, probability, outcome) in enumerate(
            [("New", 10, "open"), ("Talks", 40, "open"), ("Won", 100, "won"), ("Lost", 0, "lost")], start=1)]})
    stages = [stage["id"] for stage in pipeline["stages"]]
    accounts = [made("/api/v1/accounts", {"name": f"Customer {n}", "ownerId": rep_id})["id"] for n in range(1, 21)]
    deals = [made("/api/v1/deals", {"title": f"Deal {n}", "accountId": accounts[n % 20], "pipelineId": pipeline["id"],
                                    "stageId": stages[0], "ownerId": rep_id})["id"] for n in range(20)]
    server.process.terminate()
    server.process.wait(timeout=60)
    return {
        "rep": "rep@crash.test", "desk": "desk@crash.test", "pipeline": pipeline["id"], "stages": stages[:2], "won": stages[2],
        "deals": deals, "rep_accounts": accounts, "accounts": accounts, "products": products,
        "close": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400)), "currency": currency,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kvota", required=True)
    parser.add_argument("--database", required=True, help="an empty database: sqlite:PATH or postgres://…")
    parser.add_argument("--work", required=True, help="a folder for the servers' logs")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--demo", action="store_true", help="the demo company at scale S instead of a small one")
    args = parser.parse_args()
    random.seed(args.seed)
    url, store = args.database, Store(args.database)
    engine = "SQLite" if store.sqlite else "PostgreSQL"

    environment = {"KVOTA_SECRET_KEY": base64.b64encode(os.urandom(32)).decode()}
    started = time.time()
    facts = (demo if args.demo else small_company)(args, store, environment)
    print(f"crash-test: {engine}: {'demo' if args.demo else 'small'} company made in {time.time() - started:.0f} s; "
          f"seed {args.seed}", file=sys.stderr)
    ledger = Ledger()
    starts, check_seconds, verify_seconds = [], [], []
    for round_number in range(1, args.kills + 1):
        server = Server(args.kvota, url, args.work, environment, round_number)
        starts.append(server.start_seconds)
        load = Load(facts, ledger, server.port, round_number)
        if "auth" not in facts:
            # Tokens outlive restarts; signing in once keeps the password hash's cost out of every round.
            client = Client(server.port)
            facts["auth"] = {"rep": client.sign_in(facts["rep"]), "desk": client.sign_in(facts["desk"])}
        load.start()
        for _ in range(4):
            load.writing.acquire(timeout=30)
        time.sleep(random.uniform(0.1, 2.0))
        server.kill()
        load.join()
        began = time.time()
        check(store, ledger, round_number)
        check_seconds.append(time.time() - began)
        began = time.time()
        verified = subprocess.run([args.kvota, "verify", "--database", url, "--log-level", "warning"], capture_output=True, text=True)
        verify_seconds.append(time.time() - began)
        if verified.returncode != 0:
            fail(f"after kill {round_number}: kvota verify found roll-ups that differ from the records:\n{verified.stdout[-2000:]}")
        if failures:
            break
    # The last start: the server comes up on what the last kill left.
    final = Server(args.kvota, url, args.work, environment, args.kills + 1)
    final.kill()
    print(f"crash-test: {engine}: {round_number} kills, {ledger.acknowledged} acknowledged requests "
          f"({len(ledger.orders_done)} orders, {len(ledger.notes_done)} notes, {len(ledger.stage)} deals moved, "
          f"{len(ledger.won)} deals won); restarts took {min(starts):.2f}-{max(starts):.2f} s, "
          f"the checks {min(check_seconds):.1f}-{max(check_seconds):.1f} s, kvota verify {min(verify_seconds):.1f}-{max(verify_seconds):.1f} s",
          file=sys.stderr)
    if failures:
        # The folder goes with the run: what the servers said about their errors is printed here.
        for name in sorted(os.listdir(args.work)):
            with open(os.path.join(args.work, name), errors="replace") as log:
                errors = [line.rstrip() for line in log if " error " in line or " critical " in line]
            for line in errors[:20]:
                print(f"{name}: {line}", file=sys.stderr)
        print(f"crash-test: {engine}: {len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print(f"crash-test: {engine}: OK", file=sys.stderr)


if __name__ == "__main__":
    main()
