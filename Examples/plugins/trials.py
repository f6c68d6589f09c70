#!/usr/bin/env python3
"""A Valley plugin: clinical trials sponsored by the cluster's enterprises.

Python 3 standard library only. It speaks Valley's plugin protocol (docs/plugin-protocol.md)
over stdin and stdout: one JSON object per line. Add it with

    valley> plugin add Examples/plugins/trials.py

The model stays in valley: this plugin asks for records (`get`, `query`) and answers with
tables and a change set, which valley validates against the `trials` kind declared below.
"""
import json
import sys

DECLARATION = {
    "namespace": "trials",
    "summary": "Clinical trials sponsored by the cluster's enterprises.",
    "version": "1.0.0",
    "kinds": [{
        "name": "trials", "label": "trial", "key": "id", "names": ["title"],
        "fields": [
            {"name": "title", "type": "text", "required": True, "help": "the trial's public title"},
            {"name": "sponsor", "type": "text", "required": True, "references": "enterprises", "help": "the sponsoring enterprise"},
            {"name": "phase", "type": "integer", "required": True, "minimum": 1, "maximum": 4, "help": "trial phase, 1 to 4"},
            {"name": "status", "type": "text", "values": ["planned", "recruiting", "active", "completed", "terminated"], "help": "where the trial stands"},
            {"name": "started", "type": "date", "help": "first patient in"},
            {"name": "enrolment", "type": "integer", "minimum": 0, "maximum": 1000000, "help": "patients planned"},
            {"name": "source", "type": "list", "references": "sources", "help": "source ids"},
        ],
    }],
    "commands": [
        {"name": "add", "summary": "Add a trial.",
         "arguments": [{"name": "id", "help": "A new trial id, e.g. NCT05066646."}],
         "options": [
             {"name": "title", "required": True, "help": "The trial's title."},
             {"name": "sponsor", "required": True, "help": "The sponsoring enterprise (id or name).", "complete": {"records": "enterprises"}},
             {"name": "phase", "type": "integer", "required": True, "help": "1 to 4."},
             {"name": "status", "values": ["planned", "recruiting", "active", "completed", "terminated"], "default": "planned", "help": "Where it stands."},
             {"name": "started", "type": "date", "help": "First patient in."},
             {"name": "enrolment", "type": "integer", "help": "Patients planned."},
             {"name": "source", "repeating": True, "help": "A source id (repeat for several).", "complete": {"records": "sources"}},
         ],
         "examples": ["trials add NCT-DEMO-1 --title 'CAR-T in myeloma' --sponsor iaso-bio --phase 2 --source seed-efec-2025"]},
        {"name": "list", "summary": "List trials, with their sponsors' names.",
         "options": [{"name": "where", "help": "A filter over the trials' fields.", "complete": {"filter": "trials"}}],
         "examples": ["trials list --where 'phase >= 2'"]},
        {"name": "show", "summary": "Show one trial and its sponsor.",
         "arguments": [{"name": "id", "help": "The trial.", "complete": {"records": "trials"}}]},
        {"name": "advance", "summary": "Move a trial to its next phase.",
         "arguments": [{"name": "id", "help": "The trial.", "complete": {"records": "trials"}}]},
        {"name": "remove", "summary": "Remove a trial.",
         "arguments": [{"name": "id", "help": "The trial.", "complete": {"records": "trials"}}]},
        {"name": "sponsors", "summary": "Trials per sponsor, and enterprises of a sector with none.",
         "options": [{"name": "sector", "default": "cell-therapy", "help": "The sector whose enterprises are checked.", "complete": {"records": "sectors"}}]},
        {"name": "scan", "summary": "Stream every enterprise through the plugin and count them (a throughput check).",
         "options": [{"name": "fields", "default": "id,name", "help": "Enterprise fields to stream.", "complete": {"fields": "enterprises"}}]},
    ],
}


class HostError(Exception):
    """The host refused a request (unknown kind, bad filter)."""


class Cancelled(Exception):
    """The host sent `cancel`."""


def send(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    message = json.loads(line)
    if message.get("type") == "cancel":
        raise Cancelled()
    return message


class Host:
    """What the plugin may ask of valley during a call."""

    def __init__(self):
        self.request = 0

    def _ask(self, message):
        self.request += 1
        message["request"] = self.request
        send(message)
        return self.request

    def get(self, kind, keys, form="fields"):
        """The records with these keys (None where there is none)."""
        self._ask({"type": "get", "kind": kind, "keys": keys, "form": form})
        answer = receive()
        if answer["type"] == "error":
            raise HostError(answer["message"])
        return answer["records"]

    def query(self, kind, where=None, fields=None, limit=None):
        """Yields each matching record as a dict of the requested fields, streamed."""
        message = {"type": "query", "kind": kind}
        if where is not None:
            message["where"] = where
        if fields is not None:
            message["fields"] = fields
        if limit is not None:
            message["limit"] = limit
        self._ask(message)
        answer = receive()
        if answer["type"] == "error":
            raise HostError(answer["message"])
        names = answer["fields"]
        while True:
            answer = receive()
            if answer["type"] == "end":
                return
            for row in answer["rows"]:
                yield dict(zip(names, row))


def table(columns, rows, name=None):
    result = {"columns": columns, "rows": rows}
    if name:
        result["name"] = name
    return result


def run(command, arguments, host):
    """One command: returns the result message (without its call number)."""
    if command == "add":
        record = {"id": arguments["id"], "title": arguments["title"], "sponsor": arguments["sponsor"],
                  "phase": arguments["phase"], "status": arguments["status"], "source": arguments["source"]}
        # The sponsor may be typed as a name: ask the host for the enterprise by that key first.
        if host.get("enterprises", [record["sponsor"]])[0] is None:
            matches = list(host.query("enterprises", where="name = '%s'" % record["sponsor"].replace("'", ""), fields=["id"], limit=2))
            if len(matches) == 1:
                record["sponsor"] = matches[0]["id"]
        for optional in ("started", "enrolment"):
            if arguments.get(optional) is not None:
                record[optional] = arguments[optional]
        return {"changes": [{"op": "add", "kind": "trials", "record": record}]}
    if command == "list":
        trials = list(host.query("trials", where=arguments.get("where"), fields=["id", "title", "sponsor", "phase", "status"]))
        sponsors = host.get("enterprises", sorted({t["sponsor"] for t in trials})) if trials else []
        names = {s["id"]: s["name"] or s["name-zh"] for s in sponsors if s}
        rows = [[t["id"], t["title"], names.get(t["sponsor"], t["sponsor"]), t["phase"], t["status"]] for t in trials]
        return {"tables": [table(["id", "title", "sponsor", "phase", "status"], rows)]}
    if command == "show":
        trial = host.get("trials", [arguments["id"]])[0]
        if trial is None:
            return {"type": "error", "message": "no trial '%s'" % arguments["id"]}
        sponsor = host.get("enterprises", [trial["sponsor"]])[0] or {}
        rows = [[key, value if not isinstance(value, list) else ", ".join(value)] for key, value in trial.items() if value is not None]
        rows.append(["sponsor name", sponsor.get("name") or sponsor.get("name-zh") or ""])
        return {"tables": [table(["field", "value"], rows)]}
    if command == "advance":
        trial = host.get("trials", [arguments["id"]], form="stored")[0]
        if trial is None:
            return {"type": "error", "message": "no trial '%s'" % arguments["id"]}
        trial["phase"] += 1  # valley refuses phase 5: the kind's maximum is 4
        return {"changes": [{"op": "update", "kind": "trials", "record": trial}],
                "tables": [table(["id", "phase"], [[trial["id"], trial["phase"]]])]}
    if command == "remove":
        return {"changes": [{"op": "remove", "kind": "trials", "key": arguments["id"]}]}
    if command == "sponsors":
        counts = {}
        for trial in host.query("trials", fields=["sponsor"]):
            counts[trial["sponsor"]] = counts.get(trial["sponsor"], 0) + 1
        rows = []
        for enterprise in host.query("enterprises", where="sector = '%s'" % arguments["sector"], fields=["id", "name"]):
            rows.append([enterprise["id"], enterprise["name"], counts.get(enterprise["id"], 0)])
        rows.sort(key=lambda row: (-row[2], row[0]))
        without = sum(1 for row in rows if row[2] == 0)
        return {"tables": [table(["enterprise", "name", "trials"], rows)],
                "notes": ["%d of %d %s enterprises sponsor no trial here" % (without, len(rows), arguments["sector"])]}
    if command == "scan":
        count = 0
        for _ in host.query("enterprises", fields=arguments["fields"].split(",")):
            count += 1
        return {"tables": [table(["enterprises streamed"], [[count]])]}
    return {"type": "error", "message": "unknown command '%s'" % command}


def main():
    hello = receive()
    spoken = [version for version in (2, 1) if version in hello.get("protocols", [])]
    if not spoken:
        send({"type": "hello", "protocols": [1, 2]})
        return
    send({"type": "hello", "protocol": spoken[0], "declaration": DECLARATION})
    while True:
        try:
            message = receive()
        except Cancelled:
            continue
        if message["type"] == "call":
            try:
                result = run(message["command"], message["arguments"], Host())
            except Cancelled:
                sys.exit(0)  # valley asked us to stop: nothing we would send is applied
            except HostError as error:
                result = {"type": "error", "message": str(error)}
            result.setdefault("type", "result")
            result["call"] = message["call"]
            send(result)
        elif message["type"] == "complete":
            send({"type": "completions", "call": message["call"], "values": []})


if __name__ == "__main__":
    main()
