#!/usr/bin/env python3
"""Starts the Reverb server of a distributed FTW run and serves until interrupted.

Usage: reverb_server.py --port 8000 --checkpoint-dir runs/reverb [--agents 1]
       reverb_server.py --list-tables [--agents 1]

--port 0 picks a free port; the first line printed names it. --list-tables prints the names of
the tables, one a line, and exits (the Swift side's ReverbTables must name the same).

The tables, per agent i (of --agents):
  trajectories_i      the V-trace queue: first in, first out, each item sampled once; writers
                      block while it holds --queue-size items (a Queue rate limiter; 1 by
                      default: a full queue is as many learner steps of policy lag).
  pixel_control_i     a uniform replay of the latest --pixel-control-size trajectories.
  reward_zero_i,      the reward-prediction replays of short sequences ending in a zero and a
  reward_nonzero_i    non-zero reward, --reward-prediction-size each, sampled evenly.
  weights_i           the agent's latest weights: one item, replaced by each publication.
A checkpoint (the server's Checkpoint call, or Ctrl-C) goes to --checkpoint-dir; started again
on the same folder, the server loads the newest one, tables and items included. Reverb keeps only
the newest checkpoint there and deletes everything else in the folder, so the folder must be
the server's own: one that holds anything else is refused.
"""

import argparse
import os
import re
import signal
import sys
import threading


def table_names(i: int):
    """Agent i's tables, in the order they are made."""
    return [f"trajectories_{i}", f"pixel_control_{i}", f"reward_zero_{i}", f"reward_nonzero_{i}", f"weights_{i}"]


def tables(agents: int, queue_size: int, pixel_control_size: int, reward_prediction_size: int):
    import reverb

    def replay(name: str, size: int):
        return reverb.Table(
            name=name,
            sampler=reverb.selectors.Uniform(),
            remover=reverb.selectors.Fifo(),
            max_size=size,
            rate_limiter=reverb.rate_limiters.MinSize(1),
        )

    made = []
    for i in range(agents):
        trajectories, pixel_control, reward_zero, reward_nonzero, weights = table_names(i)
        made.append(reverb.Table.queue(name=trajectories, max_size=queue_size))
        made.append(replay(pixel_control, pixel_control_size))
        made.append(replay(reward_zero, reward_prediction_size))
        made.append(replay(reward_nonzero, reward_prediction_size))
        made.append(
            reverb.Table(
                name=weights,
                sampler=reverb.selectors.Lifo(),
                remover=reverb.selectors.Fifo(),
                max_size=1,
                rate_limiter=reverb.rate_limiters.MinSize(1),
            )
        )
    return made


def main() -> int:
    # A launcher may have started this process with these signals blocked (Foundation's Process
    # does, from some threads): take them back before any thread starts.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, help="the port to serve on (1-65535; 0 picks one)")
    parser.add_argument("--checkpoint-dir", help="where checkpoints go and come from")
    parser.add_argument("--list-tables", action="store_true", help="print the tables' names and exit")
    parser.add_argument("--agents", type=int, default=1, help="agents (population members), 1-32")
    parser.add_argument("--queue-size", type=int, default=1,
                        help="trajectories queued per agent (default 1): each one queued is a "
                             "learner step of policy lag, so keep it small; the learner's buffer "
                             "and the actors' next inserts keep it fed")
    parser.add_argument("--pixel-control-size", type=int, default=100)
    parser.add_argument("--reward-prediction-size", type=int, default=800)
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="checkpoint and stop when the process that started this one ends")
    options = parser.parse_args()
    if not 1 <= options.agents <= 32:
        parser.error(f"--agents must be in 1...32, got {options.agents}")
    if options.list_tables:
        print("\n".join(name for i in range(options.agents) for name in table_names(i)))
        return 0
    for name in ("port", "checkpoint_dir"):
        if getattr(options, name) is None:
            parser.error(f"--{name.replace('_', '-')} is required")
    if not 0 <= options.port <= 65535:
        parser.error(f"--port must be in 0...65535, got {options.port}")
    for name in ("queue_size", "pixel_control_size", "reward_prediction_size"):
        if not 1 <= getattr(options, name) <= 1_000_000:
            parser.error(f"--{name.replace('_', '-')} must be in 1...1000000")

    # Reverb's checkpointer keeps only the newest entry of the folder (by name) and deletes the
    # rest, whatever they are: refuse a folder that holds anything but its checkpoints.
    if os.path.isdir(options.checkpoint_dir):
        strangers = [name for name in sorted(os.listdir(options.checkpoint_dir))
                     if not re.match(r"^\d{4}-\d{2}-\d{2}T", name)]
        if strangers:
            parser.error(f"--checkpoint-dir {options.checkpoint_dir} holds {', '.join(strangers[:3])}, "
                         "which Reverb's checkpointer would delete: give it a folder of its own")

    import reverb

    checkpointer = reverb.checkpointers.DefaultCheckpointer(path=options.checkpoint_dir)
    server = reverb.Server(
        tables=tables(
            options.agents, options.queue_size, options.pixel_control_size, options.reward_prediction_size
        ),
        port=options.port or None,
        checkpointer=checkpointer,
    )
    print(f"reverb server on port {server.port}, {options.agents} agent(s), checkpoints in "
          f"{options.checkpoint_dir}", flush=True)

    # The server's own wait() takes SIGINT for itself; wait here so that a stop checkpoints first.
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    parent = os.getppid()
    while not stopping.wait(0.5):
        if options.exit_with_parent and os.getppid() != parent:
            break
    path = server.localhost_client().checkpoint()
    print(f"checkpoint {path}; stopping", flush=True)
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
