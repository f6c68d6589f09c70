#!/usr/bin/env python3
"""The recovery journal's cost per command (issue 12): drives `valley` on a pseudo-terminal and
times the same commands with the journal off (no state folder: HOME and XDG_STATE_HOME unset)
and on, alternating, three times.

    python3 Tests/Bench/journal-cost.py VALLEY N STATE_DIR [COMMAND...]

With no COMMAND: N alternating `registry update iaso-bio --headcount 5|6` (each one a change)."""
import os, pty, time, sys, select
V = sys.argv[1]; n = int(sys.argv[2]); state = sys.argv[3]; extra = sys.argv[4:]
def run(cmds, journal):
    pid, fd = pty.fork()
    if pid == 0:
        env = {"NO_COLOR": "1", "TERM": "dumb", "PATH": os.environ["PATH"]}
        if journal: env.update({"XDG_STATE_HOME": state, "HOME": state})
        os.execve(V, [V, "--no-rc"], env)
    buf = b""
    def wait_prompt():
        nonlocal buf
        while not buf.endswith(b"valley> "):
            r, _, _ = select.select([fd], [], [], 120)
            if not r: raise SystemExit("timeout: " + buf[-300:].decode(errors="replace"))
            buf += os.read(fd, 65536)
        out = buf; buf = b""; return out
    wait_prompt()
    t = time.perf_counter()
    for c in cmds:
        os.write(fd, (c + "\r").encode()); out = wait_prompt()
    el = time.perf_counter() - t
    os.kill(pid, 9); os.waitpid(pid, 0)
    return el, out
cmds = extra or ["registry update iaso-bio --headcount %d" % (i % 2 + 5) for i in range(n)]
for _ in range(3):
    off, _ = run(cmds, False); on, out = run(cmds, True)
    print(f"journal off: {off/len(cmds)*1000:.3f} ms/cmd   on: {on/len(cmds)*1000:.3f} ms/cmd   cost {(on-off)/len(cmds)*1000:.3f} ms/cmd ({on/off:.2f}x)")
