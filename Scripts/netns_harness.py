#!/usr/bin/env python3
"""A distributed FTW run across real network hops on one machine: the Reverb server, the learner
and two actors as four hosts in network namespaces, joined by veth pairs on a bridge, with a delay
each way and connections dropped now and then on the links, and one actor host cut off and
restored mid-run. Needs root and iproute2; the ftw binary must be built with --traits Distributed.

    sudo python3 Scripts/netns_harness.py --ftw .build/release/ftw [--minutes 2] [--delay-ms 20]

Each client host reaches the server at 10.77.0.1:8000 through a relay of its own (this script's
`relay` command, in the host's namespace): a TCP proxy that holds every segment for --delay-ms in
each direction and cuts each connection after an exponentially distributed time of mean
--drop-seconds (0: never) with a reset, as a flaky network does. The kernel here has no netem
queueing discipline; where it has, `tc qdisc add dev eth0 root netem delay 20ms` in each namespace
does the delay instead.

The learner's link is delayed but not cut unless --drop-learner is given: a queue's item is
deleted when the server hands it out, so a learner whose connection breaks while an item is on the
wire loses that item (Reverb's queue semantics; the count check below then fails by one).

When the learner has trained for --minutes, the actors are stopped and the script checks that
  - the learner trained while the actor host was cut off, and after it came back;
  - the server's confirmed inserts equal the items the learner sampled plus those still queued.
It prints one line per check and exits 1 if any fails. Logs go to --work (a temporary folder by
default), which is kept.
"""

import argparse
import asyncio
import csv
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUBNET = "10.77.0"
PORT = 8000


# The relay: runs inside a client's namespace.

# Bytes relayed to the server and from it, over every connection.
TOTALS = {"up": 0, "down": 0}


async def relay_connection(client_reader, client_writer, upstream, delay, drop_seconds, log):
    try:
        server_reader, server_writer = await asyncio.open_connection(*upstream)
    except OSError as error:
        log(f"upstream refused: {error}")
        client_writer.transport.abort()
        return
    loop = asyncio.get_running_loop()

    async def pump(reader, writer, direction):
        # Each chunk leaves `delay` seconds after it arrived, in order.
        pending = asyncio.Queue()

        async def send():
            while True:
                due, data = await pending.get()
                if data is None:
                    break
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                writer.write(data)
                await writer.drain()

        sender = asyncio.create_task(send())
        try:
            while data := await reader.read(1 << 16):
                TOTALS[direction] += len(data)
                pending.put_nowait((loop.time() + delay, data))
        finally:
            pending.put_nowait((0, None))
            try:
                await sender
                writer.write_eof()
            except (OSError, RuntimeError):
                pass

    pumps = [asyncio.create_task(pump(client_reader, server_writer, "up")),
             asyncio.create_task(pump(server_reader, client_writer, "down"))]
    if drop_seconds > 0:
        async def cut():
            await asyncio.sleep(random.expovariate(1 / drop_seconds))
            log("cutting a connection")
            client_writer.transport.abort()
            server_writer.transport.abort()
        cutter = asyncio.create_task(cut())
    await asyncio.gather(*pumps, return_exceptions=True)
    if drop_seconds > 0:
        cutter.cancel()
    for writer in (client_writer, server_writer):
        writer.transport.abort()


async def relay(listen_port, upstream, delay, drop_seconds):
    def log(message):
        print(f"{time.strftime('%H:%M:%S')} relay: {message}", flush=True)

    server = await asyncio.start_server(
        lambda r, w: relay_connection(r, w, upstream, delay, drop_seconds, log), "127.0.0.1", listen_port)
    cuts = f"each connection cut after {drop_seconds} s on average" if drop_seconds > 0 else "no cuts"
    log(f"127.0.0.1:{listen_port} -> {upstream[0]}:{upstream[1]}, {delay * 1000:.0f} ms each way, {cuts}")
    async def report():
        start = time.time()
        while True:
            await asyncio.sleep(5)
            log(f"relayed {TOTALS['up']} bytes up and {TOTALS['down']} down in {time.time() - start:.0f} s")

    reporter = asyncio.create_task(report())
    async with server:
        await server.serve_forever()
    reporter.cancel()


# The harness: runs in the root namespace.

def run(*command, check=True):
    return subprocess.run(command, check=check, capture_output=True, text=True)


class Hosts:
    """The namespaces, the bridge and the veth pairs; removed on close."""

    def __init__(self, prefix, names):
        self.prefix, self.names = prefix, names
        self.bridge = f"{prefix}br"

    def namespace(self, name):
        return f"{self.prefix}-{name}"

    def link(self, name):
        """The root side of the host's veth pair."""
        return f"{self.prefix}v{self.names.index(name)}"

    def address(self, name):
        return f"{SUBNET}.{self.names.index(name) + 1}"

    def create(self):
        self.close()
        run("ip", "link", "add", self.bridge, "type", "bridge")
        run("ip", "link", "set", self.bridge, "up")
        for name in self.names:
            namespace = self.namespace(name)
            run("ip", "netns", "add", namespace)
            run("ip", "link", "add", self.link(name), "type", "veth", "peer", "name", "eth0", "netns", namespace)
            run("ip", "link", "set", self.link(name), "master", self.bridge, "up")
            run("ip", "-n", namespace, "addr", "add", f"{self.address(name)}/24", "dev", "eth0")
            run("ip", "-n", namespace, "link", "set", "eth0", "up")
            run("ip", "-n", namespace, "link", "set", "lo", "up")

    def set_link(self, name, up):
        run("ip", "link", "set", self.link(name), "up" if up else "down")

    def close(self):
        for name in self.names:
            run("ip", "netns", "del", self.namespace(name), check=False)
            run("ip", "link", "del", self.link(name), check=False)
        run("ip", "link", "del", self.bridge, check=False)

    def start(self, name, command, log_path):
        log = open(log_path, "w")
        return subprocess.Popen(["ip", "netns", "exec", self.namespace(name)] + command,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def metrics_rows(run_dir):
    try:
        with open(os.path.join(run_dir, "metrics.csv"), newline="") as file:
            return list(csv.DictReader(file))
    except FileNotFoundError:
        return []


def learner_steps(run_dir):
    rows = metrics_rows(run_dir)
    return int(rows[-1]["learner_steps"]) if rows else 0


def wait_for(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise SystemExit(f"timed out after {seconds} s waiting for {what}")


def stop(process, seconds=20):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def harness(options):
    work = options.work or tempfile.mkdtemp(prefix="ftw-netns-")
    os.makedirs(work, exist_ok=True)
    run_dir = os.path.join(work, "run")
    hosts = Hosts(options.prefix, ["server", "learner", "actor0", "actor1"])
    hosts.create()
    processes = []
    results = []

    def check(ok, line):
        results.append(ok)
        print(("ok:     " if ok else "FAILED: ") + line, flush=True)

    try:
        python = sys.executable
        me = os.path.abspath(__file__)
        server = hosts.start("server", [python, os.path.join(REPOSITORY, "Scripts/reverb_server.py"),
                                        "--port", str(PORT), "--queue-size", "1",
                                        "--checkpoint-dir", os.path.join(work, "reverb")],
                             os.path.join(work, "server.log"))
        processes.append(server)
        wait_for(lambda: "reverb server on port" in open(os.path.join(work, "server.log")).read(), 120,
                 "the Reverb server to start")
        for name in ["learner", "actor0", "actor1"]:
            drops = options.drop_seconds if name != "learner" or options.drop_learner else 0
            processes.append(hosts.start(name, [python, me, "relay", "--listen", str(PORT),
                                                "--upstream", f"{hosts.address('server')}:{PORT}",
                                                "--delay-ms", str(options.delay_ms),
                                                "--drop-seconds", str(drops)],
                                         os.path.join(work, f"relay-{name}.log")))
        time.sleep(1)
        address = f"127.0.0.1:{PORT}"
        learner = hosts.start("learner", [options.ftw, "learner", "--server", address, "--run-dir", run_dir,
                                          "--minutes", str(options.minutes)] + options.learner_options.split(),
                              os.path.join(work, "learner.log"))
        processes.append(learner)
        actors = [hosts.start(f"actor{i}", [options.ftw, "actor", "--server", address, "--index", str(i)],
                              os.path.join(work, f"actor{i}.log")) for i in range(2)]
        processes += actors

        # Cut actor 1's host off once the learner has trained a while, and restore it.
        wait_for(lambda: learner_steps(run_dir) >= 20, 300, "the learner's first 20 steps")
        before = learner_steps(run_dir)
        print(f"cutting actor1's host off for {options.cut_seconds} s at learner step {before}", flush=True)
        hosts.set_link("actor1", False)
        time.sleep(options.cut_seconds)
        during = learner_steps(run_dir)
        hosts.set_link("actor1", True)
        print(f"actor1's host restored at learner step {during}", flush=True)
        check(during > before, f"the learner trained while actor1 was cut off (steps {before} -> {during})")
        learner.wait(options.minutes * 60 + 600)
        after = learner_steps(run_dir)
        check(learner.returncode == 0 and after > during,
              f"the learner trained after actor1 came back and finished (steps {during} -> {after}, "
              f"exit {learner.returncode})")
        for actor in actors:
            stop(actor)
        log = open(os.path.join(work, "learner.log")).read()
        sampled = re.search(r"sampled (\d+) trajectories", log)
        info = subprocess.run(
            ["ip", "netns", "exec", hosts.namespace("server"), python, "-c",
             "import reverb; i = reverb.Client('localhost:%d').server_info()['trajectories_0'];"
             "print(i.rate_limiter_info.insert_stats.completed, i.current_size)" % PORT],
            capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        counts = info.stdout.split()
        if sampled is None or len(counts) != 2:
            check(False, f"the counts: the learner said {sampled and sampled.group(0)}, the server {info.stdout!r} "
                         f"{info.stderr[-300:]!r}")
        else:
            inserted, queued, taken = int(counts[0]), int(counts[1]), int(sampled.group(1))
            check(inserted == taken + queued,
                  f"the server confirmed {inserted} trajectories; the learner sampled {taken} and {queued} "
                  f"are queued")
        cuts = 0
        for name in ["learner", "actor0", "actor1"]:
            log = open(os.path.join(work, f"relay-{name}.log")).read()
            cuts += log.count("cutting")
            relayed = re.findall(r"relayed (\d+) bytes up and (\d+) down in (\d+) s", log)
            if relayed:
                up, down, seconds = map(int, relayed[-1])
                print(f"{name}'s link: {up / seconds / 1e6:.2f} MB/s to the server, "
                      f"{down / seconds / 1e6:.2f} MB/s from it, over {seconds} s", flush=True)
        print(f"connections cut by the relays: {cuts}; logs in {work}", flush=True)
    finally:
        for process in reversed(processes):
            stop(process, 10)
        hosts.close()
    return 0 if all(results) and results else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    relay_parser = commands.add_parser("relay", help="the delaying, dropping TCP relay (inside a namespace)")
    relay_parser.add_argument("--listen", type=int, required=True)
    relay_parser.add_argument("--upstream", required=True)
    relay_parser.add_argument("--delay-ms", type=float, default=20)
    relay_parser.add_argument("--drop-seconds", type=float, default=0)
    parser.add_argument("--ftw", default=os.path.join(REPOSITORY, ".build/release/ftw"))
    parser.add_argument("--minutes", type=float, default=2, help="the learner's session (default 2)")
    parser.add_argument("--delay-ms", type=float, default=20, help="the delay each way (default 20)")
    parser.add_argument("--drop-seconds", type=float, default=20,
                        help="the mean life of a relayed connection before it is cut (default 20; 0: never)")
    parser.add_argument("--drop-learner", action="store_true", help="cut the learner's connections too")
    parser.add_argument("--cut-seconds", type=float, default=15, help="how long actor1's host is cut off")
    parser.add_argument("--learner-options", default="--network small --opponent random",
                        help="more options for ftw learner (default: '--network small --opponent random')")
    parser.add_argument("--prefix", default="ftwn", help="the namespaces' and links' prefix")
    parser.add_argument("--work", help="the folder for the run and the logs (default: a new temporary one)")
    options = parser.parse_args()
    if options.command == "relay":
        host, port = options.upstream.rsplit(":", 1)
        try:
            asyncio.run(relay(options.listen, (host, int(port)), options.delay_ms / 1000, options.drop_seconds))
        except KeyboardInterrupt:
            pass
        return 0
    if os.geteuid() != 0:
        sys.exit("netns_harness.py needs root (it makes network namespaces)")
    if not os.path.exists(options.ftw):
        sys.exit(f"no ftw binary at {options.ftw}: swift build -c release --traits Distributed")
    return harness(options)


if __name__ == "__main__":
    sys.exit(main())
