#!/usr/bin/python3
"""Check an ISO 9660 (+ Joliet) image against the source tree it was made from, with pycdlib.

Usage: check_image.py IMAGE SRC [--volume NAME] [--level 1|2|3] [--no-joliet] [--allow LIST]

What it proves (each failure is printed as "FAIL pycdlib <check>: <path>: <difference>"):
  open      pycdlib (a strict, independent parser) opens the image.
  volume    the primary volume identifier is NAME (or NAME mapped to d-characters), the Joliet
            one is NAME cut to 16 characters; block size 2048; the volume space size covers the
            image file exactly; a Joliet descriptor (UCS-2 escape %/@, %/C or %/E) exists exactly
            when Joliet is expected.
  joliet    the Joliet tree holds exactly the source's paths with the source's names (no ";1"
            on files; a name over 64 characters may be shortened, see conformance.py), no
            forbidden characters, names unique in each directory.
  joliet-ids  through pycdlib's own API (walk and get_record with joliet_path, which give
            identifiers as recorded, where other readers hide versions): no Joliet identifier
            carries a version (";1"), and every source path whose names are at most 64
            characters is found exactly, each name whole, with the source's type.
  content   every file's data, read through its Joliet record(s) (or its ISO 9660 record(s)
            without Joliet), equals the source byte for byte.
  iso       the ISO 9660 tree has the source's shape; every identifier is d-characters,
            "NAME.EXT;1" for files, within the level's length limits, unique per directory.
  shared    each ISO 9660 file record points to the same extent(s) as its Joliet twin.
  sections  a file of 4 GiB or more is a chain of records with the multi-extent flag on all but
            the last (level 3 only; levels 1 and 2 allow one section per file).
  dates     each file record's date is the source file's mtime in UTC, with offset 0.
  records   directory records in ECMA-119 9.3 order, none crossing a sector boundary,
            both-endian fields agreeing, "." and ".." pointing at the directory and its parent,
            directory sizes multiples of 2048.
  paths     both path tables of each tree (type L and type M) list every directory once, with
            its identifier, extent and parent, in ECMA-119 6.9.1 order.
  extents   nothing overlaps: volume descriptors, path tables, directories and file data lie
            within the volume; two files share data only by pointing at the very same extent.
"""
import argparse
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import conformance as C  # noqa: E402

try:
    import pycdlib
except ImportError:
    sys.stderr.write('check_image.py: pycdlib missing (apt-get install python3-pycdlib; '
                     'run with /usr/bin/python3)\n')
    sys.exit(2)

BLOCK = 2048
MULTI_EXTENT = 0x80
DIRECTORY = 0x02

LVD_MAP_TABLE_LENGTH, LVD_MAP_COUNT, LVD_MAPS = 264, 268, 440   # ECMA-167 3/10.6.8, 10.6.9, 10.6.13


def fix_pycdlib_partition_maps():
    """pycdlib 1.12 refuses every logical volume descriptor with more than one partition map of
    6 + 64 bytes (each UDF 2.50/2.60 metadata partition): its bounds checks count a map's offset
    twice ("Partition map goes beyond end of data"). This wraps its parse: pycdlib parses the
    descriptor and its first map as ever, and the following maps are parsed by pycdlib's own map
    classes after a correct bounds check. Nothing else of pycdlib changes; it still reads every
    other structure itself."""
    udf = pycdlib.udf
    original = udf.UDFLogicalVolumeDescriptor.parse
    classes = {0: udf.UDFType0PartitionMap, 1: udf.UDFType1PartitionMap,
               2: udf.UDFType2PartitionMap}

    def parse(self, data, extent, desc_tag):
        count = struct.unpack_from('<L', data, LVD_MAP_COUNT)[0]
        if count <= 1:
            return original(self, data, extent, desc_tag)
        one = bytearray(data)
        struct.pack_into('<L', one, LVD_MAP_COUNT, 1)
        original(self, bytes(one), extent, desc_tag)
        table = struct.unpack_from('<L', data, LVD_MAP_TABLE_LENGTH)[0]
        offset = data[LVD_MAPS + 1]        # the first map's length
        for _ in range(1, count):
            if offset + 2 > table or LVD_MAPS + offset + 2 > len(data):
                raise pycdlib.pycdlibexception.PyCdlibInvalidISO('partition map beyond the table')
            kind, length = data[LVD_MAPS + offset], data[LVD_MAPS + offset + 1]
            if kind not in classes or offset + length > table or LVD_MAPS + offset + length > len(data):
                raise pycdlib.pycdlibexception.PyCdlibInvalidISO('bad partition map %d' % kind)
            m = classes[kind]()
            m.parse(data[LVD_MAPS + offset:LVD_MAPS + offset + length])
            self.partition_maps.append(m)
            offset += length

    udf.UDFLogicalVolumeDescriptor.parse = parse


fix_pycdlib_partition_maps()


def le16(b, o):
    return struct.unpack_from('<H', b, o)[0]


def be16(b, o):
    return struct.unpack_from('>H', b, o)[0]


def le32(b, o):
    return struct.unpack_from('<I', b, o)[0]


def be32(b, o):
    return struct.unpack_from('>I', b, o)[0]


class Image:
    def __init__(self, path):
        self.path = path
        self.f = open(path, 'rb')
        self.size = os.fstat(self.f.fileno()).st_size

    def read(self, offset, length):
        return os.pread(self.f.fileno(), length, offset)


def raw_directory(img, lba, length, where, probs, joliet):
    """The records of one directory extent as recorded:
    [(ident_bytes, flags, extent, size, date_bytes)]."""
    out = []
    data = img.read(lba * BLOCK, length)
    if len(data) < length:
        probs.add(where, 'directory extent %d+%d runs past the end of the image' % (lba, length))
        return out
    off = 0
    while off < length:
        ln = data[off]
        if ln == 0:
            off = (off // BLOCK + 1) * BLOCK
            continue
        if off % BLOCK + ln > BLOCK:
            probs.add(where, 'directory record at byte %d crosses a sector boundary' % off)
        rec = data[off:off + ln]
        if len(rec) < 34:
            probs.add(where, 'short directory record at byte %d' % off)
            break
        ext, ext_be = le32(rec, 2), be32(rec, 6)
        size, size_be = le32(rec, 10), be32(rec, 14)
        seq, seq_be = le16(rec, 28), be16(rec, 30)
        fil = rec[32]
        ident = rec[33:33 + fil]
        if ext != ext_be or size != size_be or seq != seq_be:
            probs.add(where, 'record %r: little- and big-endian fields disagree' % ident)
        if seq != 1:
            probs.add(where, 'record %r: volume sequence number %d' % (ident, seq))
        if 33 + fil > ln:
            probs.add(where, 'record %r: identifier longer than the record' % ident)
        out.append((ident, rec[25], ext, size, bytes(rec[18:25])))
        off += ln
    return out


def decode_ident(b, joliet):
    if joliet:
        try:
            return b.decode('utf-16-be')
        except UnicodeDecodeError:
            return b.decode('utf-16-be', errors='replace')
    return b.decode('latin-1')


class RawDate:
    """The 7-byte recording date of a directory record (ECMA-119 9.1.5)."""
    __slots__ = ('years_since_1900', 'month', 'day_of_month', 'hour', 'minute', 'second',
                 'gmtoffset')

    def __init__(self, b):
        (self.years_since_1900, self.month, self.day_of_month, self.hour, self.minute,
         self.second, self.gmtoffset) = struct.unpack('<6Bb', b)


def build_tree(img, vd, joliet, level, probs, allow):
    """Walk one tree as recorded (raw directory records), checking that pycdlib sees the same
    records. Returns (root Node, list of directory (lba, blocks, path))."""
    root_rec = vd.root_directory_record()
    root = C.Node('', True, lba=root_rec.extent_location(), length=root_rec.data_length)
    dirs = []
    # (pycdlib record or None, node, parent lba)
    todo = [(root_rec, root, root_rec.extent_location())]
    while todo:
        rec, node, parent_lba = todo.pop()
        lba = node.extra['lba']
        length = node.extra['length']
        where = (node.path() or '/')
        dirs.append((lba, (length + BLOCK - 1) // BLOCK, node.path()))
        if length % BLOCK:
            probs['records'].add(where, 'directory size %d is not a multiple of %d' % (length, BLOCK))
        raw = raw_directory(img, lba, length, where, probs['records'], joliet)
        # ".", ".." first, pointing at this directory and its parent.
        if len(raw) < 2 or raw[0][0] != b'\x00' or raw[1][0] != b'\x01':
            probs['records'].add(where, 'directory does not start with "." and ".."')
        else:
            if raw[0][2] != lba:
                probs['records'].add(where, '"." points at %d, not at the directory (%d)' % (raw[0][2], lba))
            if raw[1][2] != parent_lba and not (joliet and 'joliet-dotdot-self' in allow
                                                and raw[1][2] == lba):
                probs['records'].add(where, '".." points at %d, not at the parent (%d)' % (raw[1][2], parent_lba))
        raw = raw[2:]
        idents = [decode_ident(r[0], joliet) for r in raw]
        for p in C.order_problems(idents):
            probs['records'].add(where, p)
        # pycdlib must see the same records (it keeps them in its own order).
        py_children = {}
        if rec is not None:
            py = [c for c in rec.children if not (c.is_dot() or c.is_dotdot())]
            if sorted(r[0] for r in raw) != sorted(c.file_identifier() for c in py):
                probs['records'].add(where, 'pycdlib sees other records than are recorded')
            for c in py:
                if c.is_dir():
                    py_children[c.file_identifier()] = c
        # Consecutive records of one name are the sections of one file.
        groups = []
        for r in raw:
            if groups and groups[-1][0] == r[0] and not r[1] & DIRECTORY:
                groups[-1][1].append(r)
            else:
                groups.append((r[0], [r]))
        for ident, recs in groups:
            name = decode_ident(ident, joliet)
            ident_b, flags, ext, size, date = recs[0]
            if flags & DIRECTORY:
                if len(recs) > 1:
                    probs['records'].add(where, 'directory %r recorded %d times' % (name, len(recs)))
                child = C.Node(name, True, parent=node, lba=ext, length=size)
                node.children.append(child)
                pyrec = py_children.get(ident)
                if pyrec is not None and pyrec.extent_location() != ext:
                    probs['records'].add(child.path(), 'pycdlib places it at %d, recorded at %d'
                                         % (pyrec.extent_location(), ext))
                todo.append((pyrec, child, lba))
                continue
            sections = [(r[2], r[3]) for r in recs]
            child = C.Node(name, False, sum(r[3] for r in recs), node,
                           sections=sections, dates=[RawDate(r[4]) for r in recs])
            node.children.append(child)
            path = child.path()
            for i, r in enumerate(recs):
                last = i == len(recs) - 1
                if bool(r[1] & MULTI_EXTENT) == last:
                    probs['sections'].add(path, 'section %d of %d %s the multi-extent flag'
                                          % (i + 1, len(recs), 'has' if last else 'lacks'))
            if len(sections) > 1:
                if level < 3:
                    probs['sections'].add(path, '%d sections at interchange level %d (one allowed)'
                                          % (len(sections), level))
                for i, (_, ln) in enumerate(sections[:-1]):
                    if ln % BLOCK:
                        probs['sections'].add(path, 'section %d of %d bytes is not whole blocks'
                                              % (i + 1, ln))
    return root, dirs


def check_joliet_identifiers(iso, src, probs):
    """The joliet-ids check (module doc), with pycdlib's API alone: it shares no parsing with
    build_tree, so a mistake there cannot hide a version or a shortened name."""
    for dirpath, dirnames, filenames in iso.walk(joliet_path='/'):
        for name, is_dir in [(d, True) for d in dirnames] + [(f, False) for f in filenames]:
            if ';' in name:
                probs.add(dirpath.rstrip('/') + '/' + name,
                          'Joliet %s identifier %r carries a version (";" in the identifier)'
                          % ('directory' if is_dir else 'file', name))
    for node in src.walk():
        if node is src:
            continue
        names = node.path().strip('/').split('/')
        if any(C.joliet_len(n, True) > C.JOLIET_MAX or C.joliet_name_problems(n, True, set())
               for n in names):
            continue                # a name that may be shortened or mapped, here or above
        try:
            rec = iso.get_record(joliet_path=node.path())
        except Exception as e:      # pycdlib raises PyCdlibInvalidInput for a missing path
            probs.add(node.path(), 'pycdlib finds no Joliet record named exactly so (%d '
                      'characters; Joliet keeps up to %d whole): %s'
                      % (len(names[-1]), C.JOLIET_MAX, e))
            continue
        got = rec.file_identifier().decode('utf-16-be', errors='replace')
        if got != names[-1]:
            probs.add(node.path(), 'pycdlib gives the identifier %r' % got)
        if rec.is_dir() != node.is_dir:
            probs.add(node.path(), 'a %s in the image, a %s in the source'
                      % ('directory' if rec.is_dir() else 'file',
                         'directory' if node.is_dir else 'file'))


def recorded_date(t):
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, 0)


def d_tuple(d):
    return (d.years_since_1900 + 1900, d.month, d.day_of_month, d.hour, d.minute, d.second,
            d.gmtoffset)


def check_dates(node, src, probs):
    exp = recorded_date(time.gmtime(src.extra['mtime']))[:6]
    for d in node.extra['dates']:
        got = d_tuple(d)[:6]
        if got != exp or d.gmtoffset != 0:
            probs.add(node.path(), 'recorded %04d-%02d-%02d %02d:%02d:%02d offset %d, source mtime '
                      '%04d-%02d-%02d %02d:%02d:%02d UTC' % (got + (d.gmtoffset,) + exp))
            return


def compare_content(img, node, src_path, chunk=1 << 22):
    """None if the file's sections hold exactly the source's bytes, else a description."""
    with open(src_path, 'rb') as sf:
        off = 0
        for lba, length in node.extra['sections']:
            pos = lba * BLOCK
            if pos + length > img.size:
                return 'section at block %d (%d bytes) runs past the end of the image' % (lba, length)
            left = length
            while left:
                n = min(chunk, left)
                a = img.read(pos, n)
                b = sf.read(n)
                if a != b:
                    for i in range(min(len(a), len(b))):
                        if a[i] != b[i]:
                            return 'differs from the source at byte %d' % (off + i)
                    return 'differs from the source at byte %d' % (off + min(len(a), len(b)))
                pos += n
                off += n
                left -= n
        if sf.read(1):
            return 'shorter than the source (%d bytes)' % off
    return None


class _CompareSink:
    """A file-like sink for pycdlib's get_file_from_iso_fp that compares what pycdlib extracts
    with the source file as it arrives, so even the 4.5 GiB file needs no memory."""

    def __init__(self, src_path):
        self.src = open(src_path, 'rb')
        self.offset = 0
        self.error = None

    def write(self, data):
        if self.error is None:
            expected = self.src.read(len(data))
            if expected != data:
                i = next((k for k in range(min(len(expected), len(data)))
                          if expected[k] != data[k]), min(len(expected), len(data)))
                self.error = 'pycdlib extracts bytes that differ from the source at byte %d' % (
                    self.offset + i)
        self.offset += len(data)
        return len(data)

    def finish(self):
        if self.error is None and self.src.read(1):
            self.error = 'pycdlib extracts %d bytes, the source has more' % self.offset
        self.src.close()
        return self.error


def compare_content_via_pycdlib(iso, joliet_path, src_path):
    """None if pycdlib's own extraction of the Joliet file equals the source, else why."""
    sink = _CompareSink(src_path)
    try:
        iso.get_file_from_iso_fp(sink, joliet_path=joliet_path, blocksize=1 << 22)
    except Exception as e:  # pycdlib signals every problem with an exception
        sink.finish()
        return 'pycdlib cannot extract it: %s' % e
    return sink.finish()


def sha256_of(img, node):
    import hashlib
    h = hashlib.sha256()
    for lba, length in node.extra['sections']:
        pos, left = lba * BLOCK, length
        while left:
            n = min(1 << 22, left)
            h.update(img.read(pos, n))
            pos += n
            left -= n
    return h.hexdigest()


def path_table(img, lba, size, big_endian):
    data = img.read(lba * BLOCK, size)
    out = []
    off = 0
    while off < size:
        n = data[off]
        if n == 0:
            return out, 'zero-length entry at byte %d' % off
        ext = (be32 if big_endian else le32)(data, off + 2)
        parent = (be16 if big_endian else le16)(data, off + 6)
        ident = data[off + 8:off + 8 + n]
        out.append((ident, ext, parent))
        off += 8 + n + (n & 1)
    return out, None


def check_path_tables(img, vd, root, joliet, probs, label):
    size = vd.path_tbl_size
    tables = []
    for lba, be in ((vd.path_table_location_le, False), (vd.path_table_location_be, True)):
        t, err = path_table(img, lba, size, be)
        if err:
            probs.add(label, 'type %s path table: %s' % ('M' if be else 'L', err))
        tables.append(t)
    if tables[0] != tables[1]:
        probs.add(label, 'type L and type M path tables differ')
    table = tables[0]
    # Expected: every directory, breadth first by level, then parent number, then identifier.
    by_lba = {}
    for n in root.walk():
        if n.is_dir:
            by_lba[n.extra['lba']] = n
    if len(table) != len(by_lba):
        probs.add(label, 'path table lists %d directories, the tree has %d' % (len(table), len(by_lba)))
    number = {}
    for i, (ident, ext, parent) in enumerate(table, 1):
        number.setdefault(ext, i)
    prev = None
    for i, (ident, ext, parent) in enumerate(table, 1):
        node = by_lba.get(ext)
        if node is None:
            probs.add(label, 'path table entry %d (%r) points at %d, no directory there' % (i, ident, ext))
            continue
        want_ident = b'\x00' if node.parent is None else (
            node.name.encode('utf-16-be') if joliet else node.name.encode('latin-1'))
        if ident != want_ident:
            probs.add(label, 'path table entry %d is %r, the directory at %d is %r'
                      % (i, ident, ext, want_ident))
        want_parent = 1 if node.parent is None else number.get(node.parent.extra['lba'])
        if parent != want_parent:
            probs.add(label, 'path table entry %d (%s): parent %d, expected %s'
                      % (i, node.path(), parent, want_parent))
        depth = node.path().count('/') if node.parent is not None else 0
        key = (depth, parent, decode_ident(ident, joliet))
        if prev is not None and i > 2:
            pd, pp, pn = prev
            if (depth, parent) < (pd, pp) or ((depth, parent) == (pd, pp) and not C.padded_less(pn, key[2])):
                probs.add(label, 'path table entry %d (%s) out of ECMA-119 6.9.1 order' % (i, node.path()))
        prev = key


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('image')
    ap.add_argument('src')
    ap.add_argument('--volume', default=None)
    ap.add_argument('--level', type=int, choices=(1, 2, 3), default=2)
    ap.add_argument('--no-joliet', action='store_true')
    ap.add_argument('--allow', default='')
    a = ap.parse_args(argv[1:])
    if C.skipped(a.image):
        print('SKIP pycdlib: %s' % C.skipped(a.image))
        return 77
    allow = C.parse_allow(a.allow)
    names = ('open', 'volume', 'joliet', 'joliet-ids', 'content', 'iso', 'shared', 'sections',
             'dates', 'records', 'paths', 'extents')
    probs = {k: C.Problems('pycdlib ' + k) for k in names}

    def finish():
        bad = [p for p in probs.values() if p]
        for p in bad:
            p.report()
        return 1 if bad else 0

    img = Image(a.image)
    iso = pycdlib.PyCdlib()
    try:
        iso.open(a.image)
    except Exception as e:          # any refusal is a finding
        probs['open'].add(a.image, 'pycdlib cannot open the image: %s: %s' % (type(e).__name__, e))
        return finish()
    pvd = iso.pvd
    src = C.source_tree(a.src)

    # volume
    vp = probs['volume']
    if pvd.log_block_size != BLOCK:
        vp.add('', 'logical block size %d' % pvd.log_block_size)
    if pvd.space_size * BLOCK != img.size:
        vp.add('', 'volume space size %d blocks (%d bytes), image file is %d bytes'
               % (pvd.space_size, pvd.space_size * BLOCK, img.size))
    if a.volume is not None:
        got = pvd.volume_identifier.decode('latin-1').rstrip(' ')
        if got not in C.iso_volume_ids(a.volume):
            vp.add('', 'ISO 9660 volume identifier %r, expected one of %r'
                   % (got, C.iso_volume_ids(a.volume)))
    jvd = iso.joliet_vd
    if a.no_joliet and jvd is not None:
        vp.add('', 'a Joliet volume descriptor is present, but --no-joliet was given')
    if not a.no_joliet and jvd is None:
        vp.add('', 'no Joliet volume descriptor')
    if jvd is not None:
        if jvd.escape_sequences[:3] not in (b'%/@', b'%/C', b'%/E'):
            vp.add('', 'Joliet escape sequence %r' % jvd.escape_sequences[:3])
        if a.volume is not None:
            got = jvd.volume_identifier.decode('utf-16-be', errors='replace').rstrip(' \x00')
            if got != a.volume[:16]:
                vp.add('', 'Joliet volume identifier %r, expected %r' % (got, a.volume[:16]))
        if jvd.space_size != pvd.space_size:
            vp.add('', 'Joliet descriptor says %d blocks, primary %d' % (jvd.space_size, pvd.space_size))

    level = a.level
    iso_root, iso_dirs = build_tree(img, pvd, False, level, probs, allow)
    check_path_tables(img, pvd, iso_root, False, probs['paths'], 'ISO 9660')
    C.check_iso_names(iso_root, probs['iso'], level, allow)

    jol_root = None
    jol_dirs = []
    if jvd is not None:
        jol_root, jol_dirs = build_tree(img, jvd, True, level, probs, allow)
        check_path_tables(img, jvd, jol_root, True, probs['paths'], 'Joliet')

    if jvd is not None and not a.no_joliet:
        check_joliet_identifiers(iso, src, probs['joliet-ids'])

    nfiles = 0
    if jol_root is not None and not a.no_joliet:
        pairs = C.compare_named(src, jol_root, probs['joliet'], allow, versioned=True)
        twin = {}
        for s, j in pairs:
            if s.is_dir:
                continue
            nfiles += 1
            twin[id(s)] = j
            if s.size == j.size:
                err = compare_content(img, j, s.extra['abspath'])
                if err:
                    probs['content'].add(j.path(), err)
                err = compare_content_via_pycdlib(iso, j.path(), s.extra['abspath'])
                if err:
                    probs['content'].add(j.path(), err)
            check_dates(j, s, probs['dates'])

        def data_key(node):
            secs = node.extra['sections']
            return (node.size, tuple(secs) if node.size else None)

        def src_key(s):
            j = twin.get(id(s))
            return data_key(j) if j is not None else (s.size, 'no Joliet twin')
        iso_pairs = C.compare_shape(src, iso_root, probs['shared'], src_key, data_key)
    else:
        # Without Joliet, files pair with the source by size and SHA-256, then byte by byte.
        src_hash = {}
        img_hash = {}

        def src_key(s):
            if id(s) not in src_hash:
                src_hash[id(s)] = C.sha256_file(s.extra['abspath'])
            return (s.size, src_hash[id(s)])

        def img_key(n):
            if id(n) not in img_hash:
                img_hash[id(n)] = sha256_of(img, n)
            return (n.size, img_hash[id(n)])
        iso_pairs = C.compare_shape(src, iso_root, probs['iso'], src_key, img_key)
        for s, n in iso_pairs:
            if s.is_dir or n.is_dir:
                continue
            nfiles += 1
            err = compare_content(img, n, s.extra['abspath'])
            if err:
                probs['content'].add(n.path(), err)
    # ISO 9660 dates. Files of equal data (0-byte files, say) pair arbitrarily: compare their
    # dates as a set per directory.
    groups = {}
    for s, n in iso_pairs:
        if not s.is_dir and not n.is_dir:
            groups.setdefault((id(s.parent), src_key(s)), []).append((s, n))
    for g in groups.values():
        if len(g) == 1:
            check_dates(g[0][1], g[0][0], probs['dates'])
            continue
        want = sorted(recorded_date(time.gmtime(s.extra['mtime'])) for s, _ in g)
        got = sorted(d_tuple(d) for _, n in g for d in n.extra['dates'][:1])
        if want != got:
            probs['dates'].add(g[0][1].parent.path(), 'dates of the files %s are %s, source mtimes %s'
                               % (', '.join(n.name for _, n in g), got, want))

    # extents
    ep = probs['extents']
    spans = []          # (start, blocks, what, key) key: None = must not overlap anything
    vd_end = 16
    while True:
        blk = img.read(vd_end * BLOCK, 7)
        if len(blk) < 7 or blk[1:6] != b'CD001':
            ep.add('', 'volume descriptor set has no terminator')
            break
        vd_end += 1
        if blk[0] == 255:
            break
    spans.append((16, vd_end - 16, 'volume descriptors', None))
    for vd, label in ((pvd, 'ISO 9660'), (jvd, 'Joliet')):
        if vd is None:
            continue
        n = (vd.path_tbl_size + BLOCK - 1) // BLOCK
        for loc, t in ((vd.path_table_location_le, 'L'), (vd.path_table_location_be, 'M')):
            spans.append((loc, n, '%s type %s path table' % (label, t), None))
    for lba, blocks, path in iso_dirs:
        spans.append((lba, blocks, 'ISO 9660 directory %s' % (path or '/'), None))
    for lba, blocks, path in jol_dirs:
        spans.append((lba, blocks, 'Joliet directory %s' % (path or '/'), None))
    for root, label in ((iso_root, 'ISO 9660'), (jol_root, 'Joliet')):
        if root is None:
            continue
        for n in root.walk():
            if n.is_dir:
                continue
            for lba, length in n.extra['sections']:
                if length:
                    spans.append((lba, (length + BLOCK - 1) // BLOCK, '%s file %s' % (label, n.path()),
                                  (lba, length)))
    spans.sort(key=lambda s: (s[0], -s[1]))
    reach = None        # the span reaching furthest so far
    for sp in spans:
        start, blocks, what, key = sp
        if start + blocks > pvd.space_size:
            ep.add('', '%s (blocks %d-%d) lies beyond the volume (%d blocks)'
                   % (what, start, start + blocks - 1, pvd.space_size))
        if reach is not None and start < reach[0] + reach[1]:
            same = key is not None and key == reach[3]
            if not same:
                ep.add('', '%s (blocks %d-%d) overlaps %s (blocks %d-%d)'
                       % (what, start, start + blocks - 1, reach[2], reach[0], reach[0] + reach[1] - 1))
        if reach is None or start + blocks > reach[0] + reach[1]:
            reach = sp
    if spans and spans[0][0] < 16:
        ep.add('', '%s lies in the system area (blocks 0-15)' % spans[0][2])

    rc = finish()
    if rc == 0:
        f, d = C.counts(src)
        print('OK pycdlib: %d files, %d directories; %s%d files compared byte for byte'
              % (f, d, 'Joliet names, ' if jol_root is not None else '', nfiles))
    return rc


if __name__ == '__main__':
    sys.exit(main(sys.argv))
