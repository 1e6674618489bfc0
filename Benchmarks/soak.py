#!/usr/bin/env python3
"""Issue 13's soak, run by scripts/soak: a release `kvota serve` on the demo company at a scale under a sales floor's
mixed traffic for many minutes at once (reps reading records and pages and writing activities and moving deals, a
head's KPIs, a director's analyses), one wrk per kind of traffic, all at the same time, a minute at a time. Prints a
line a minute (requests a second, latency, errors, the server's own memory) and a verdict: no errors, memory after
warm-up grows less than 10 %, and the last minutes' p99 within twice the first's. Exits 1 when the verdict fails.
On PostgreSQL each line also says what the server did by itself that minute (checkpoints, autovacuum and autoanalyze
by table), since a slower stretch with memory and errors unmoved points there first.

Not part of the tests; see `scripts/soak --help`.
"""
import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import PASSWORD, Client, Server, open_deals, rep_records, wrk  # noqa: E402
from kvota_harness import Store  # noqa: E402  (bench put Tests/Support on the path)


def postgres_work(store):
    """What PostgreSQL has done by itself since it started: checkpoints and the buffers they wrote, and each table's
    autovacuums and autoanalyzes. Nil on SQLite."""
    if store.sqlite:
        return None
    # PostgreSQL 17 moved the checkpoint counters out of pg_stat_bgwriter.
    if int(store.value("SHOW server_version_num")) >= 170000:
        checkpoints, buffers = store.rows("SELECT num_timed + num_requested, buffers_written FROM pg_stat_checkpointer")[0]
    else:
        checkpoints, buffers = store.rows("SELECT checkpoints_timed + checkpoints_req, buffers_checkpoint FROM pg_stat_bgwriter")[0]
    tables = {name: (int(vacuums), int(analyzes))
              for name, vacuums, analyzes in store.rows("SELECT relname, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables")}
    return int(checkpoints), int(buffers), tables


def postgres_minute(before, after):
    """One minute's own work of PostgreSQL, as a table cell: "1 checkpoint (8 MiB); vacuum deals; analyze activities"."""
    if before is None or after is None:
        return None
    parts = []
    checkpoints, buffers = after[0] - before[0], after[1] - before[1]
    if checkpoints:
        parts.append(f"{checkpoints} checkpoint{'s' if checkpoints > 1 else ''} ({buffers * 8 / 1024:.0f} MiB)")
    for index, word in ((0, "vacuum"), (1, "analyze")):
        names = sorted(name for name, counts in after[2].items() if counts[index] > before[2].get(name, (0, 0))[index])
        if names:
            parts.append(f"{word} {', '.join(names)}")
    return "; ".join(parts) or "–"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kvota", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", default="M")
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=5, help="minutes before memory and latency are compared")
    args = parser.parse_args()
    store = Store(args.database)
    subprocess.run([args.kvota, "migrate", "--database", args.database, "--log-level", "warning"], check=True, stdout=subprocess.DEVNULL)

    director = store.value("SELECT email FROM users WHERE role = 'director' AND active = TRUE ORDER BY id LIMIT 1")
    # The reps of one team and their head: a sales floor's worth of people, one wrk connection each.
    team = int(store.value("""
        SELECT u.team_id FROM users u JOIN deals d ON d.owner_id = u.id
        WHERE u.role = 'rep' AND u.active = TRUE AND d.status = 'open' GROUP BY u.team_id ORDER BY COUNT(*) DESC LIMIT 1"""))
    rep_id, rep = store.rows(f"""
        SELECT u.id, u.email FROM users u JOIN deals d ON d.owner_id = u.id
        WHERE u.role = 'rep' AND u.active = TRUE AND u.team_id = {team} AND d.status = 'open'
        GROUP BY u.id, u.email ORDER BY COUNT(*) DESC, u.id LIMIT 1""")[0]
    head = store.value(f"SELECT email FROM users WHERE role = 'head' AND active = TRUE AND team_id = {team} ORDER BY id LIMIT 1") or director
    # Every rep of the team writes to their own open deals, so the writes spread as a floor's do instead of piling a
    # whole soak's activities and moves onto one rep's few deals (the first soak made 40 deals' pages slow that way).
    writers = store.rows(f"""
        SELECT u.id, u.email FROM users u WHERE u.role = 'rep' AND u.active = TRUE AND u.team_id = {team} ORDER BY u.id""")
    for email in {director, rep, head} | {email for _, email in writers}:
        subprocess.run([args.kvota, "user", "set-password", email, "--password-stdin", "--database", args.database, "--log-level", "warning"],
                       input=PASSWORD, text=True, check=True, stdout=subprocess.DEVNULL)
    as_of = store.value("SELECT value FROM settings WHERE key = 'demo.as_of'")
    year, month = int(as_of[:4]), int(as_of[5:7])
    ytd, last12 = f"from={year}-01-01&to={as_of}", f"from={year - 1}-{as_of[5:7]}-01&to={as_of}"
    pipeline, stages, _, pages, phones = rep_records(store, rep_id)

    server = Server(args.kvota, args.database)
    client = Client(server.port)
    tokens = {"rep": client.token(rep), "head": client.token(head), "director": client.token(director),
              "rep page": client.session(rep), "head page": client.session(head)}
    written = []  # (token, deal): each writer's open deals in the pipeline, dealt out in turn
    for writer_id, email in writers:
        token = client.token(email)
        written.append([(token, deal) for deal in open_deals(store, pipeline, int(writer_id))])
    written = [pair for turn in itertools.zip_longest(*written) for pair in turn if pair]
    tokens["writers"] = [token for token, _ in written]
    tokens["movers"] = tokens["writers"] * 2
    deals = [deal for _, deal in written]
    # (name, paths, who, connections, method, bodies): one wrk each, all running at once.
    traffic = [
        ("API reads", [f"/api/v1/deals/{deal}" for deal in pages] + [f"/api/v1/deals?status=open&team={team}&limit=50"] * 50
         + ["/api/v1/search?q=0" + phone[3:] for phone in phones], "rep", 8, "GET", None),
        ("pages", ["/"] + [f"/deals/{deal}" for deal in pages[:100]] + [f"/board?team={team}&pipeline={pipeline}"], "rep page", 4, "GET", None),
        ("team pages", ["/team", f"/team/daily?team={team}", "/plans"], "head page", 1, "GET", None),
        ("KPIs, plan, forecast", [f"/api/v1/kpis?scope=team:{team}", f"/api/v1/plans/progress?scope=team:{team}&period={year}-{month:02}",
                                  f"/api/v1/forecast?scope=team:{team}"], "head", 1, "GET", None),
        ("analyses", [f"/api/v1/analytics/dynamics?{ytd}", f"/api/v1/analytics/abc?{last12}&limit=100", f"/api/v1/analytics/territory?{ytd}",
                      f"/api/v1/analytics/funnel?pipeline={pipeline}&{ytd}", f"/api/v1/analytics/concentration?{last12}"], "director", 1, "GET", None),
        ("activities written", ["/api/v1/activities"] * len(deals), "writers", 2, "POST",
         [{"kind": "note", "subject": "Soak note", "dealId": deal} for deal in deals]),
        ("deals moved", [f"/api/v1/deals/{deal}" for deal in deals] * 2, "movers", 1, "PATCH",
         [{"stageId": stages[1]} for _ in deals] + [{"stageId": stages[0]} for _ in deals]),
    ]

    print(f"soak: {args.minutes} minutes at scale {args.scale} on {'SQLite' if store.sqlite else 'PostgreSQL'}, "
          f"{os.cpu_count()} cores, start-up {server.startup:.2f} s; {len(writers)} reps write to {len(deals)} deals",
          file=sys.stderr)
    work = postgres_work(store)
    header = "| minute | " + " | ".join(f"{name} /s, p99 ms" for name, *_ in traffic) + " | errors | own memory MiB |"
    print(header + (" PostgreSQL's own work |" if work else ""))
    print("|" + "---:|" * (len(traffic) + 3) + ("---|" if work else ""))
    minutes = []
    with tempfile.TemporaryDirectory() as folder:
        for minute in range(1, args.minutes + 1):
            results = [None] * len(traffic)

            def run(index, name, paths, who, connections, method, bodies):
                os.makedirs(os.path.join(folder, str(index)), exist_ok=True)
                results[index] = wrk(server.port, name, paths, tokens[who], connections, 60, method, bodies, os.path.join(folder, str(index)))

            threads = [threading.Thread(target=run, args=(index, *kind)) for index, kind in enumerate(traffic)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            errors = sum(figures["non_2xx"] + figures["socket_errors"] for figures in results)
            memory = server.rss
            minutes.append((results, errors, memory))
            cells = " | ".join(f"{figures['requests'] / figures['seconds']:.0f}, {figures['p99_us'] / 1000:.0f}" for figures in results)
            before, work = work, postgres_work(store)
            own = postgres_minute(before, work)
            print(f"| {minute} | {cells} | {errors} | {memory / 2**20:.0f} |" + (f" {own} |" if own else ""), flush=True)
    server.stop()

    warm = minutes[min(args.warm_up, len(minutes)) - 1:]
    errors = sum(errors for _, errors, _ in minutes)
    start_memory, end_memory = warm[0][2], max(memory for _, _, memory in warm[-3:])
    growth = (end_memory - start_memory) / start_memory * 100 if start_memory else 0
    reads_p99 = [results[0]["p99_us"] / 1000 for results, _, _ in warm]
    early, late = max(reads_p99[:3]), max(reads_p99[-3:])
    total = sum(figures["requests"] for results, _, _ in minutes for figures in results)
    print()
    print(f"{total} requests in {len(minutes)} minutes ({total / (60 * len(minutes)):.0f}/s), {errors} errors; "
          f"the server's own memory (RssAnon) {start_memory / 2**20:.0f} MiB after warm-up, {end_memory / 2**20:.0f} MiB at the end "
          f"({growth:+.1f} %); API reads' p99 {early:.0f} ms in the first minutes after warm-up, {late:.0f} ms in the last; "
          f"database {store.size() / 2**30:.2f} GiB")
    failed = [what for what, bad in [("errors", errors > 0), ("memory grew 10 % or more", growth >= 10),
                                     ("latency doubled", late > 2 * max(early, 1))] if bad]
    print("soak: " + ("FAILED: " + ", ".join(failed) if failed else "OK"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
