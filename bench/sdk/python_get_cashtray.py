#!/usr/bin/env python3
"""GetCashtray through the official Pokepay Python SDK (pokepay_partner_python_sdk), timed the way
`regi-bench client` times regi's own client: one kept-alive session, warm-up first, then N calls.

Run by `regi-bench client --compare "python3 bench/sdk/python_get_cashtray.py"`, which sets
POKEPAY_PARTNER_CONFIG_FILE, REGI_BENCH_CASHTRAY and REGI_BENCH_CALLS. Prints one JSON line.
The SDK must be importable (e.g. PYTHONPATH pointing at a checkout of it).
"""

import json
import os
import statistics
import sys
import time

try:
    import pokepay
    from pokepay.client import Client
except ImportError as err:
    sys.exit(f"the official Pokepay Python SDK is not importable: {err}")


def main():
    ini = os.environ["POKEPAY_PARTNER_CONFIG_FILE"]
    tray = os.environ["REGI_BENCH_CASHTRAY"]
    calls = int(os.environ.get("REGI_BENCH_CALLS", "1000"))
    client = Client(ini)

    def call():
        response = client.send(pokepay.GetCashtray(tray))
        if response.status_code != 200:
            sys.exit(f"GetCashtray answered HTTP {response.status_code}")

    for _ in range(50):
        call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    samples.sort()
    p99 = samples[max(0, -(-len(samples) * 99 // 100) - 1)]
    print(json.dumps({
        "name": "Python SDK",
        "calls": len(samples),
        "p50_us": round(statistics.median(samples) * 1e6),
        "p99_us": round(p99 * 1e6),
    }))


if __name__ == "__main__":
    main()
