#!/usr/bin/env python3
"""Builds the fuzz targets (Fuzz/, libFuzzer and the address sanitizer) and runs each one for a
given time or number of inputs, from the committed seeds in Fuzz/Corpus/<target>/ and the inputs
that once crashed it in Fuzz/Regressions/<target>/, printing one
line per target: inputs run, seconds, coverage (edges and features), the corpus grown, and what
it found. A crash, a sanitizer report, a leak or an input over --timeout seconds stops that
target and leaves its input in the artifacts folder; the script then exits 1.

    python3 Scripts/fuzz.py --seconds 30                 # every target, 30 s each (as CI does)
    python3 Scripts/fuzz.py --seconds 600 --runs 1000000 --jobs 2 snappy safetensors
    python3 Scripts/fuzz.py --list
"""
import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "Fuzz")
SUPPRESSIONS = os.path.join(PACKAGE, "lsan-suppressions.txt")
BUILD_FLAGS = ["-Xswiftc", "-sanitize=fuzzer,address", "-Xswiftc", "-use-ld=lld"]


def build():
    command = ["swift", "build", "-c", "release", "--package-path", PACKAGE] + BUILD_FLAGS
    print("== building the fuzz targets:", " ".join(command), flush=True)
    build = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(build.stdout, end="", flush=True)
    if build.returncode != 0:
        sys.exit(f"the fuzz targets did not build (exit {build.returncode})")
    warnings = re.findall(rf"^{re.escape(ROOT)}/(?:Sources|Fuzz/Sources)/.*warning:.*$", build.stdout, re.MULTILINE)
    if warnings:
        sys.exit("the fuzz build has warnings:\n" + "\n".join(warnings))
    output = subprocess.run(
        ["swift", "build", "-c", "release", "--package-path", PACKAGE, "--show-bin-path"] + BUILD_FLAGS,
        check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(output, "ftw-fuzz")


def targets(binary):
    """The targets the binary lists when asked for none (its usage on standard error)."""
    usage = subprocess.run([binary], capture_output=True, text=True).stderr
    return [line.split()[0] for line in usage.split("targets:")[1].splitlines() if line.strip()]


def run(binary, target, args):
    """Runs one target; returns its line's fields."""
    seeds = [os.path.join(PACKAGE, folder, target) for folder in ["Corpus", "Regressions"]]
    work = os.path.join(args.work, "corpus", target)
    artifacts = os.path.join(args.work, "artifacts", target) + os.sep
    os.makedirs(work, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    command = [
        binary, target, f"-max_total_time={args.seconds}", f"-runs={args.runs}",
        f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_mb}", f"-malloc_limit_mb={args.rss_mb}",
        # Leaks are reported once, at exit (LeakSanitizer): libFuzzer's check after every input
        # whose mallocs and frees differ spends nine tenths of the time scanning memory, as Swift's
        # runtime and Foundation fill caches as they go.
        "-detect_leaks=0", "-print_final_stats=1", f"-artifact_prefix={artifacts}", work,
    ] + [folder for folder in seeds if os.path.isdir(folder)]
    log_path = os.path.join(args.work, f"{target}.log")
    start = time.monotonic()
    # Swift's own backtracer would run before libFuzzer's handler and trip the address sanitizer.
    environment = dict(os.environ, LSAN_OPTIONS=f"suppressions={SUPPRESSIONS}:print_suppressions=0",
                       SWIFT_BACKTRACE="enable=no")
    with open(log_path, "w") as log:
        code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=environment).returncode
    seconds = time.monotonic() - start
    text = open(log_path, errors="replace").read()
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    slowest = re.findall(r"stat::slowest_unit_time_sec:\s*(\d+)", text)
    rss = re.findall(r"stat::peak_rss_mb:\s*(\d+)", text)
    coverage = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", text)
    found = sorted(f for f in os.listdir(artifacts) if re.match(r"(crash|timeout|oom|leak|slow-unit)-", f))
    verdict = "ok" if code == 0 and not found else f"FAILED (exit {code}): {', '.join(found) or 'see ' + log_path}"
    return {
        "target": target, "runs": int(runs[-1]) if runs else 0, "seconds": seconds,
        "cov": coverage[-1][0] if coverage else "?", "ft": coverage[-1][1] if coverage else "?",
        "corpus": coverage[-1][2] if coverage else "?",
        "slowest": slowest[-1] if slowest else "?", "rss": rss[-1] if rss else "?", "verdict": verdict, "ok": verdict == "ok",
        "artifacts": [os.path.join(artifacts, f) for f in found], "log": log_path,
    }


def line(result):
    return (f"{result['target']:<22} {result['runs']:>10} runs {result['seconds']:>7.1f} s "
            f"{result['runs'] / max(result['seconds'], 1e-9):>8.0f}/s  cov {result['cov']:>6}  "
            f"ft {result['ft']:>6}  corpus {result['corpus']:>5}  slowest {result['slowest']:>2} s  "
            f"rss {result['rss']:>5} MB  {result['verdict']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help="targets to run (all when none are named)")
    parser.add_argument("--seconds", type=int, default=30, help="the longest each target runs (30)")
    parser.add_argument("--runs", type=int, default=-1, help="the most inputs each target runs (no limit)")
    parser.add_argument("--timeout", type=int, default=1, help="an input over this many seconds fails (1)")
    parser.add_argument("--rss-mb", type=int, default=2048, help="memory a target may use, MB (2048)")
    parser.add_argument("--jobs", type=int, default=1, help="targets run side by side (1)")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build-fuzz"),
                        help="where the grown corpora, artifacts and logs go (.build-fuzz)")
    parser.add_argument("--binary", help="a built ftw-fuzz to use instead of building")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    args = parser.parse_args()
    for name, value in [("--seconds", args.seconds), ("--timeout", args.timeout), ("--rss-mb", args.rss_mb),
                        ("--jobs", args.jobs)]:
        if value < 1:
            parser.error(f"{name} must be at least 1, got {value}")
    binary = args.binary or build()
    known = targets(binary)
    if args.list:
        print("\n".join(known))
        return 0
    unknown = [t for t in args.targets if t not in known]
    if unknown:
        parser.error(f"no target {', '.join(unknown)}; the targets are {', '.join(known)}")
    chosen = args.targets or known
    print(f"== {len(chosen)} targets, at most {args.seconds} s"
          + (f" or {args.runs} inputs" if args.runs > 0 else "") + " each", flush=True)
    results = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for result in pool.map(lambda t: run(binary, t, args), chosen):
            print(line(result), flush=True)
            results.append(result)
    failed = [r for r in results if not r["ok"]]
    for result in failed:
        print(f"-- {result['target']}: {result['log']}")
        for artifact in result["artifacts"]:
            print(f"   {artifact}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
