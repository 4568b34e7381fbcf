"""Summarises `jfr print --events jdk.ExecutionSample` (stdin): CPU samples per thread kind and per code area."""
import collections
import re
import sys

AREAS = [  # first match wins, looking from the top of the stack down
    ("store: SQLite (xerial JNI)", r"^org\.sqlite\."),
    ("store: PostgreSQL driver", r"^org\.postgresql\.|^com\.zaxxer\."),
    ("switchboard store", r"^dev\.switchboard\.store\."),
    ("switchboard jobs/groups/hub", r"^dev\.switchboard\.core\."),
    ("switchboard server (routes, JSON)", r"^dev\.switchboard\.server\."),
    ("bench load generator", r"^dev\.switchboard\.bench\.|^dev\.switchboard\.cli\."),
    ("Jackson", r"^com\.fasterxml\."),
    ("Netty", r"^io\.netty\."),
    ("JDK HttpClient", r"^jdk\.internal\.net\.http\."),
]


def area(frames):
    for f in frames:
        for name, pattern in AREAS:
            if re.search(pattern, f):
                return name
    return "JDK (threads, futures, collections)"


samples = sys.stdin.read().split("jdk.ExecutionSample")[1:]
threads, areas = collections.Counter(), collections.Counter()
for s in samples:
    t = re.search(r'sampledThread = "([^"]*)"', s)
    threads[re.sub(r"-?\d+", "", t.group(1)) if t else "?"] += 1
    areas[area(re.findall(r"^\s+([\w.$<>]+)\(", s, re.M))] += 1
n = len(samples) or 1
print(f"{len(samples)} CPU samples")
print("\n| thread kind | share |\n|---|---:|")
for k, c in threads.most_common(12):
    print(f"| {k or '(unnamed)'} | {100 * c / n:.0f} % |")
print("\n| code area (first frame of it in the stack) | share |\n|---|---:|")
for k, c in areas.most_common():
    print(f"| {k} | {100 * c / n:.0f} % |")
