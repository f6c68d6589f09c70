#!/usr/bin/env python3
"""A plugin pinned to protocol version 1, the first one valley shipped: it must keep working
with every later valley (the host speaks every protocol version it has shipped). Kept as it
was written; do not update it. Python 3 standard library only."""
import json
import sys


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


DECLARATION = {
    "namespace": "echo",
    "summary": "Protocol-1 fixture: echoes words and counts records.",
    "commands": [
        {"name": "say", "summary": "Echo the words back as a table.",
         "arguments": [{"name": "words", "repeating": True, "help": "Words to echo."}]},
        {"name": "count", "summary": "Count the records of a kind that match a filter.",
         "arguments": [{"name": "kind", "help": "A kind, e.g. enterprises."}],
         "options": [{"name": "where", "help": "A filter."}]},
    ],
}


def main():
    hello = receive()
    if 1 not in hello.get("protocols", []):
        send({"type": "hello", "protocols": [1]})
        return
    send({"type": "hello", "protocol": 1, "declaration": DECLARATION})
    while True:
        message = receive()
        if message["type"] != "call":
            continue
        arguments = message["arguments"]
        if message["command"] == "say":
            send({"type": "result", "call": message["call"],
                  "tables": [{"columns": ["word"], "rows": [[word] for word in arguments["words"]]}]})
            continue
        query = {"type": "query", "request": 1, "kind": arguments["kind"]}
        if arguments.get("where") is not None:
            query["where"] = arguments["where"]
        send(query)
        answer = receive()
        if answer["type"] == "error":
            send({"type": "error", "call": message["call"], "message": answer["message"]})
            continue
        count = 0
        while True:
            answer = receive()
            if answer["type"] == "end":
                break
            count += len(answer["rows"])
        send({"type": "result", "call": message["call"], "tables": [{"columns": ["kind", "count"], "rows": [[arguments["kind"], count]]}]})


if __name__ == "__main__":
    main()
