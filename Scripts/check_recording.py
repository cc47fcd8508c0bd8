#!/usr/bin/env python3
"""Checks a GIF that `ftw play --record` wrote with a decoder we did not write (Pillow).

Usage: check_recording.py FILE.gif FRAMES WIDTH HEIGHT

Opens the file, decodes every frame, and checks the frame count, the size, that every frame has
the arena's colours (more than a handful) and that the picture moves (not all frames equal).
"""
import sys

from PIL import Image


def main() -> int:
    path, frames, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    image = Image.open(path)
    if image.format != "GIF":
        print(f"{path}: not a GIF but {image.format}")
        return 1
    if image.size != (width, height):
        print(f"{path}: size {image.size}, expected {(width, height)}")
        return 1
    if image.n_frames != frames:
        print(f"{path}: {image.n_frames} frames, expected {frames}")
        return 1
    distinct_frames = set()
    for index in range(image.n_frames):
        image.seek(index)
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16)
        if colours is None or len(colours) < 8:
            print(f"{path}: frame {index} has {0 if colours is None else len(colours)} colours")
            return 1
        distinct_frames.add(rgb.tobytes())
    if len(distinct_frames) < frames // 2:
        print(f"{path}: only {len(distinct_frames)} distinct frames of {frames}")
        return 1
    print(f"{path}: {frames} frames of {width}x{height} decoded by Pillow {Image.__version__}, "
          f"{len(distinct_frames)} distinct")
    return 0


if __name__ == "__main__":
    sys.exit(main())
