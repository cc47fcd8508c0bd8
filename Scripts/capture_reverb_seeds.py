#!/usr/bin/env python3
"""Seeds for the Reverb fuzz targets as a real server hands out items that Python's Reverb client
wrote: starts dm-reverb's server, inserts items with each of Python's writers, samples each back
over gRPC and saves the sample stream's raw response bytes (one SampleStreamResponse, the messages
of a sample concatenated, which protobuf reads as one) as a seed.

    ftw-fuzz seeds Fuzz/Corpus /tmp/columns      # our items' columns, as reverb_peer.py reads them
    python3 Scripts/capture_reverb_seeds.py --columns /tmp/columns --corpus Fuzz/Corpus

Writes, under the corpus:
  reverb-trajectories/python-insert      an experience's columns, Client.insert (squeezed columns)
  reverb-weights/python-insert           published weights' columns, Client.insert
  reverb-trajectories/python-trajectory  a 5-step item of three columns, TrajectoryWriter
  reverb-trajectories/python-legacy      the same, the legacy Writer with delta encoding
"""
import argparse
import json
import os
import sys

import numpy as np
import grpc
import reverb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reverb_peer  # noqa: E402

TABLE = "seeds"


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def sample_raw(address, table):
    """One sample of `table` as the raw bytes of the SampleStream responses that carry it."""
    name = table.encode()
    # SampleStreamRequest: table = 1 (string), num_samples = 2 (int64).
    request = b"\x0a" + varint(len(name)) + name + b"\x10" + varint(1)
    with grpc.insecure_channel(address) as channel:
        call = channel.stream_stream(
            "/deepmind.reverb.ReverbService/SampleStream",
            request_serializer=lambda message: message, response_deserializer=lambda message: message)
        return b"".join(call(iter([request]), timeout=60))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--columns", required=True, help="the folder `ftw-fuzz seeds` wrote the items' columns to")
    parser.add_argument("--corpus", required=True, help="the fuzz corpus folder (Fuzz/Corpus)")
    args = parser.parse_args()
    server = reverb.Server(tables=[reverb.Table.queue(TABLE, max_size=10)], port=None)
    address = f"localhost:{server.port}"
    client = reverb.Client(address)

    def capture(target, name, writer, items):
        reverb_peer.write(client, TABLE, writer, items)
        data = sample_raw(address, TABLE)
        path = os.path.join(args.corpus, target, name)
        with open(path, "wb") as file:
            file.write(data)
        print(f"{path}: {len(data)} bytes")

    for target in ["reverb-trajectories", "reverb-weights"]:
        with open(os.path.join(args.columns, f"{target}.json")) as file:
            capture(target, "python-insert", "insert", json.load(file))
    steps = 5
    generic = [
        np.arange(steps * 3, dtype=np.float32).reshape(steps, 3),
        (np.arange(steps * 4 * 4 * 3) % 251).astype(np.uint8).reshape(steps, 4, 4, 3),
        np.arange(steps, dtype=np.int32),
    ]
    item = [{"dtype": str(c.dtype), "shape": list(c.shape), "hex": c.astype(c.dtype.newbyteorder("<")).tobytes().hex()}
            for c in generic]
    capture("reverb-trajectories", "python-trajectory", "trajectory", [item])
    capture("reverb-trajectories", "python-legacy", "legacy", [item])
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
