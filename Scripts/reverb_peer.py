#!/usr/bin/env python3
"""Python's Reverb client as the other end of the Swift client's interoperability tests.

Usage:
  reverb_peer.py write --server HOST:PORT --table T --writer trajectory|legacy|insert < items.json
  reverb_peer.py read --server HOST:PORT --table T --count N > items.json

items.json is a list of items, each a list of columns {"dtype": "float32"|"uint8"|"int32"|...,
"shape": [T, ...], "hex": the elements' little-endian bytes}. `write` inserts each item with
dm-reverb's TrajectoryWriter (`trajectory`) or its legacy Writer with delta encoding on
(`legacy`), one step at a time as an actor would, or each as a single step of whole columns with
Client.insert (`insert`: the columns may differ in length, and arrive squeezed); `read` samples N
items and prints them.
"""

import argparse
import json
import sys

import numpy as np


def columns_of(item):
    return [
        np.frombuffer(bytes.fromhex(column["hex"]), dtype=np.dtype(column["dtype"]).newbyteorder("<"))
        .reshape(column["shape"])
        for column in item
    ]


def write(client, table, writer_kind, items):
    for item in items:
        columns = columns_of(item)
        if writer_kind == "insert":
            client.insert(columns, priorities={table: 1.0})
            continue
        steps = columns[0].shape[0]
        if writer_kind == "trajectory":
            with client.trajectory_writer(num_keep_alive_refs=steps) as writer:
                for t in range(steps):
                    writer.append([column[t] for column in columns])
                writer.create_item(
                    table, priority=1.0, trajectory=[writer.history[i][-steps:] for i in range(len(columns))])
                writer.flush()
        else:
            with client.writer(max_sequence_length=steps, delta_encoded=True, chunk_length=steps) as writer:
                for t in range(steps):
                    writer.append([column[t] for column in columns])
                writer.create_item(table, num_timesteps=steps, priority=1.0)


def read(client, table, count):
    items = []
    for sample in client.sample(table, num_samples=count, emit_timesteps=False):
        items.append([
            {"dtype": str(np.asarray(column).dtype), "shape": list(np.asarray(column).shape),
             "hex": np.ascontiguousarray(column).astype(np.asarray(column).dtype.newbyteorder("<")).tobytes().hex()}
            for column in sample.data
        ])
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["write", "read"])
    parser.add_argument("--server", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--writer", choices=["trajectory", "legacy", "insert"], default="trajectory")
    parser.add_argument("--count", type=int, default=1)
    options = parser.parse_args()

    import reverb

    client = reverb.Client(options.server)
    if options.command == "write":
        write(client, options.table, options.writer, json.load(sys.stdin))
        print("written", flush=True)
    else:
        json.dump(read(client, options.table, options.count), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
