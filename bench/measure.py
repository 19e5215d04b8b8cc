#!/usr/bin/python3
"""openfsi image-building benchmark (see bench/README.md).

Builds two trees (one 2 GiB file; 50,000 small files in 2,000 directories), then for each tree
times `openfsi create`, the same image built through COM under Wine (com_create.exe driving
MsftFileSystemImage and writing its ImageStream to a file), genisoimage, xorriso -as mkisofs
and a plain `cat` of the same bytes, N runs each, interleaved, with a warm page cache. Reports best and median wall-clock time,
throughput, peak RSS per child process, and checks openfsi's targets.

This is a report, not a test: it exits 0 even when a target is missed (non-zero only for
usage errors or when the trees cannot be made).
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import re
import tempfile
import time

MB = 1_000_000          # MB/s are decimal megabytes per second
MIB = 1 << 20
TREE_FORMAT = 1         # bump when the generated trees change, so --keep regenerates them

TARGET_VS_PEER = 1.5    # ours >= 1.5x the faster of genisoimage / xorriso
TARGET_VS_CAT = 0.70    # ours >= 70 % of cat
TARGET_COM_BIG = 0.80   # the COM path >= 80 % of the native tool's throughput on the big file
TARGET_COM_SMALL = 2.0  # the COM path <= 2x the native tool's time on the small tree


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- trees

def make_big(root, size):
    """One file of `size` bytes: a 64 MiB urandom block, written repeatedly with the first
    16 bytes of each copy changed (so no two chunks are identical). Not sparse."""
    os.makedirs(root)
    block = bytearray(os.urandom(64 * MIB))
    path = os.path.join(root, "big.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        done, i = 0, 0
        while done < size:
            block[0:16] = i.to_bytes(16, "little")
            n = min(len(block), size - done)
            mv = memoryview(block)[:n]
            while mv:
                w = os.write(fd, mv)
                mv = mv[w:]
            done += n
            i += 1
    finally:
        os.close(fd)


def make_small(root, nfiles, ndirs, seed=20240601):
    """`nfiles` files of 0..16 KiB spread over `ndirs` leaf directories, grouped 50 per
    parent directory (g000/d00000/f000000.dat). Sizes: ~3 % empty, ~30 % under 1 KiB,
    the rest uniform up to 16 KiB. Content: slices of a 1 MiB random block."""
    rng = random.Random(seed)
    pool = os.urandom(MIB + 16 * 1024)
    os.makedirs(root)
    per_group = 50
    dirs = []
    for d in range(ndirs):
        p = os.path.join(root, "g%03d" % (d // per_group), "d%05d" % d)
        os.makedirs(p)
        dirs.append(p)
    for f in range(nfiles):
        r = rng.random()
        if r < 0.03:
            size = 0
        elif r < 0.33:
            size = rng.randint(1, 1023)
        else:
            size = rng.randint(1024, 16 * 1024)
        off = rng.randrange(0, MIB)
        with open(os.path.join(dirs[f % ndirs], "f%06d.dat" % f), "wb") as fh:
            fh.write(pool[off:off + size])


def tree_stats(root):
    files = dirs = data = 0
    for dp, dns, fns in os.walk(root):
        dirs += len(dns)
        for fn in fns:
            files += 1
            data += os.lstat(os.path.join(dp, fn)).st_size
    return files, dirs, data


def ensure_tree(kind, base, args):
    root = os.path.join(base, kind)
    if kind == "big":
        spec = "big %d %d" % (TREE_FORMAT, args.big_mib)
    else:
        spec = "small %d %d %d" % (TREE_FORMAT, args.files, args.dirs)
    stamp = os.path.join(base, kind + ".spec")
    if os.path.isdir(root) and os.path.exists(stamp):
        with open(stamp) as fh:
            if fh.read().strip() == spec:
                log("reusing %s tree at %s" % (kind, root))
                return root
    if os.path.exists(root):
        shutil.rmtree(root)
    if os.path.exists(stamp):
        os.unlink(stamp)
    t0 = time.perf_counter()
    log("generating %s tree at %s ..." % (kind, root))
    if kind == "big":
        make_big(root, args.big_mib * MIB)
    else:
        make_small(root, args.files, args.dirs)
    os.sync()
    with open(stamp, "w") as fh:
        fh.write(spec + "\n")
    log("  done in %.1f s" % (time.perf_counter() - t0))
    return root


def warm(root):
    """Read every file once so each tool starts with the tree in the page cache."""
    subprocess.run("find . -type f -print0 | xargs -0 cat > /dev/null", shell=True,
                   cwd=root, check=True)


# ----------------------------------------------------------------------------- running

# The child's peak RSS must not include the benchmark's own memory: on Linux a process's
# ru_maxrss starts from the resident size of the process it was forked from (and, through
# exec, of the mm it replaced), so a command started straight from this Python process would
# report at least ~140 MiB. Each command is therefore started by a tiny fork/exec/wait4 helper
# (C, compiled once into the scratch directory; floor ~1 MiB), falling back to a minimal Python
# helper (floor ~7 MiB) when no C compiler is available. The floor is measured and printed.
RUNNER_C = r"""
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    struct timespec t0, t1; struct rusage ru; int st; pid_t p; FILE *f;
    if (argc < 3) return 2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p = fork();
    if (p < 0) return 2;
    if (p == 0) { execvp(argv[2], argv + 2); _exit(127); }
    if (wait4(p, &st, 0, &ru) < 0) return 2;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    f = fopen(argv[1], "w");
    if (!f) return 2;
    fprintf(f, "%.9f %d %ld\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
            WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), ru.ru_maxrss);
    return fclose(f) ? 2 : 0;
}
"""
RUNNER_PY = """
import os, sys, time
t0 = time.perf_counter()
p = os.fork()
if p == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, st, ru = os.wait4(p, 0)
t1 = time.perf_counter()
with open(sys.argv[1], "w") as f:
    rc = os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)
    f.write("%.9f %d %d\\n" % (t1 - t0, rc, ru.ru_maxrss))
"""


def make_runner(work):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc:
        src = os.path.join(work, "runner.c")
        exe = os.path.join(work, "runner")
        with open(src, "w") as fh:
            fh.write(RUNNER_C)
        r = subprocess.run([cc, "-O2", "-o", exe, src], capture_output=True)
        if r.returncode == 0:
            return [exe], "C fork/exec helper"
        log("NOTE: could not compile the RSS helper (%s); using the Python helper"
            % r.stderr.decode(errors="replace").strip()[:200])
    return ["/usr/bin/python3", "-S", "-c", RUNNER_PY], "Python fork/exec helper"


def run_once(runner, argv, out_path, logf, shell=False):
    """Run one command through the helper; return (seconds, exit code, peak RSS in KiB,
    output bytes). The helper's wait4 rusage covers the command and every descendant it
    waited for (find/xargs/cat in the shell pipelines)."""
    if os.path.exists(out_path):
        os.unlink(out_path)
    if shell:
        argv = ["/bin/sh", "-c", argv]
    res = os.path.join(os.path.dirname(out_path), "runner.out")
    with open(os.devnull, "rb") as devnull:
        r = subprocess.run(runner + [res] + argv, stdin=devnull, stdout=logf,
                           stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise RuntimeError("RSS/timing helper failed (exit %d)" % r.returncode)
    with open(res) as fh:
        t, rc, rss = fh.read().split()
    os.unlink(res)
    size = 0
    if os.path.exists(out_path):
        size = os.path.getsize(out_path)
        os.unlink(out_path)
        os.sync()   # let the deleted output's writeback (if any) settle before the next run
    return float(t), int(rc), int(rss), size


def windows_path(path):
    """The path as Wine's Z: drive shows it."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def setup_wine(work, com):
    """A private Wine prefix with the DLL registered, and a wineserver kept running so that
    its start-up is not timed. Returns True when the COM path can run."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    prefix = os.path.join(work, "wineprefix")
    dll = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(com))), "src", "com",
                       "imapi2fs.dll")
    os.environ.update({"WINEPREFIX": prefix, "WINEARCH": "win64", "WINEDEBUG": "-all",
                       "WINEDLLOVERRIDES": "mscoree,mshtml=", "DISPLAY": ""})
    r = subprocess.run([os.path.join(top, "tests", "wine", "setup-prefix.sh"), prefix, dll],
                       capture_output=True)
    if r.returncode != 0:
        log("NOTE: the Wine prefix could not be made (%s); no COM rows"
            % r.stderr.decode(errors="replace").strip()[-300:])
        return False
    subprocess.run(["wineserver", "-p"], check=False)
    return True


def commands(kind, tree, out, tool, com=None):
    q = lambda s: "'" + s.replace("'", "'\\''") + "'"
    if kind == "big":
        cat = ("cat %s > %s" % (q(os.path.join(tree, "big.bin")), q(out)), True)
    else:
        cat = ("cd %s && find . -type f -print0 | xargs -0 cat > %s" % (q(tree), q(out)), True)
    cmds = []
    if tool:
        cmds.append(("openfsi", [tool, "create", "-o", out, "--iso-level", "3", tree], False))
        # UDF: the 1.02 bridge genisoimage -udf also writes, and UDF 2.60 alone (metadata
        # partition and its mirror).
        cmds.append(("openfsi-udf-bridge", [tool, "create", "-o", out, "--iso-level", "3",
                                            "--udf", "1.02", tree], False))
        cmds.append(("openfsi-udf-2.60", [tool, "create", "-o", out, "--udf", "2.60", "--no-iso",
                                          tree], False))
    if com:
        cmds.append(("openfsi-com", ["wine", com, "create", "-o", windows_path(out),
                                     "--iso-level", "3", "--time", windows_path(tree)], False))
        # The same, reading the ImageStream without writing it anywhere: what the COM server
        # delivers, apart from the cost of Wine's WriteFile.
        cmds.append(("com-stream", ["wine", com, "create", "--discard", "--iso-level", "3",
                                    "--time", windows_path(tree)], False))
    cmds.append(("genisoimage", ["genisoimage", "-quiet", "-J", "-joliet-long", "-iso-level",
                                 "3", "-o", out, tree], False))
    cmds.append(("genisoimage-udf", ["genisoimage", "-quiet", "-J", "-joliet-long", "-udf",
                                     "-iso-level", "3", "-o", out, tree], False))
    cmds.append(("xorriso", ["xorriso", "-as", "mkisofs", "-quiet", "-J", "-joliet-long",
                             "-iso-level", "3", "-o", out, tree], False))
    cmds.append(("cat", cat[0], cat[1]))
    return cmds


def bench_tree(kind, tree, work, args, tool):
    nfiles, ndirs, data = tree_stats(tree)
    print()
    print("== %s tree: %d files, %d directories, %.1f MiB of file data (%s)"
          % (kind, nfiles, ndirs, data / MIB, tree), flush=True)
    warm(tree)
    out = os.path.join(work, "out-%s.iso" % kind)
    cmds = commands(kind, tree, out, tool, args.com)
    res = {name: {"t": [], "rss": [], "size": [], "fail": None, "inside": []}
           for name, _, _ in cmds}
    logpath = os.path.join(work, "run.log")
    for r in range(args.runs):
        # Each round starts one command later, so that no command always runs first after the
        # round before (the first one there was measured slower on the 2 GiB file every time).
        for name, argv, shell in cmds[r % len(cmds):] + cmds[:r % len(cmds)]:
            if res[name]["fail"]:
                continue
            with open(logpath, "w+b") as logf:
                t, rc, rss, size = run_once(args.runner, argv, out, logf, shell)
                logf.seek(0)
                text = logf.read().decode(errors="replace")
            if rc == 0 and size == 0 and name == "com-stream":
                counted = re.search(r", ([0-9]+) bytes", text)
                size = int(counted.group(1)) if counted else 0
            if rc != 0 or size == 0:
                res[name]["fail"] = "exit %d, output %d bytes: %s" % (rc, size, text.strip()[-400:])
                log("  %s FAILED (%s)" % (name, res[name]["fail"]))
                continue
            res[name]["t"].append(t)
            inside = re.search(r"com_create: build ([0-9.]+) s, stream ([0-9.]+) s, ([0-9]+) bytes",
                               text)
            if inside:
                res[name]["inside"].append(float(inside.group(1)) + float(inside.group(2)))
            res[name]["rss"].append(rss)
            res[name]["size"].append(size)
            log("  run %d/%d %-12s %8.3f s  %7.1f MiB RSS" % (r + 1, args.runs, name, t, rss / 1024))
    return report(kind, nfiles, data, cmds, res)


# ----------------------------------------------------------------------------- report

def report(kind, nfiles, data, cmds, res):
    s = {}
    for name, _, _ in cmds:
        x = res[name]
        if x["fail"] or not x["t"]:
            s[name] = None
            continue
        best = min(x["t"])
        s[name] = {"best": best, "median": statistics.median(x["t"]), "size": max(x["size"]),
                   "rss": max(x["rss"]) / 1024,
                   "inside": min(x["inside"]) if x["inside"] else None}
    cat = s.get("cat")
    peers = [s[n] for n in ("genisoimage", "xorriso") if s.get(n)]
    fastest_peer = min((p["best"] for p in peers), default=None)

    hdr = ("tool", "best s", "median s", "image MB", "MB/s", "files/s", "peak RSS MiB",
           "x cat", "ours vs peer")
    rows = []
    for name, _, _ in cmds:
        v = s[name]
        if v is None:
            rows.append((name, "FAILED", "", "", "", "", "", "", ""))
            continue
        mbps = v["size"] / MB / v["best"]
        xcat = "%.2f" % (cat["best"] / v["best"]) if cat else "-"
        # our speed relative to the faster peer, shown on our row; for the peers, how much
        # faster we'd need to be is visible from the times directly
        vs_peer = ""
        if name == "openfsi" and fastest_peer:
            vs_peer = "%.2fx" % (fastest_peer / v["best"])
        rows.append((name, "%.3f" % v["best"], "%.3f" % v["median"], "%.1f" % (v["size"] / MB),
                     "%.0f" % mbps, "%.0f" % (nfiles / v["best"]), "%.1f" % v["rss"],
                     xcat, vs_peer))
    widths = [max(len(str(r[i])) for r in rows + [hdr]) for i in range(len(hdr))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
    print(line(hdr))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print("(best of %d runs; MB/s = output bytes / best s, MB = 10^6; x cat = cat s / tool s, "
          "the same input bytes; peak RSS = max over runs)" % len(res["cat"]["t"] or [0]))

    ours = s.get("openfsi")
    for name in ("genisoimage", "xorriso", "openfsi"):
        v = s.get(name)
        if v and v["size"] < data:
            print("WARNING: %s's image (%d bytes) is smaller than the file data (%d bytes)"
                  % (name, v["size"], data))
    if "openfsi" not in s:
        print("targets (%s): n/a (openfsi not run)" % kind)
    elif ours is None:
        print("targets (%s): MISS (openfsi failed: %s)" % (kind, res["openfsi"]["fail"]))
    else:
        parts = []
        if fastest_peer:
            r = fastest_peer / ours["best"]
            parts.append("vs faster peer %.2fx (>= %.1fx): %s"
                         % (r, TARGET_VS_PEER, "PASS" if r >= TARGET_VS_PEER else "MISS"))
        else:
            parts.append("vs faster peer: n/a")
        if cat:
            r = cat["best"] / ours["best"]
            parts.append("vs cat %.0f%% (>= %.0f%%): %s"
                         % (100 * r, 100 * TARGET_VS_CAT, "PASS" if r >= TARGET_VS_CAT else "MISS"))
        else:
            parts.append("vs cat: n/a")
        print("targets (%s): %s" % (kind, " | ".join(parts)))
    udf_peer = s.get("genisoimage-udf")
    for name in ("openfsi-udf-bridge", "openfsi-udf-2.60"):
        v = s.get(name)
        if name not in s:
            continue
        if v is None or udf_peer is None:
            print("targets UDF (%s, %s): MISS or n/a (%s failed)"
                  % (kind, name, name if v is None else "genisoimage -udf"))
            continue
        r = udf_peer["best"] / v["best"]
        print("targets UDF (%s, %s): %.2fx genisoimage -udf (>= %.1fx): %s"
              % (kind, name, r, TARGET_VS_PEER, "PASS" if r >= TARGET_VS_PEER else "MISS"))
    com = s.get("openfsi-com")
    if "openfsi-com" in s and ours:
        if com is None:
            print("targets COM (%s): MISS (the COM path failed: %s)"
                  % (kind, res["openfsi-com"]["fail"]))
        else:
            # Wall time includes starting a Windows process under Wine; "inside" is what the
            # program measured from CoCreateInstance to the last byte written.
            inside = com["inside"] or com["best"]
            if kind == "big":
                r = ours["best"] / inside
                verdict = "PASS" if r >= TARGET_COM_BIG else "MISS"
                print("targets COM (%s): throughput %.0f%% of the native tool inside the "
                      "program, %.0f%% by wall time (>= %.0f%%): %s"
                      % (kind, 100 * r, 100 * ours["best"] / com["best"], 100 * TARGET_COM_BIG,
                         verdict))
            else:
                r = inside / ours["best"]
                verdict = "PASS" if r <= TARGET_COM_SMALL else "MISS"
                print("targets COM (%s): %.2fx the native tool's time inside the program, "
                      "%.2fx by wall time (<= %.1fx): %s"
                      % (kind, r, com["best"] / ours["best"], TARGET_COM_SMALL, verdict))
            read = s.get("com-stream")
            if read and read["inside"]:
                print("COM stream alone (%s): %.3f s inside the program to build the image and "
                      "read its stream, %.0f MB/s" % (kind, read["inside"],
                                                      read["size"] / MB / read["inside"]))
    return s


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=None, help="build directory (default /work/main/build "
                    "or $BUILD); the tool is BUILD/src/tool/openfsi")
    ap.add_argument("--tool", default=None, help="openfsi executable (overrides --build)")
    ap.add_argument("--runs", type=int, default=3, help="runs per command (default 3)")
    ap.add_argument("--com", default=None, help="com_create.exe for the COM path (default "
                    "BUILD/windows-x86_64/tests/com/com_create.exe; 'none' to skip it)")
    ap.add_argument("--only", choices=("big", "small"), help="benchmark one tree only")
    ap.add_argument("--keep", action="store_true",
                    help="keep the trees in $BENCH_DIR/openfsi-bench and reuse them next time")
    ap.add_argument("--dir", default=None, help="scratch base (default $BENCH_DIR or /var/tmp)")
    # sizes, for quick trial runs; the reported figures use the defaults
    ap.add_argument("--big-mib", type=int, default=2048, help=argparse.SUPPRESS)
    ap.add_argument("--files", type=int, default=50000, help=argparse.SUPPRESS)
    ap.add_argument("--dirs", type=int, default=2000, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be >= 1")

    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = args.build or os.environ.get("BUILD") or os.path.join(top, "build")
    tool = args.tool or os.path.join(build, "src", "tool", "openfsi")
    tool = os.path.abspath(tool)
    if not (os.path.isfile(tool) and os.access(tool, os.X_OK)):
        log("NOTE: %s not found or not executable; benchmarking the peers and cat only "
            "(build with ./build.sh build, or pass --tool)" % tool)
        tool = None
    com = args.com or os.path.join(build, "windows-x86_64", "tests", "com", "com_create.exe")
    if com == "none" or not os.path.isfile(com) or shutil.which("wine") is None:
        if com != "none":
            log("NOTE: %s or wine not found; no COM rows" % com)
        com = None
    args.com = os.path.abspath(com) if com else None
    missing = [p for p in ("genisoimage", "xorriso", "cat", "find", "xargs")
               if shutil.which(p) is None]
    if missing:
        log("NOTE: not installed: %s (those rows will fail)" % ", ".join(missing))

    base_dir = args.dir or os.environ.get("BENCH_DIR") or "/var/tmp"
    os.makedirs(base_dir, exist_ok=True)
    kinds = [args.only] if args.only else ["big", "small"]
    if args.keep:
        base = os.path.join(base_dir, "openfsi-bench")
        os.makedirs(base, exist_ok=True)
    else:
        base = tempfile.mkdtemp(prefix="openfsi-bench.", dir=base_dir)
    work = os.path.join(base, "out")
    os.makedirs(work, exist_ok=True)

    # space: the trees (unless kept already) plus one output at a time (~1.1x the tree)
    need = 0
    if "big" in kinds:
        need += args.big_mib * MIB * 2.1
    if "small" in kinds:
        need += args.files * 8.5 * 1024 * 2.3 + args.dirs * 8192
    st = os.statvfs(base)
    free = st.f_bavail * st.f_frsize
    if free < need * 0.5 or free < 256 * MIB:
        log("ERROR: %s has %.1f GiB free; this run needs about %.1f GiB"
            % (base, free / 2**30, need / 2**30))
        return 1
    if free < need:
        log("WARNING: %s has %.1f GiB free; a fresh run needs about %.1f GiB"
            % (base, free / 2**30, need / 2**30))

    print("openfsi benchmark: %s, %d runs per command, %d CPUs, scratch %s"
          % (time.strftime("%Y-%m-%d %H:%M"), args.runs, os.cpu_count(), base))
    print("tool: %s" % (tool or "(none)"))
    results = {}
    try:
        args.runner, how = make_runner(work)
        with open(os.devnull, "wb") as null:
            floor = run_once(args.runner, ["true"], os.path.join(work, "floor"), null)[2]
        print("peak RSS measured per command by a %s; its floor (RSS reported for `true`) "
              "is %.1f MiB" % (how, floor / 1024))
        if args.com and not setup_wine(work, args.com):
            args.com = None
        print("COM path: %s" % (args.com or "(none)"))
        for kind in kinds:
            tree = ensure_tree(kind, base, args)
            results[kind] = bench_tree(kind, tree, work, args, tool)
            if not args.keep:
                shutil.rmtree(tree, ignore_errors=True)
    finally:
        if args.com:
            subprocess.run(["wineserver", "-k"], check=False)
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print()
    big = results.get("big", {}).get("openfsi")
    small = results.get("small", {}).get("openfsi")
    if tool is None:
        print("target RSS: n/a (openfsi not run)")
    elif big and small:
        ok = big["rss"] <= small["rss"]
        print("target RSS: big tree %.1f MiB <= small tree %.1f MiB (RSS does not grow with "
              "file data): %s" % (big["rss"], small["rss"], "PASS" if ok else "MISS"))
    elif "big" in results and "small" in results:
        print("target RSS: MISS (openfsi failed on a tree)")
    else:
        print("target RSS: n/a (needs both trees; ran --only %s)" % args.only)
    big_com = results.get("big", {}).get("openfsi-com")
    small_com = results.get("small", {}).get("openfsi-com")
    if big_com and small_com:
        ok = big_com["rss"] <= small_com["rss"]
        print("target RSS (COM): big tree %.1f MiB <= small tree %.1f MiB: %s"
              % (big_com["rss"], small_com["rss"], "PASS" if ok else "MISS"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
