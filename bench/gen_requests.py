#!/usr/bin/env python3
"""Write pre-signed Stripe webhook requests for wrk.

Each output file contains one wrk thread's requests: a first line with the record length in bytes, then complete raw
HTTP/1.1 requests of exactly that length, back to back. Every request carries a unique Stripe event id and a
Stripe-Signature header (t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>) signed at generation time, so the
files must be used within the service's signature tolerance (300 s by default). The event id and the person id are
zero-padded so that every record in a file has the same length, which lets the Lua script read them with one
fixed-size read each.
"""

import argparse
import hashlib
import hmac
import os
import sys
import time

SAMPLE_EVENT_ID = b'"evt_1FAKEaaaaaaaaaaaaaaaaA01"'
SAMPLE_USER_ID = b'"u_8812"'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", required=True, help="Stripe event JSON whose id is replaced in each request")
    parser.add_argument("--host", required=True, help="Host header value, e.g. 127.0.0.1:18080")
    parser.add_argument("--path", required=True, help="request path, e.g. /webhooks/stripe/acc_...")
    parser.add_argument("--secret", required=True, help="the account's Stripe signing secret")
    parser.add_argument("--label", required=True, help="letters and digits that make this run's event ids unique")
    parser.add_argument("--threads", type=int, default=2, help="number of files, one per wrk thread")
    parser.add_argument("--per-thread", type=int, required=True, help="requests written to each file")
    parser.add_argument("--persons", type=int, default=100000, help="number of distinct person ids to cycle through")
    parser.add_argument("--out", required=True, help="path prefix of the files; thread N goes to PREFIX-N.req")
    return parser.parse_args()


def main():
    args = parse_args()
    with open(args.sample, "rb") as sample_file:
        sample = sample_file.read()
    for marker in (SAMPLE_EVENT_ID, SAMPLE_USER_ID):
        if sample.count(marker) != 1:
            sys.exit(f"{args.sample}: expected exactly one {marker.decode()} to replace")

    secret = args.secret.encode()
    seq_width = len(str(args.threads * args.per_thread))
    person_width = len(str(args.persons))
    timestamp = str(int(time.time())).encode()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)

    record_length = None
    for thread in range(args.threads):
        name = f"{args.out}-{thread}.req"
        with open(name, "wb") as out:
            for i in range(args.per_thread):
                seq = thread * args.per_thread + i
                event_id = f'"evt_bench_{args.label}_{seq:0{seq_width}d}"'.encode()
                user_id = f'"u_bench_{seq % args.persons:0{person_width}d}"'.encode()
                body = sample.replace(SAMPLE_EVENT_ID, event_id).replace(SAMPLE_USER_ID, user_id)
                signature = hmac.new(secret, timestamp + b"." + body, hashlib.sha256).hexdigest()
                request = (
                    f"POST {args.path} HTTP/1.1\r\n"
                    f"Host: {args.host}\r\n"
                    "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)\r\n"
                    "Content-Type: application/json; charset=utf-8\r\n"
                    f"Stripe-Signature: t={timestamp.decode()},v1={signature}\r\n"
                    f"Content-Length: {len(body)}\r\n"
                    "\r\n"
                ).encode() + body
                if record_length is None:
                    record_length = len(request)
                elif len(request) != record_length:
                    sys.exit(f"request {seq} is {len(request)} bytes, not {record_length}; ids must be fixed-width")
                if i == 0:
                    out.write(f"{record_length}\n".encode())
                out.write(request)
    print(f"wrote {args.threads} x {args.per_thread} requests of {record_length} bytes to {args.out}-*.req "
          f"(signed at t={timestamp.decode()})")


if __name__ == "__main__":
    main()
