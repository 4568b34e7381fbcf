#!/usr/bin/env python3
"""A Switchboard job worker with nothing but Python's standard library: no SDK needed.

    python3 worker.py --url http://127.0.0.1:8080 --type thumbnail [--max-jobs N]

It long-polls for a job of its type, reports progress (which also renews its lease and tells it
when the job was cancelled), and completes the job with a result, or fails it with the error so
the server retries it with backoff. Jobs whose payload has "fail": true fail on purpose, to show
retries; "steps" sets how many progress reports a job makes.
"""
import argparse
import json
import sys
import urllib.error
import urllib.request


def call(url, path, body=None, timeout=60):
    """POSTs JSON (or nothing); returns (status, parsed JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method="POST",
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def work(payload, report):
    """The job itself: uppercases payload["text"] in a few reported steps."""
    steps = int(payload.get("steps", 2))
    for i in range(steps):
        if not report(int(100 * (i + 1) / (steps + 1)), f"step {i + 1} of {steps}"):
            return None  # cancelled: stop without a result
    if payload.get("fail"):
        raise RuntimeError("asked to fail")
    return {"text": str(payload.get("text", "")).upper(), "worker": "python"}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--type", required=True)
    p.add_argument("--max-jobs", type=int, default=0, help="exit after this many jobs (0: run until stopped)")
    args = p.parse_args()
    done = 0
    while args.max_jobs == 0 or done < args.max_jobs:
        status, claim = call(args.url, f"/v1/workers/claim?type={args.type}&wait=10s&lease=30s", timeout=30)
        if status == 204:
            continue  # nothing to do within the wait: ask again
        if status != 200:
            sys.exit(f"claim failed: {status} {claim}")
        job, lease = claim["job"], claim["lease"]
        jid = job["id"]

        def report(percent, message):
            s, j = call(args.url, f"/v1/jobs/{jid}/progress", {"lease": lease, "percent": percent, "message": message})
            return s == 200 and j["status"] == "running"

        try:
            result = work(job.get("payload") or {}, report)
            if result is not None:
                status, answer = call(args.url, f"/v1/jobs/{jid}/complete", {"lease": lease, "result": result})
                print(f"{jid} {answer['status'] if status == 200 else status}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure goes back to the server, which decides on a retry
            status, answer = call(args.url, f"/v1/jobs/{jid}/fail", {"lease": lease, "error": str(e)})
            print(f"{jid} attempt {job['attempt']} failed: {e} -> {answer['status'] if status == 200 else status}", flush=True)
        done += 1


if __name__ == "__main__":
    main()
