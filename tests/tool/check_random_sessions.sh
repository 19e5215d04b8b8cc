#!/usr/bin/env bash
# Seeded random sessions on rewritable media, judged by the engine and by independent readers.
#
# 1. The checks can fail: random_sessions --sabotage spoils the engine's list of modified sectors
#    on purpose (a sector left out, the head written first, unchanged sectors added) and must
#    report it (recall, a stopped write, precision).
# 2. random_sessions runs (two processes, the mixes split between them): for every mix
#    (ISO 9660 + Joliet; UDF 1.02, 1.50, 2.00, 2.01, 2.50, 2.60 alone; the 2.50 and 2.60
#    bridges), TREES random trees of SESSIONS sessions of random changes each, with its own
#    checks after every session (recall exactly 1, precision, file systems read back, stopped
#    writes old-or-new; see random_sessions.c). Its figures are printed.
# 3. Independent readers judge the samples it writes (the last session of the first
#    SAMPLE_TREES trees of each mix, and two stopped writes per mix, one inside the head and one
#    before it), each against the manifest of the expected tree (paths, kinds, sizes, SHA-256 of
#    the contents):
#      ISO 9660 / Joliet: isoinfo -l (ISO 9660 identifiers, as the engine names them) and
#        isoinfo -J -l (Joliet names; isoinfo shows characters above U+00FF as "_", so names
#        are compared in that form), xorriso -find -exec lsdl (Joliet and ISO 9660 trees as
#        recorded), 7z x -tIso (extracted, contents), pycdlib (Joliet and ISO 9660 walks,
#        contents);
#      UDF: udfinfo (exit 0, file and directory counts, revision; its warning "Partition Space
#        overlaps with other blocks" is expected on later sessions, see README, nothing else),
#        7z x -tUDF (extracted, contents), udfclient (driven here: relative cd into every
#        directory, ls, get; names as udfclient translates them, UDF 6.7.1; it aborts past a
#        working directory of about 1 KiB, so deeper directories are left out on both sides),
#        pycdlib for bridges (it reads UDF only beside ISO 9660; walked by its records, as its
#        path walk breaks on paths mixing 8-bit and 16-bit names; contents).
#    A complete sample must show exactly the new tree to every reader; a stopped one must show,
#    to each reader, exactly the old or exactly the new tree of the file system it reads.
#    Two reader reactions this test has pinned down are reported as KNOWN, with their evidence
#    checked, and do not fail the run: pycdlib refusing a stopped bridge whose anchors at 256 and
#    at the volume's end differ (they must, for a moment, while the head is rewritten: pycdlib
#    wants all anchors equal), and 7-Zip's "Headers Error" on UDF 2.50/2.60 images where only
#    UDF descriptors it does not read follow its last sector (the engine issue below; the
#    extracted tree must still be right).
#
# Usage: check_random_sessions.sh RANDOM_SESSIONS [PYTHON [CONFORMANCE_DIR]]
#        check_random_sessions.sh --known-issues RANDOM_SESSIONS
#            the engine issues this test found, each reproduced minimally: fails while any is
#            still there (ctest native.random_sessions_known_issues, DISABLED until fixed)
# Environment (defaults in brackets): RANDOM_SESSIONS_SEED [1], RANDOM_SESSIONS_TREES [50],
# RANDOM_SESSIONS_SESSIONS [8], RANDOM_SESSIONS_SAMPLE_TREES [3], RANDOM_SESSIONS_JOBS [2],
# RANDOM_SESSIONS_KEEP=DIR (keep the samples there instead of a scratch directory).
set -u
export LC_ALL=C.UTF-8 TZ=UTC
if [ "${1-}" = --known-issues ]; then
    prog=$2
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    status=0
    # 1. UDF 2.50/2.60 with no file data after the metadata partition: its mirror and bitmap are
    #    the last sectors before the closing anchor, and 7-Zip, which reads neither, reports
    #    "Headers Error" (exit 2): after the last sector it reads it accepts only zeros and the
    #    anchor. Any session that writes no file data (only removals, renames, moves) ends so.
    "$prog" --repro-7z-tail "$work/tail.img" || { echo "FAILED: random_sessions --repro-7z-tail"; exit 1; }
    7z l -tUDF "$work/tail.img" >"$work/7z.out" 2>&1
    if grep -q 'Headers Error' "$work/7z.out"; then
        echo "KNOWN ISSUE still there: 7z l -tUDF reports \"Headers Error\" on a one-empty-file UDF 2.50 image (random_sessions --repro-7z-tail)"
        status=1
    else
        echo "fixed: 7z reads the one-empty-file UDF 2.50 image without errors"
    fi
    exit $status
fi
prog=$1
python=${2:-/usr/bin/python3}
conformance=${3:-$(cd "$(dirname "$0")/../conformance" && pwd)}
seed=${RANDOM_SESSIONS_SEED:-1}
trees=${RANDOM_SESSIONS_TREES:-50}
sessions=${RANDOM_SESSIONS_SESSIONS:-8}
sample_trees=${RANDOM_SESSIONS_SAMPLE_TREES:-3}
jobs=${RANDOM_SESSIONS_JOBS:-2}
start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
samples=${RANDOM_SESSIONS_KEEP:-$work/samples}
rm -rf "$samples"
mkdir -p "$samples"
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

for tool in isoinfo xorriso 7z udfinfo udfclient; do
    command -v $tool >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
[ -x "$python" ] && "$python" -c 'import pycdlib' 2>/dev/null || fail "$python has no pycdlib"
[ $failures -eq 0 ] || exit 1

# 1. Each sabotage must be caught, with the check meant for it.
for case in "drop:recall: sector" "head-first:stopped after" "extra:precision"; do
    kind=${case%%:*} want=${case#*:}
    "$prog" --seed "$seed" --trees 2 --sessions 2 --mix iso,udf201,bridge260 --sabotage "$kind" \
        >"$work/sabotage.$kind" 2>&1
    rc=$?
    if [ $rc -ne 1 ] || ! grep -q "^FAILED.*$want" "$work/sabotage.$kind"; then
        fail "random_sessions --sabotage $kind: exit $rc, no \"$want\" failure:"
        head -5 "$work/sabotage.$kind"
    else
        echo "sabotage $kind caught: $(grep -m1 '^FAILED' "$work/sabotage.$kind" | cut -c1-160)"
    fi
done

# 2. The run, the mixes in two groups of about equal time.
groups=("iso,udf102,udf150,udf200,udf201" "udf250,udf260,bridge250,bridge260")
[ "$jobs" -ge 2 ] || groups=("all")
pids=()
for g in "${!groups[@]}"; do
    mkdir -p "$samples/g$g"
    "$prog" --seed "$seed" --trees "$trees" --sessions "$sessions" --mix "${groups[$g]}" \
        --samples "$samples/g$g" --sample-trees "$sample_trees" >"$work/run.$g" 2>&1 &
    pids+=($!)
done
for g in "${!groups[@]}"; do
    wait "${pids[$g]}" || fail "random_sessions --mix ${groups[$g]} exited with $?"
done
for g in "${!groups[@]}"; do      # each mix's lines, and failures in full
    awk '/^all mixes/ { skip = 4 } skip > 0 { skip--; next }
         /^random_sessions: (all passed|FAILED)$/ { next } { print }' "$work/run.$g"
done
cat "$samples"/g*/index.txt >"$samples/index.txt" 2>/dev/null
cat "$work"/run.* | awk '
    $1 == "figures" && $2 != "all" {
        mixes++
        for (i = 3; i <= NF; i++) { split($i, kv, "="); sum[kv[1]] += kv[2] }
    }
    END {
        printf "all %d mixes: %d trees, %d sessions checked (%d in place); %d sectors listed " \
               "of %d image sectors; %d listed but unchanged (precision %.6f); %d stopped " \
               "writes checked (%d file-system reads); %d failure(s)\n", mixes, sum["trees"],
               sum["sessions"], sum["in_place"],
               sum["listed"], sum["image"], sum["unchanged"],
               sum["listed"] ? 1 - sum["unchanged"] / sum["listed"] : 0, sum["stops"],
               sum["reads"], sum["failures"]
    }'
echo "random_sessions: $(($(date +%s) - start)) s"

# 3. The independent readers.
cat >"$work/judge.py" <<'EOF'
"""Judges random_sessions' samples with independent readers (see check_random_sessions.sh).

Each reader gives a view of one file system: (path, kind, size, SHA-256 or None) for every item,
names as that reader shows them. The view must equal the manifest's (the new tree; for a stopped
write the old or the new tree). A reader's limitation that this test has pinned down is reported
as KNOWN with its evidence and does not fail the run; anything else that differs fails.
"""
import concurrent.futures
import hashlib
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time

samples, conformance, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, conformance)
sys.dont_write_bytecode = True
import conformance as C     # noqa: E402  (listing parsers, udfclient's output, CRC)
import check_image as CI    # noqa: E402  (pycdlib, with its 2.50/2.60 partition map fix)
import check_udf as CU      # noqa: E402  (pycdlib UDF names and extents)
pycdlib = CI.pycdlib
SECTOR = 2048
# udfinfo says this of every later UDF session: its descriptors lie inside the partition it
# continues (README, "openfsi append").
UDFINFO_EXPECTED = 'udfinfo: Warning: Partition Space overlaps with other blocks'
# udfclient aborts ("buffer overflow detected") once its working directory passes about 1 KiB
# (1,034 bytes works, 1,086 aborts): deeper directories are not entered, on both sides.
UDFCLIENT_PATH_MAX = 1000


class Known(Exception):
    """A reader's limitation, with the evidence that this is the case."""


def manifest(path):
    """{'names': [(path, kind, size, sha)], 'iso': [...]}: the Joliet/UDF and ISO 9660 views."""
    names, iso = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#'):
                continue
            kind, size, sha, _mtime, p, ip = line.rstrip('\n').split('\t')
            v = (kind, None if kind == 'd' else int(size), None if kind == 'd' else sha)
            names.append((p,) + v)
            if ip != '-':
                iso.append((ip,) + v)
    return {'names': names, 'iso': iso}


def run(cmd, timeout=600):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def shown(ident, is_dir):
    """An ISO 9660 identifier as the manifest has it: no ";1", no bare trailing '.'."""
    if not is_dir:
        ident = ident.split(';')[0]
        if len(ident) > 1 and ident.endswith('.'):
            ident = ident[:-1]
    return ident


def shown_path(path, is_dir):
    comps = path.split('/')[1:]
    return '/' + '/'.join(shown(c, is_dir or i + 1 < len(comps)) for i, c in enumerate(comps))


def from_entries(entries, iso=False):
    out = []
    for comps, is_dir, size, _extra in entries:
        comps = [shown(c, is_dir or i + 1 < len(comps)) if iso else c
                 for i, c in enumerate(comps)]
        out.append(('/' + '/'.join(comps), 'd' if is_dir else 'f', None if is_dir else size, None))
    return out


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''):
            h.update(b)
    return h.hexdigest()


def walk_dir(root):
    out = []
    for d, dirs, files in os.walk(root):
        rel = d[len(root):] or ''
        for n in dirs:
            out.append((rel + '/' + n, 'd', None, None))
        for n in files:
            p = os.path.join(d, n)
            out.append((rel + '/' + n, 'f', os.path.getsize(p), sha256_file(p)))
    return out


class Sink:
    def __init__(self):
        self.h = hashlib.sha256()

    def write(self, b):
        self.h.update(b)


def le32(b, o):
    return struct.unpack_from('<I', b, o)[0]


def read_sector(img, n):
    with open(img, 'rb') as f:
        f.seek(n * SECTOR)
        return f.read(SECTOR)


def anchor(img, n):
    """The main volume descriptor sequence an anchor at sector n points at, or None."""
    b = read_sector(img, n)
    if len(b) < SECTOR or struct.unpack_from('<H', b, 0)[0] != 2:
        return None
    return le32(b, 16), le32(b, 20)


def unallocated_blocks(img):
    """The sectors the UDF volume's unallocated space bitmap (ECMA-167 4/14.12) marks free, read
    independently of the engine: anchor at 256 -> main sequence -> partition descriptor (3/10.5)
    -> its partition header (4/14.3). An empty set when any of it is missing."""
    free = set()
    main = anchor(img, 256)
    if main is None:
        return free
    vds = main[1]
    for n in range(vds, vds + 16):
        b = read_sector(img, n)
        if len(b) < SECTOR or not is_udf_tag(b):
            break
        tid = struct.unpack_from('<H', b, 0)[0]
        if tid == 8:
            break
        if tid != 5:
            continue
        start = struct.unpack_from('<I', b, 188)[0]
        bitmap_length, bitmap_block = struct.unpack_from('<II', b, 64)   # 4/14.3: the bitmap
        if not bitmap_length & 0x3FFFFFFF:
            return free
        bm = b''.join(read_sector(img, start + bitmap_block + i)
                      for i in range(((bitmap_length & 0x3FFFFFFF) + SECTOR - 1) // SECTOR))
        if struct.unpack_from('<H', bm, 0)[0] != 264:
            return free
        bits = struct.unpack_from('<I', bm, 16)[0]
        for block in range(bits):
            if bm[24 + block // 8] >> (block % 8) & 1:
                free.add(start + block)
        return free
    return free


def is_udf_tag(b):
    """A valid ECMA-167 descriptor tag (checksum, version 2 or 3, reserved byte 0)."""
    return (len(b) >= 16 and b[5] == 0 and struct.unpack_from('<H', b, 2)[0] in (2, 3)
            and (sum(b[:4]) + sum(b[5:16])) & 0xFF == b[4])


# ---- Readers: (image, work dir, sample) -> (view, view name, complaints) ----
# view name picks the manifest's naming: 'names' (Joliet, UDF), 'iso', 'latin1' (Joliet names
# as isoinfo prints them), 'counts' (udfinfo) or 'udfclient'.

def isoinfo_iso(img, work, s):
    rc, out, err = run(['isoinfo', '-l', '-i', img])
    if rc:
        raise RuntimeError('isoinfo -l exits %d: %s' % (rc, err[:300]))
    return from_entries(C.parse_isoinfo(out.decode('latin-1'), True), iso=True), 'iso', err, None


def isoinfo_joliet(img, work, s):
    rc, out, err = run(['isoinfo', '-J', '-l', '-i', img])
    if rc:
        raise RuntimeError('isoinfo -J -l exits %d: %s' % (rc, err[:300]))
    return from_entries(C.parse_isoinfo(out.decode('latin-1'), True)), 'latin1', err, None


def xorriso(view):
    def reader(img, work, s):
        fs = ['-read_fs', 'norock', '-joliet_map', 'unmapped'] if view == 'names' else \
             ['-read_fs', 'ecma119', '-ecma119_map', 'unmapped']
        rc, out, err = run(['xorriso'] + fs + ['-indev', img, '-find', '/', '-exec', 'lsdl'])
        if rc:
            raise RuntimeError('xorriso exits %d: %s' % (rc, err[-300:]))
        bad = [l for l in err.decode('utf-8', 'replace').splitlines()
               if any(' : %s : ' % w in l for w in ('WARNING', 'SORRY', 'FAILURE', 'FATAL', 'MISHAP'))]
        return from_entries(C.parse_xorriso(out.decode('utf-8')), iso=view == 'iso'), view, \
            '\n'.join(bad).encode(), None
    return reader


def seven_zip(kind):
    def reader(img, work, s):
        x = tempfile.mkdtemp(dir=work)
        try:
            rc, out, err = run(['7z', 'x', '-t' + kind, '-o' + x, '-y', img])
            text = (out + err).decode('utf-8', 'replace')
            e = err.decode('utf-8', 'replace')       # 7z repeats its errors on stderr
            errors = [l.strip() for l in e.split('ERRORS:', 1)[1].strip().split('\n\n')[0]
                      .splitlines()] if 'ERRORS:' in e else []
            view = walk_dir(x)
            if rc == 2 and errors == ['Headers Error'] and kind == 'UDF':
                if s['kind'] == 'complete':
                    return view, 'names', b'', known_7z_tail(img, s.get('in_place') == '1')
                # A stopped write: the session written so far lies after what the old tree
                # uses ("data after the end of archive"); the tree read must still be one of two.
                return view, 'names', b'Headers Error, data after the end', None
            if rc:
                raise RuntimeError('7z x -t%s exits %d: %s' % (kind, rc, text[-400:]))
            notes = [l for l in text.splitlines() if 'warning' in l.lower() or 'error' in l.lower()]
            return view, 'names', '\n'.join(notes).encode(), None
        finally:
            shutil.rmtree(x, ignore_errors=True)
    return reader


def known_7z_tail(img, in_place):
    """7-Zip's "Headers Error" on UDF means NoEndAnchor: after the last sector it reads
    (descriptor sequences, the metadata file, file data) it accepts only zeros and the closing
    anchor. It is KNOWN (the engine issue random_sessions --repro-7z-tail shows) when what
    follows that sector is UDF descriptors only (the metadata mirror and bitmap, which 7-Zip does
    not read), and, on a volume updated in place, what its space held before: free space (the
    bitmap says so) and the old tree's sectors, which stay allocated for one session so that a
    stopped burn leaves the old tree whole; the extracted tree must still be the expected one.
    Returns the explanation; raises when the tail holds anything else."""
    rc, out, _err = run(['7z', 'l', '-slt', '-tUDF', img])
    phy = [int(l.split(' = ')[1]) for l in out.decode('utf-8', 'replace').splitlines()
           if l.startswith('Physical Size = ')]
    sectors = os.path.getsize(img) // SECTOR
    if not phy:
        raise RuntimeError('7z -tUDF: Headers Error and no physical size')
    first = phy[0] // SECTOR
    tags = {}
    free = None
    unallocated = kept = 0
    for n in range(first, sectors - 1):
        b = read_sector(img, n)
        if not any(b):
            continue
        if is_udf_tag(b):
            tid = struct.unpack_from('<H', b, 0)[0]
            tags[tid] = tags.get(tid, 0) + 1
            continue
        # Updated in place, a volume keeps what its free space held (removed files' data, old
        # identifiers): 7-Zip does not read the space bitmap that says so.
        if free is None:
            free = unallocated_blocks(img)
        if n in free:
            unallocated += 1
        elif in_place:
            kept += 1
        else:
            raise RuntimeError('7z -tUDF: Headers Error, and sector %d after 7-Zip\'s last (%d) '
                               'is neither a UDF descriptor nor free in the space bitmap'
                               % (n, first))
    return ('7z -tUDF says "Headers Error": between its last sector (%d) and the closing anchor '
            '(%d) lie only UDF descriptors it does not read (tag id: count %s, the metadata '
            'partition\'s mirror and bitmap files), %d sectors the space bitmap marks free '
            'and %d allocated outside the tree (updated in place: what the space held before, '
            'and the old tree\'s sectors, kept for one session); the extracted tree is right'
            % (first, sectors - 1, ', '.join('%d: %d' % kv for kv in sorted(tags.items())),
               unallocated, kept))


def pycdlib_open(img, s):
    iso = pycdlib.PyCdlib()
    try:
        iso.open(img)
    except pycdlib.pycdlibexception.PyCdlibInvalidISO as e:
        if str(e) == 'Anchor points do not match' and s['kind'] == 'stopped':
            pvd = read_sector(img, 16)
            n = le32(pvd, 80)
            a, b = anchor(img, 256), anchor(img, n - 1)
            if a and b and a != b:
                raise Known('pycdlib refuses the image: its anchors at 256 (VDS %s) and at the '
                            'volume\'s last sector %d (VDS %s) differ, as they must while the '
                            'head is rewritten (pycdlib wants all anchors equal)' % (a, n - 1, b))
        raise
    return iso


def pycdlib_walk(kind):
    def reader(img, work, s):
        iso = pycdlib_open(img, s)
        try:
            key = {'joliet': 'joliet_path', 'iso': 'iso_path'}[kind]
            if kind == 'joliet' and iso.joliet_vd is None:
                raise RuntimeError('pycdlib finds no Joliet volume')
            out = []
            for d, dirs, files in iso.walk(**{key: '/'}):
                base = '' if d == '/' else d
                for n in dirs:
                    out.append((base + '/' + n, 'd', None, None))
                for n in files:
                    p = base + '/' + n
                    sink = Sink()
                    iso.get_file_from_iso_fp(sink, **{key: p})
                    size = iso.get_record(**{key: p}).get_data_length()
                    out.append((p, 'f', size, sink.h.hexdigest()))
            if kind == 'iso':
                out = [(shown_path(p, t == 'd'), t, z, h) for p, t, z, h in out]
            return out, 'iso' if kind == 'iso' else 'names', b'', None
        finally:
            iso.close()
    return reader


def pycdlib_udf(img, work, s):
    """pycdlib's UDF side, walked by its records (file identifiers and file entries): its own
    path walk joins a path's names in the encoding of the last one, which breaks on a path that
    mixes 8-bit and 16-bit CS0 names. Data read through the allocation descriptors pycdlib
    parsed (check_udf.read_extents)."""
    iso = pycdlib_open(img, s)
    try:
        if iso.udf_root is None:
            raise RuntimeError('pycdlib finds no UDF file system')
        part_start = iso.udf_main_descs.partitions[0].part_start_location
        out = []

        def walk(entry, path, depth):
            if depth > 64:
                raise RuntimeError('directory loop at %s' % path)
            for fi in entry.fi_descs:
                if fi.isparent or fi.file_characteristics & CU.DELETED:
                    continue
                p = path + '/' + CU.fid_name(fi)
                e = fi.file_entry
                if e is None:
                    raise RuntimeError('%s: its file identifier points at no file entry' % p)
                if e.is_dir():
                    out.append((p, 'd', None, None))
                    walk(e, p, depth + 1)
                else:
                    sink = Sink()
                    CU.read_extents(iso, part_start, e, sink)
                    out.append((p, 'f', e.get_data_length(), sink.h.hexdigest()))
        walk(iso.udf_root, '', 0)
        return out, 'names', b'', None
    finally:
        iso.close()


def udfinfo(img, work, s):
    rc, out, err = run(['udfinfo', img])
    if rc:
        raise RuntimeError('udfinfo exits %d: %s' % (rc, err[:300]))
    kv = dict(l.split('=', 1) for l in out.decode('utf-8', 'replace').splitlines() if '=' in l)
    if kv.get('udfwriterev') != s['udf']:
        raise RuntimeError('udfinfo: udfwriterev %s, expected %s' % (kv.get('udfwriterev'), s['udf']))
    notes = [l for l in err.decode('utf-8', 'replace').splitlines() if l != UDFINFO_EXPECTED]
    return [('numfiles', 'n', int(kv.get('numfiles', -1)), None),
            ('numdirs', 'n', int(kv.get('numdirs', -1)), None)], 'counts', \
        '\n'.join(notes).encode(), None


def osta_name(name):
    """The name udfclient shows for a UDF file identifier: the OSTA translation of UDF 6.7.1 as
    a UNIX system makes it with only U+0020..U+007E printable. Each run of other characters
    (and '/') becomes one '_', in the name and in its extension alike (an extension: at most 5
    characters after the last '.'); then, if anything was replaced or the name is longer than
    255, '#' and 4 hex digits of the CRC of the whole name (UTF-16 units, high byte first) go
    before the extension, the name cut to make room."""
    raw = name.encode('utf-16-be')
    units = list(struct.unpack('>%dH' % (len(raw) // 2), raw))
    limit, ext_size = 255, 5

    def bad(u):
        return u == 0 or u == 0x2F or not 0x20 <= u < 0x7F

    def translate(seq):
        out, replaced, i = [], False, 0
        while i < len(seq):
            u = seq[i]
            if bad(u):
                replaced, u = True, 0x5F
                while i + 1 < len(seq) and bad(seq[i + 1]):
                    i += 1
            out.append(u)
            i += 1
        return out, replaced

    dot = max((i for i, u in enumerate(units) if u == 0x2E), default=-1)
    has_ext = dot > 0 and 0 < len(units) - dot - 1 <= ext_size
    stem, ext = (units[:dot], units[dot + 1:]) if has_ext else (units, [])
    t_stem, r1 = translate(stem)
    t_ext, r2 = translate(ext)
    whole = t_stem + ([0x2E] + t_ext if has_ext else [])
    if not (r1 or r2) and len(whole) <= limit:
        return ''.join(chr(u) for u in whole)
    crc = [ord(c) for c in '#%04X' % C.crc_itu(name.encode('utf-16-be'))]
    tail = [0x2E] + t_ext[:ext_size] if has_ext else []
    keep = limit - len(crc) - len(tail)
    return ''.join(chr(u) for u in t_stem[:keep] + crc + tail)


class UdfClient:
    """One udfclient process fed batches of commands; each batch ends with an "lcd" to a
    directory of its own, whose answer marks the end of the batch's output."""

    def __init__(self, img, work):
        self.marker = os.path.join(work, 'batch-end')
        os.makedirs(self.marker, exist_ok=True)
        self.p = subprocess.Popen(['stdbuf', '-oL', '-eL', 'udfclient', '-b', '2048', img],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.pending = b''
        self.deadline = time.monotonic() + 300
        self.log = []
        self.read_until('Current FS working directory ', 1)

    def read_until(self, end, count):
        lines = []
        while True:
            while b'\n' in self.pending:
                line, self.pending = self.pending.split(b'\n', 1)
                text = line.decode('latin-1')
                lines.append(text)
                if end in text:
                    count -= 1
                    if not count:
                        self.log += lines
                        return lines
            left = self.deadline - time.monotonic()
            r = select.select([self.p.stdout], [], [], max(left, 0))[0] if left > 0 else []
            chunk = os.read(self.p.stdout.fileno(), 1 << 16) if r else b''
            if not chunk:
                self.log += lines
                raise RuntimeError('udfclient %s (exit %s) after: %s'
                                   % ('ended' if r else 'timed out', self.p.poll(),
                                      ' | '.join(lines[-3:])[:300]))
            self.pending += chunk

    def batch(self, groups, per_chunk=16):
        """Runs groups of commands (a group: cd ... then ls or get), a few groups at a time:
        each chunk's output is read before the next is sent, so that neither pipe fills up
        while the other end waits."""
        lines = []
        for at in range(0, len(groups), per_chunk):
            commands = [c for g in groups[at:at + per_chunk] for c in g]
            commands.append('lcd "%s"' % self.marker)
            self.p.stdin.write(''.join(c + '\n' for c in commands).encode('latin-1'))
            self.p.stdin.flush()
            lines += self.read_until('Changing local directory to ',
                                     sum(1 for c in commands if c.startswith('lcd ')))
        return lines

    def close(self):
        try:
            self.p.communicate(b'quit\n', timeout=30)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.p.kill()
            self.p.communicate()


def quoted(name):
    if '"' in name:
        raise RuntimeError('udfclient cannot be given a name containing \'"\': %r' % name)
    return '"%s"' % name


def udfclient(img, work, s):
    """udfclient (UDFclient, its own UDF implementation): every directory listed (relative cd
    into it, ls), every file fetched (get) and digested. Directories past UDFCLIENT_PATH_MAX are
    not entered (see there)."""
    uc = UdfClient(img, work)
    try:
        blocks = C.parse_udfclient('\n'.join(uc.batch([['ls']])))
        vols = [e for e in (blocks[-1][1] if blocks and blocks[-1][0] == '/' else []) if e[1]]
        if len(vols) != 1:
            raise RuntimeError('udfclient shows %d logical volumes' % len(vols))
        vol = vols[0][0]
        root = '/' + vol
        out, todo, files = [], [()], []
        while todo:
            level, todo = todo, []
            cmds = [['cd %s' % quoted(root)] + ['cd %s' % quoted(c) for c in d] + ['ls']
                    for d in level]
            lines = uc.batch(cmds)
            # Every cd that works answers with the new working directory.
            moved = sum(1 for l in lines if 'UDF working directory is ' in l)
            if moved != sum(1 for g in cmds for c in g if c.startswith('cd ')):
                raise RuntimeError('udfclient cannot enter every directory it listed: %s'
                                   % ' | '.join(l for l in lines if C.udfclient_complaint(l))[:300])
            blocks = C.parse_udfclient('\n'.join(lines))
            if len(blocks) != len(level):
                raise RuntimeError('udfclient lists %d of %d directories' % (len(blocks), len(level)))
            for d, (_header, items) in zip(level, blocks):
                for name, is_dir, size in items:
                    p = d + (name,)
                    full = len((root + '/' + '/'.join(p)).encode('latin-1', 'replace'))
                    out.append(('/' + '/'.join(p), 'd' if is_dir else 'f',
                                None if is_dir else size, None))
                    if full <= UDFCLIENT_PATH_MAX:
                        if is_dir:
                            todo.append(p)
                        else:
                            files.append((p, len(out) - 1))
        x = os.path.join(work, 'x')
        os.makedirs(x, exist_ok=True)
        cmds = [['lcd %s' % quoted(x), 'cd %s' % quoted(root)] +
                ['cd %s' % quoted(c) for c in p[:-1]] +
                ['get %s %s' % (quoted(p[-1]), quoted('%d.bin' % k))]
                for k, (p, _) in enumerate(files)]
        uc.batch(cmds)
        for k, (p, at) in enumerate(files):
            local = os.path.join(x, '%d.bin' % k)
            path, kind, size, _ = out[at]
            out[at] = (path, kind, size, sha256_file(local) if os.path.isfile(local) else 'missing')
        complaints = [l for l in uc.log if C.udfclient_complaint(l)]
        return out, 'udfclient:%d' % len(vol), '\n'.join(complaints[:5]).encode(), None
    finally:
        uc.close()
        subprocess.run(['chmod', '-R', 'u+rwX', work])


def expected_view(m, name):
    if name == 'counts':
        files = sum(1 for e in m['names'] if e[1] == 'f')
        return [('numfiles', 'n', files, None),
                ('numdirs', 'n', len(m['names']) - files + 1, None)]
    if name == 'latin1':
        return [(C.latin1_xform(p), k, z, h) for p, k, z, h in m['names']]
    return m[name]


def differences(want, got, contents):
    strip = (lambda e: e) if contents else (lambda e: e[:3] + (None,))
    a = sorted(map(strip, want), key=repr)
    b = sorted(map(strip, got), key=repr)
    if a == b:
        return None
    sa, sb = set(a), set(b)
    missing = [e for e in a if e not in sb][:3]
    extra = [e for e in b if e not in sa][:3]
    return 'missing %s; unexpected %s (%d vs %d entries)' % (missing, extra, len(a), len(b))


def udfclient_canonical(path):
    """A path as udfclient shows it, with each run of '_' in the extension of a name that
    carries the CRC ("#XXXX.ext") made one '_': for extension characters above U+00FF udfclient
    writes one '_' or more (measured: "q.\u734f" shows as "q#CE31._", "r.\u734f\u8c50" as
    "r#CFAB.__"; the UDF 6.7.1 sample code it follows tests those units with the C library's
    isprint(), defined only up to 0xFF). The CRC of the whole name still pins every name."""
    out = []
    for c in path.split('/'):
        m = re.match(r'^(.*#[0-9A-F]{4})\.(.*)$', c)
        out.append(m.group(1) + '.' + re.sub('_+', '_', m.group(2)) if m else c)
    return '/'.join(out)


def udfclient_expected(m, vol_length):
    """The manifest as udfclient shows it: names translated, nothing below a directory it does
    not enter, contents only of files it fetches."""
    out = []
    for p, k, z, h in m['names']:
        comps = [osta_name(c) for c in p.split('/')[1:]]
        parent = 1 + vol_length + sum(1 + len(c) for c in comps[:-1])
        full = parent + 1 + len(comps[-1])
        if parent > UDFCLIENT_PATH_MAX:
            continue
        out.append(('/' + '/'.join(comps), k, z, h if full <= UDFCLIENT_PATH_MAX else None))
    return out


def judge(s, reader_name, reader):
    """One reader on one sample: (status, line), status 'OK', 'KNOWN' or 'FAIL'."""
    img = os.path.join(samples, s['name'] + '.img')
    work = tempfile.mkdtemp(prefix='judge-', dir=samples)
    label = '%s %s' % (reader_name, s['name'])
    try:
        try:
            view, name, notes, known = reader(img, work, s)
        except Known as e:
            return 'KNOWN', 'KNOWN %s: %s' % (label, e)
        except Exception as e:
            return 'FAIL', 'FAIL %s: %s: %s' % (label, type(e).__name__, str(e)[:600])
        if notes and s['kind'] == 'complete':
            return 'FAIL', 'FAIL %s: complaints: %s' % (label, notes.decode('utf-8', 'replace')[:600])
        contents = any(e[3] is not None for e in view)
        if name.startswith('udfclient:'):
            view = [(udfclient_canonical(e[0]),) + tuple(e[1:]) for e in view]
        found = []
        for which, m in s['manifests']:
            if name.startswith('udfclient:'):
                want = [(udfclient_canonical(e[0]),) + tuple(e[1:])
                        for e in udfclient_expected(m, int(name.split(':')[1]))]
            else:
                want = expected_view(m, name)
            diff = differences(want, view, contents)
            if diff is None:
                note = ' (said: %s)' % notes.decode('utf-8', 'replace')[:200].replace('\n', ' | ') \
                    if notes else ''
                unfetched = sum(1 for e in view if e[1] == 'f' and e[3] is None) if contents else 0
                if known:
                    return 'KNOWN', 'KNOWN %s: the %s tree, but %s' % (label, which, known)
                return 'OK', 'OK %s: the %s tree, %d entries%s%s%s' % (
                    label, which, len(view), ', contents compared' if contents else '',
                    ' (%d beyond its path limit not fetched)' % unfetched if unfetched else '',
                    note)
            found.append('%s tree: %s' % (which, diff))
        return 'FAIL', 'FAIL %s: %s' % (label, ' // '.join(found))
    finally:
        shutil.rmtree(work, ignore_errors=True)


ISO_READERS = [('isoinfo-iso9660', isoinfo_iso), ('isoinfo-joliet', isoinfo_joliet),
               ('xorriso-joliet', xorriso('names')), ('xorriso-iso9660', xorriso('iso')),
               ('7z-iso', seven_zip('Iso')), ('pycdlib-joliet', pycdlib_walk('joliet')),
               ('pycdlib-iso9660', pycdlib_walk('iso'))]
UDF_READERS = [('udfinfo', udfinfo), ('7z-udf', seven_zip('UDF')), ('udfclient', udfclient)]


def main():
    items = []
    with open(os.path.join(samples, 'index.txt')) as f:
        for line in f:
            w = line.split()
            s = dict(kv.split('=', 1) for kv in w[2:])
            s['kind'], s['name'] = w[0], w[1]
            for g in sorted(os.listdir(samples)):      # the groups' directories
                if os.path.exists(os.path.join(samples, g, s['name'] + '.img')):
                    s['name'] = os.path.join(g, s['name'])
            if s['kind'] == 'complete':
                s['manifests'] = [('new', manifest(os.path.join(samples, s['name'] + '.manifest')))]
            else:
                s['manifests'] = [(k, manifest(os.path.join(samples, s['name'] + '.%s.manifest' % k)))
                                  for k in ('old', 'new')]
            readers = list(ISO_READERS) if s['iso'] == '1' else []
            if s['udf'] != '-':
                readers += UDF_READERS
                if s['iso'] == '1':
                    readers.append(('pycdlib-udf', pycdlib_udf))
            for r in readers:
                items.append((s, r))
    counts = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda it: judge(it[0], *it[1]), items))
    for (s, (rname, _)), (status, line) in zip(items, results):
        print(line)
        c = counts.setdefault(rname, {'OK': 0, 'KNOWN': 0, 'FAIL': 0})
        c[status] += 1
    total = {k: sum(c[k] for c in counts.values()) for k in ('OK', 'KNOWN', 'FAIL')}
    print('readers: %d samples, %d reader checks: %d passed, %d known reader limitations, %d '
          'failed' % (len(set(s['name'] for s, _ in items)), len(items), total['OK'],
                      total['KNOWN'], total['FAIL']))
    print('per reader (passed/known/failed): %s'
          % ', '.join('%s %d/%d/%d' % (k, v['OK'], v['KNOWN'], v['FAIL'])
                      for k, v in sorted(counts.items())))
    return 1 if total['FAIL'] else 0


sys.exit(main())
EOF
if [ -s "$samples/index.txt" ]; then
    "$python" "$work/judge.py" "$samples" "$conformance" "$jobs" || fail "independent readers"
else
    fail "random_sessions wrote no samples"
fi

echo "check_random_sessions: $(($(date +%s) - start)) s in all"
[ $failures -eq 0 ] && echo "check_random_sessions: all checks passed"
exit $((failures != 0))
