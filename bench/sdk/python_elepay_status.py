#!/usr/bin/env python3
"""The light charge status poll (GET /charges/{id}/status) through elepay's official Python SDK
(elepay-python-sdk 1.2.0), timed the way `regi-bench client --provider elepay` times regi's own
client: one client (one kept-alive urllib3 pool), warm-up first, then N calls.

Run by `regi-bench client --provider elepay --compare "python3 bench/sdk/python_elepay_status.py"`,
which sets ELEPAY_API_BASE_URL, ELEPAY_SECRET_KEY, REGI_BENCH_CHARGE and REGI_BENCH_CALLS. Prints
one JSON line. The SDK must be importable (e.g. the Python of a venv it is installed in).
"""

import json
import os
import statistics
import sys
import time

try:
    from elepay.api_client import ApiClient, Configuration
    from elepay.apis.tags.charge_api import ChargeApi
except ImportError as err:
    sys.exit(f"the official elepay Python SDK is not importable: {err}")


def main():
    base_url = os.environ["ELEPAY_API_BASE_URL"]
    charge = os.environ["REGI_BENCH_CHARGE"]
    calls = int(os.environ.get("REGI_BENCH_CALLS", "1000"))
    configuration = Configuration(os.environ["ELEPAY_SECRET_KEY"])
    configuration.host = base_url
    charges = ChargeApi(ApiClient(configuration))

    def call():
        response = charges.retrieve_charge_status(path_params={"id": charge})
        if response.response.status != 200:
            sys.exit(f"retrieveChargeStatus answered HTTP {response.response.status}")

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
