#!/usr/bin/env python3
"""Issue 13's API fuzz test, run by scripts/fuzz-test: schemathesis (PyPI) generates requests from Kvota's own
OpenAPI document (/api/v1/openapi.json) for every operation, signed in as each role in turn, against `kvota serve`
on the demo company.

It checks what docs/api.md ("Fuzzing") promises:
- no answer is a 5xx, whatever the request;
- every answer has a status, content type, headers and body the document declares for it, and a method an address
  does not take answers 405;
- a request the document does not allow (a wrong type, a field the operation does not have) is refused;
- an operation that needs signing in refuses a request without the token, and a record deleted is gone;
- afterwards the database is sound (SQLite's integrity and foreign-key checks, or PostgreSQL's pg_amcheck), the
  roll-ups still equal the records (`kvota verify`), and the server logged no error.

A request the document allows is not checked for being accepted: the document names each field's type, not every
rule behind it (a time zone's name, a month in a plan's year), so such a request may be refused with a 422 naming
the field, as it should be. Exits non-zero with the failures schemathesis reports and its reproducing curl commands.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Support"))
from kvota_harness import ServerDidNotStart, Store, demo_company, fail, failures, serve, set_passwords  # noqa: E402

PASSWORD = "fuzz-password-1"
# The admin goes last: its generated changes may switch other people off or change their roles.
ROLES = ["rep", "order_desk", "head", "director", "analyst", "admin"]
# Every check but one: a request the document allows may still break a rule it does not state (docs/api.md, "Fuzzing").
UNCHECKED = ["positive_data_acceptance"]
# Signing out would end the run's own token, and every later case would test only the 401.
EXCLUDED = ["delete_auth_token"]


def token(port, email):
    import http.client
    import json
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/api/v1/auth/token", json.dumps({"email": email, "password": PASSWORD}), {"content-type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit(f"fuzz-test: sign-in of {email}: {response.status} {data[:200]!r}")
    return json.loads(data)["token"]


def fuzz(args, port, role, bearer):
    """One schemathesis run as one person; answers the number of cases it generated."""
    log = os.path.join(args.work, f"schemathesis-{role}.log")
    # Beside this Python's own executable, where pip put it, whether or not that folder is on PATH.
    beside = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    command = [beside if os.path.exists(beside) else "schemathesis", "run", f"http://127.0.0.1:{port}/api/v1/openapi.json", "--header", f"Authorization: Bearer {bearer}",
               "--checks", "all", "--exclude-checks", ",".join(UNCHECKED), "--max-examples", str(args.examples), "--seed", str(args.seed), "--workers", "2",
               "--request-timeout", "60", "--no-color"]
    for operation in EXCLUDED:
        command += ["--exclude-operation-id", operation]
    started = time.time()
    with open(log, "w") as out:
        # In the work folder, where schemathesis keeps its cache (.schemathesis), not in the checkout.
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=args.work)
    text = open(log).read()
    generated = re.search(r"(\d+) generated", text)
    cases = int(generated.group(1)) if generated else 0
    print(f"fuzz-test: {role}: {cases} cases in {time.time() - started:.0f} s", file=sys.stderr)
    if done.returncode != 0:
        # The failures section names each operation, the check, the answer and a curl command that reproduces it.
        report = text[text.find("=== FAILURES"):] if "=== FAILURES" in text else text[-6000:]
        fail(f"as {role}, schemathesis found problems (seed {args.seed}, {args.examples} examples):\n{report[:20000]}")
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kvota", required=True)
    parser.add_argument("--database", required=True, help="sqlite:PATH or a postgres:// URL of an empty database")
    parser.add_argument("--work", required=True, help="a folder for the logs")
    parser.add_argument("--examples", type=int, default=10, help="cases per operation and phase (default 10)")
    # Fixed, so that the test command fails only on a change; other seeds explore further (docs/api.md, "Fuzzing").
    parser.add_argument("--seed", type=int, default=1, help="schemathesis's seed (default 1)")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated, in order (default: all, the admin last)")
    args = parser.parse_args()
    store = Store(args.database)

    setup_log = os.path.join(args.work, "setup.log")
    demo_company(args.kvota, args.database, setup_log)
    people = {}
    for role in args.roles.split(","):
        people[role] = store.value(f"SELECT email FROM users WHERE role = '{role}' AND active = TRUE ORDER BY id LIMIT 1")
        if people[role] is None:
            sys.exit(f"fuzz-test: the demo has no {role}")
    set_passwords(args.kvota, args.database, people.values(), PASSWORD, setup_log)

    # The per-person request limit is off: one person sends every case, and the limit has its own tests. Webhook
    # deliveries are off: a generated subscription's address may be anywhere, and the tests use no network but
    # 127.0.0.1.
    environment = {"KVOTA_REQUESTS_PER_MINUTE": "0", "KVOTA_SCORE_EVERY": "0", "KVOTA_WEBHOOKS_EVERY": "0"}
    log = open(os.path.join(args.work, "serve.log"), "w")
    try:
        server, port, _ = serve(args.kvota, args.database, log, environment)
    except ServerDidNotStart as error:
        sys.exit(f"fuzz-test: {error}:\n" + "".join(open(log.name).readlines()[-30:]))
    cases = 0
    try:
        for role, email in people.items():
            cases += fuzz(args, port, role, token(port, email))
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()

    problems = store.soundness()
    if problems:
        fail("the database is not sound after the fuzzing: " + "; ".join(problems))
    verify = subprocess.run([args.kvota, "verify", "--database", args.database, "--log-level", "warning"], capture_output=True, text=True)
    if verify.returncode != 0:
        fail(f"kvota verify after the fuzzing: {verify.stdout[-2000:]}{verify.stderr[-2000:]}")
    errors = [line for line in open(log.name) if " error " in line or " critical " in line]
    if errors:
        fail("the server logged errors:\n" + "".join(errors[:20]))

    if failures:
        print(f"fuzz-test: {len(failures)} problem(s) in {cases} cases on {args.database.split(':')[0]}", file=sys.stderr)
        sys.exit(1)
    print(f"fuzz-test: OK: {cases} cases as {len(people)} roles on {args.database.split(':')[0]}, no 5xx, every answer as "
          "documented, the database sound and its roll-ups exact", file=sys.stderr)


if __name__ == "__main__":
    main()
