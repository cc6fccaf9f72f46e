#!/usr/bin/env python3
"""Checks every object of a `podplay run -o json` watch stream (stdin) against
the official Kubernetes JSON schemas, strict (unknown fields are errors):
kubernetes-validate (PyPI). Prints `N objects, M invalid` per kind and exits
1 if any is invalid.

    cargo run -q --bin podplay -- run example:daemonset -o json \\
        | python3 scripts/validate_watch.py --version 1.33
"""
import argparse
import collections
import json
import sys

import kubernetes_validate


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", default="1.33", help="Kubernetes schema version")
    args = ap.parse_args()
    counts = collections.Counter()
    bad = collections.Counter()
    for n, line in enumerate(sys.stdin, 1):
        obj = json.loads(line)["object"]
        kind = obj.get("kind", "?")
        counts[kind] += 1
        try:
            kubernetes_validate.validate(obj, args.version, strict=True)
        except Exception as e:  # ValidationError, InvalidSchemaError, …
            bad[kind] += 1
            if bad[kind] <= 3:
                print(f"line {n}: {kind}: {str(e).splitlines()[0]}", file=sys.stderr)
    for kind in sorted(counts):
        print(f"{kind}: {counts[kind]} objects, {bad[kind]} invalid")
    return 1 if sum(bad.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
