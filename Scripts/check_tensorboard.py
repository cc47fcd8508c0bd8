"""Reads a run's TensorBoard event file with TensorBoard's own reader and checks that it holds
every column of the run's metrics.csv, each row's value at the row's frames.

    python3 Scripts/check_tensorboard.py RUN_FOLDER
"""

import csv
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main(run):
    with open(f"{run}/metrics.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows:
        sys.exit(f"{run}/metrics.csv has no rows")
    columns = [name for name in rows[0] if any(row[name] != "" for row in rows)]
    reader = EventAccumulator(run, size_guidance={"scalars": 0})
    reader.Reload()
    tags = set(reader.Tags()["scalars"])
    missing = [name for name in columns if name not in tags]
    if missing:
        sys.exit(f"TensorBoard's reader finds no scalars for {missing} in {run}")
    for name in columns:
        expected = [(int(row["frames"]), float(row[name])) for row in rows if row[name] != ""]
        found = [(event.step, event.value) for event in reader.Scalars(name)]
        if [step for step, _ in found] != [step for step, _ in expected]:
            sys.exit(f"{name}: steps {[s for s, _ in found][:5]}... differ from the frames {[s for s, _ in expected][:5]}...")
        # The CSV prints at most 0.05 away (one decimal) or six significant digits; the event keeps a
        # float32 of the value.
        for (step, value), (_, want) in zip(found, expected):
            if abs(value - want) > 0.05 + 1e-5 * abs(want):
                sys.exit(f"{name} at {step} frames: the event file says {value}, metrics.csv {want}")
    print(f"TensorBoard's reader: {len(columns)} columns of {len(rows)} rows, every value at its frames")


if __name__ == "__main__":
    main(sys.argv[1])
