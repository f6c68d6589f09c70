#!/usr/bin/env python3
"""A Valley plugin that misbehaves on purpose: each command breaks the protocol in one way,
so that the example session (Examples/plugins.valley) shows what valley does about it: one
line of error, the model unchanged, the shell going on, the plugin started afresh.
Python 3 standard library only."""
import json
import os
import signal
import sys
import time

DECLARATION = {
    "namespace": "faulty",
    "summary": "A plugin that fails in every way a plugin can (for the examples and tests).",
    "kinds": [{"name": "probes", "label": "probe", "fields": [{"name": "note", "type": "text", "required": True}]}],
    "commands": [
        {"name": "ping", "summary": "Answer with one row and add a probe.", "arguments": [{"name": "id", "help": "A probe id."}]},
        {"name": "crash", "summary": "Die of SIGSEGV in the middle of the call."},
        {"name": "exit", "summary": "Ask the host for a record, then exit without answering."},
        {"name": "hang", "summary": "Never answer."},
        {"name": "garbage", "summary": "Answer with text that is not a protocol message."},
        {"name": "half-change", "summary": "Answer with a change set whose second change is invalid."},
    ],
}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    hello = json.loads(sys.stdin.readline())
    send({"type": "hello", "protocol": max(v for v in hello["protocols"] if v in (1, 2)), "declaration": DECLARATION})
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] != "call":
            continue
        command, call = message["command"], message["call"]
        if command == "ping":
            probe = message["arguments"]["id"]
            send({"type": "result", "call": call, "tables": [{"columns": ["answer", "probe"], "rows": [["pong", probe]]}],
                  "changes": [{"op": "add", "kind": "probes", "record": {"id": probe, "note": "ping"}}]})
        elif command == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif command == "exit":
            send({"type": "get", "request": 1, "kind": "enterprises", "keys": ["iaso-bio"]})
            sys.stdin.readline()
            sys.exit(3)
        elif command == "hang":
            time.sleep(3600)
        elif command == "garbage":
            sys.stdout.write("Traceback (most recent call last): this is not JSON\n")
            sys.stdout.flush()
        elif command == "half-change":
            send({"type": "result", "call": call, "changes": [
                {"op": "add", "kind": "probes", "record": {"id": "half-1", "note": "fine"}},
                {"op": "add", "kind": "probes", "record": {"id": "half-2", "note": 42}},
            ]})


if __name__ == "__main__":
    main()
