#!/usr/bin/python3
"""Self-test of the UDF readers: they pass good UDF images made by other writers and catch faults
planted in them.

Usage: selftest_udf.py WORKDIR

Good images (no openfsi needed):
  bridge   genisoimage -udf (standin/genisoimage.sh --udf 1.02) of the "udf" tree: ISO 9660 +
           Joliet + UDF 1.02 sharing the file data. Every UDF reader and every ISO 9660/Joliet
           reader must pass it (a bridge is read from the same file by both families).
  udf-only mkudffs -r 2.01 --media-type=hd of an empty file system, UDF only (sectors 16.. hold
           BEA01/NSR02/TEA01, no ISO 9660), 16-bit volume name, under udfclient's 300 sectors:
           udfinfo, 7z and udfclient must pass it against an empty source tree.
(No tool here writes files into a UDF 2.01/2.50/2.60 image: udfclient -W reports "logvol discs
full" or crashes on mkudffs and newfs_udf images, wrudf refuses overwritable partitions, mkudffs
makes 2.50/2.60 only for VAT media, pycdlib's "2.60" records revision 1.02. See README.)

Then one fault at a time is planted in a copy (or in the source tree) and each reader able to see
it must report it. Faults are planted with a small UDF locator of its own (anchor, volume
descriptor sequences, partition, file set, file entries, file identifiers) and, except for the
CRC faults, the descriptor's tag checksum and CRC are recomputed, so that what is tested is the
reader's comparison, not only its tag check. Files of 1 MB and more are compared by streaming
here (CONFORMANCE_HUGE_BYTES), as the 4.5 GiB file is in the suite.
"""
import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import conformance as C  # noqa: E402

PY = os.environ.get('CONFORMANCE_PYTHON', '/usr/bin/python3')
BLOCK = 2048
VOLUME = 'UDF names and limits'
ONLY_VOLUME = 'UDF Тест'
ALLOW_UDF = 'udf-names-103'                 # genisoimage: UDF names cut to 103 characters
ALLOW_ISO = 'dir-dots,joliet-long'
UDF_READERS = ['udfinfo', '7z_udf', 'udfclient', 'pycdlib_udf']
ISO_READERS = ['pycdlib', 'isoinfo', 'isovfy', 'xorriso', '7z', 'bsdtar']
HUGE = 1000000                              # streamed above this (the 1 MiB files of the tree)


# ---------------------------------------------------------------------------------------------
# A small UDF locator (ECMA-167 3/4, UDF 2.x), enough to find and edit the structures of the
# images above: one partition, type 1 map, contiguous extents, FE or EFE, short or long ADs.

def u16(d, o):
    return struct.unpack_from('<H', d, o)[0]


def u32(d, o):
    return struct.unpack_from('<I', d, o)[0]


def u64(d, o):
    return struct.unpack_from('<Q', d, o)[0]


def retag(d, off):
    """Recompute the CRC (over the CRC length the tag gives) and the checksum of the descriptor
    tag at byte off."""
    n = u16(d, off + 10)
    struct.pack_into('<H', d, off + 8, C.crc_itu(bytes(d[off + 16:off + 16 + n])))
    d[off + 4] = 0
    d[off + 4] = sum(d[off:off + 16]) & 0xFF


def tag_ok(d, off):
    n = u16(d, off + 10)
    return (d[off + 4] == (sum(d[off:off + 4]) + sum(d[off + 5:off + 16])) & 0xFF
            and u16(d, off + 8) == C.crc_itu(bytes(d[off + 16:off + 16 + n])))


def dstring(b):
    if not b[-1]:
        return ''
    body = bytes(b[1:b[-1]])
    return body.decode('latin-1') if b[0] == 8 else body.decode('utf-16-be')


class UDF:
    """Offsets of the UDF structures of an image (bytearray d)."""

    def __init__(self, d):
        self.d = d
        avdp = 256 * BLOCK
        if u16(d, avdp) != 2:
            raise SystemExit('selftest_udf: no anchor at sector 256')
        self.vds = []                               # (main, reserve) sequences
        for o in (16, 24):
            length, loc = u32(d, avdp + o), u32(d, avdp + o + 4)
            self.vds.append([loc * BLOCK + i * BLOCK for i in range(length // BLOCK)])
        self.lvd = []
        self.pvd = []
        self.part_start = None
        for seq in self.vds:
            for off in seq:
                tid = u16(d, off)
                if tid == 1:
                    self.pvd.append(off)
                elif tid == 5:
                    self.part_start = u32(d, off + 188)
                elif tid == 6:
                    self.lvd.append(off)
                elif tid == 8:
                    break
        lvd = self.lvd[0]
        self.lvid = u32(d, lvd + 436) * BLOCK if u32(d, lvd + 432) else None
        fsd_lbn = u32(d, lvd + 248 + 4)
        self.fsd = self.block(fsd_lbn)
        if u16(d, self.fsd) != 256:
            raise SystemExit('selftest_udf: no file set descriptor at partition block %d' % fsd_lbn)
        self.files = {}                             # path -> {'fe': off, 'fids': [off]}
        self.walk(u32(d, self.fsd + 400 + 4), '')

    def block(self, lbn):
        return (self.part_start + lbn) * BLOCK

    def fe_layout(self, off):
        """(information length offset, modification time offset, L_EA offset) of an FE/EFE."""
        tid = u16(self.d, off)
        if tid == 261:
            return 56, 84, 168
        if tid == 266:
            return 56, 92, 208
        raise SystemExit('selftest_udf: tag %d where a file entry should be' % tid)

    def extents(self, fe):
        """[(image byte offset, length)] of a file entry's data."""
        d = self.d
        _, _, lea = self.fe_layout(fe)
        l_ea, l_ad = u32(d, fe + lea), u32(d, fe + lea + 4)
        ads = fe + lea + 8 + l_ea
        kind = u16(d, fe + 16 + 18) & 7
        out = []
        if kind == 3:
            return [(ads, l_ad)]
        size = 8 if kind == 0 else 16
        for a in range(ads, ads + l_ad, size):
            length = u32(d, a) & 0x3FFFFFFF
            if length:
                out.append((self.block(u32(d, a + 4)), length))
        return out

    def walk(self, lbn, path):
        fe = self.block(lbn)
        self.files[path] = {'fe': fe, 'fids': []}
        if self.d[fe + 16 + 11] != 4:               # ICB file type 4: a directory
            return
        for start, length in self.extents(fe):
            off = start
            while off < start + length:
                if u16(self.d, off) != 257:
                    raise SystemExit('selftest_udf: no FID at %d in %s' % (off, path or '/'))
                chars, l_fi = self.d[off + 18], self.d[off + 19]
                l_iu = u16(self.d, off + 36)
                name_off = off + 38 + l_iu
                n = (38 + l_iu + l_fi + 3) & ~3
                if not chars & 0x08:                # not the parent entry
                    name = dstring(bytes(self.d[name_off:name_off + l_fi]) + bytes([l_fi]))
                    child = path + '/' + name
                    self.walk(u32(self.d, off + 20 + 4), child)
                    self.files[child]['fids'].append(off)
                off += n

    def fid(self, path):
        return self.files[path]['fids'][0]

    def fe(self, path):
        return self.files[path]['fe']


# ---------------------------------------------------------------------------------------------
# Faults. Each edits the bytearray d of the image (u: its UDF locator).

F_SMALL = '/sizes/0002049.bin'
F_STREAMED = '/sizes/1048577.bin'
F_NAME = '/naïve café résumé.txt'
F_DATE = '/Latin-1 ÀÉÎÕÜ àéîõü ßÿ.txt'
F_DEL = '/zeros/two.dat'


def m_fid_name(d, u):
    """An ASCII letter of a file identifier changed ('naïve' -> 'nbïve'), CRC fixed."""
    off = u.fid(F_NAME)
    name = off + 38 + u16(d, off + 36)
    assert d[name] == 8 and d[name + 2] == ord('a')
    d[name + 2] = ord('b')
    retag(d, off)


def m_data(path, at):
    def plant(d, u):
        start, length = u.extents(u.fe(path))[0]
        d[start + at] ^= 0x5A
    plant.__doc__ = 'one byte of %s changed at %d' % (path, at)
    return plant


def m_size(d, u):
    """A file entry's information length one byte longer, CRC fixed."""
    fe = u.fe(F_SMALL)
    il, _, _ = u.fe_layout(fe)
    struct.pack_into('<Q', d, fe + il, u64(d, fe + il) + 1)
    retag(d, fe)


def m_mtime(d, u):
    """A file entry's modification time one hour later, CRC fixed."""
    fe = u.fe(F_DATE)
    _, mt, _ = u.fe_layout(fe)
    d[fe + mt + 6] = (d[fe + mt + 6] + 1) % 24      # hour (ECMA-167 1/7.3)
    retag(d, fe)


def m_lvid(d, u):
    """The logical volume identifier changed (main and reserve LVD), CRCs fixed."""
    for lvd in u.lvd:
        ident = lvd + 84
        assert dstring(bytes(d[ident:ident + 128])) == VOLUME
        d[ident + 1] = ord('X')                         # 'UDF ...' -> 'XDF ...'
        retag(d, lvd)


def m_deleted(d, u):
    """A file identifier marked deleted (characteristics |= 4), CRC fixed."""
    off = u.fid(F_DEL)
    d[off + 18] |= 0x04
    retag(d, off)


def m_hidden(d, u):
    """(Not a fault.) A file identifier marked hidden (characteristics |= 1), CRC fixed: the file
    must still be listed."""
    off = u.fid(F_DEL)
    d[off + 18] |= 0x01
    retag(d, off)


def m_fid_crc(d, u):
    """A file identifier's name changed without fixing its CRC."""
    off = u.fid(F_NAME)
    name = off + 38 + u16(d, off + 36)
    d[name + 2] = ord('b')
    assert not tag_ok(d, off)


def m_fe_crc(d, u):
    """A file entry's modification time changed without fixing its CRC."""
    fe = u.fe(F_DATE)
    _, mt, _ = u.fe_layout(fe)
    d[fe + mt + 6] = (d[fe + mt + 6] + 1) % 24
    assert not tag_ok(d, fe)


def m_lvd_checksum(d, u):
    """The tag checksum of both logical volume descriptors (main, reserve) wrong."""
    for lvd in u.lvd:
        d[lvd + 4] ^= 0xFF


def m_numfiles(d, u):
    """The number of files in the logical volume integrity descriptor off by one, CRC fixed."""
    off = u.lvid
    n = u32(d, off + 72)
    iu = off + 80 + 8 * n
    struct.pack_into('<I', d, iu + 32, u32(d, iu + 32) + 1)
    retag(d, off)


def m_only_lvid(d, u):
    """(udf-only image) the logical volume identifier changed, main and reserve, CRCs fixed."""
    for lvd in u.lvd:
        d[lvd + 84 + 2] ^= 0x01                        # first byte of 'U' in UTF-16BE 'UDF Тест'
        retag(d, lvd)


def t_extra_file(tree):
    with open(os.path.join(tree, 'nested', 'not in the image.txt'), 'wb') as f:
        f.write(b'x')


# (name, image, planter (image) or None, planter (tree) or None, readers that must report it,
#  optional: {reader or '*': regular expression the report must match}, optional options)
FAULTS = [
    ('FID name byte changed', 'bridge', m_fid_name, None, UDF_READERS[1:],
     {'*': r'na.ve caf. r.sum.\.txt.*(missing|not in the source)|nbïve|nb_ve'}),
    ('file data byte changed', 'bridge', m_data(F_SMALL, 1000), None, UDF_READERS[1:],
     {'*': r'0002049\.bin.*(differ|content)'}),
    ('streamed file data byte changed', 'bridge', m_data(F_STREAMED, 700000), None,
     UDF_READERS[1:], {'udfclient': r'streamed content differs', '7z_udf': r'x -so.*differ',
                       '*': r'1048577\.bin.*differ'}),
    ('FE information length +1', 'bridge', m_size, None, UDF_READERS[1:],
     {'udfclient': r'length mismatch; stated as 2050', '*': r'0002049\.bin.*(size|2050|bytes)'}),
    ('FE modification time +1 h', 'bridge', m_mtime, None, UDF_READERS[1:],
     {'*': r'(?i)(modified|mtime).*source'}),
    ('logical volume identifier changed', 'bridge', m_lvid, None, UDF_READERS,
     {'*': r'(?i)(lvid|label|logical volume).*XDF'}),
    ('FID marked deleted', 'bridge', m_deleted, None, UDF_READERS[1:],
     {'*': r'two\.dat: in the source, missing'}),
    ('FID tag CRC wrong', 'bridge', m_fid_crc, None, UDF_READERS[1:]),
    ('FE tag CRC wrong', 'bridge', m_fe_crc, None, UDF_READERS[1:]),
    # udfinfo checks no tag checksum or CRC at all (it reads the descriptors as they are).
    ('LVD tag checksum wrong (main and reserve)', 'bridge', m_lvd_checksum, None, UDF_READERS[1:]),
    ('LVID number of files +1', 'bridge', m_numfiles, None, ['udfinfo'], {'*': r'numfiles'}),
    ('image made as 1.02, checked as 2.01', 'bridge', None, None,
     ['udfinfo', '7z_udf', 'pycdlib_udf'], {'*': r'(?i)(udfrev|version|revision|udf 1\.02)'},
     {'udf': '2.01'}),
    ('a source file missing from the image', 'bridge', None, t_extra_file, UDF_READERS,
     {'udfinfo': r'numfiles', '*': r'not in the image\.txt: in the source, missing'}),
    ('udf-only: logical volume identifier changed', 'udf-only', m_only_lvid, None,
     ['udfinfo', '7z_udf', 'udfclient'], {'*': r'(?i)(lvid|label|logical volume)'}),
    ('udf-only: image made as 2.01, checked as 2.60', 'udf-only', None, None,
     ['udfinfo', '7z_udf'], {'*': r'(?i)(udfrev|version)'}, {'udf': '2.60'}),
]
# Not faults: edits a reader must accept (the file is still there), and the readers known not to
# (udfclient does not show hidden files: its reader cannot check a hidden file, see README).
CONTROLS = [
    ('FID marked hidden (must still be listed)', 'bridge', m_hidden,
     ['udfinfo', '7z_udf', 'pycdlib_udf'], {'udfclient': r'two\.dat: in the source, missing'}),
]


def run_reader(reader, image, tree, opts):
    if reader == 'pycdlib_udf':
        cmd = [PY, os.path.join(HERE, 'check_udf.py')]
    elif reader == 'pycdlib':
        cmd = [PY, os.path.join(HERE, 'check_image.py')]
    else:
        cmd = [os.path.join(HERE, 'readers', reader + '.sh')]
    cmd += [image, tree] + opts
    env = dict(os.environ, CONFORMANCE_HUGE_BYTES=str(HUGE))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = r.stdout.decode('utf-8', errors='replace')
    return r.returncode == 0 and '\nFAIL' not in '\n' + out, out


def run_readers(readers, image, tree, opts):
    """{reader: (ok, output)}, the readers run side by side (each in its own IMAGE.<reader>
    directory; udfclient spends most of its time waiting)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = {r: pool.submit(run_reader, r, image, tree, opts) for r in readers}
        return {r: f.result() for r, f in futures.items()}


def udf_opts(kind, udf=None):
    if kind == 'bridge':
        return ['--udf', udf or '1.02', '--volume', VOLUME, '--allow', ALLOW_UDF]
    return ['--udf', udf or '2.01', '--volume', ONLY_VOLUME, '--no-iso']


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    work = os.path.abspath(argv[1])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    trees = os.path.join(work, 'trees')
    subprocess.run([PY, os.path.join(HERE, 'gen_trees.py'), trees, 'udf'], check=True)
    tree = {'bridge': os.path.join(trees, 'udf'), 'udf-only': os.path.join(work, 'empty')}
    os.makedirs(tree['udf-only'])
    clean = {'bridge': os.path.join(work, 'bridge.iso'), 'udf-only': os.path.join(work, 'udf.img')}
    subprocess.run([os.path.join(HERE, 'standin', 'genisoimage.sh'), 'create', '-o',
                    clean['bridge'], '--volume', VOLUME, '--udf', '1.02', tree['bridge']],
                   check=True)
    subprocess.run(['mkudffs', '--new-file', '--blocksize=2048', '--media-type=hd',
                    '--udfrev=2.01', '--label=' + ONLY_VOLUME, clean['udf-only'], '280'],
                   check=True, stdout=subprocess.DEVNULL)
    readers = {'bridge': UDF_READERS, 'udf-only': UDF_READERS[:3]}
    status = 0
    for kind in ('bridge', 'udf-only'):
        for r, (ok, out) in run_readers(readers[kind], clean[kind], tree[kind],
                                        udf_opts(kind)).items():
            if not ok:
                print('FAIL selftest_udf: %s fails on the good %s image:\n%s' % (r, kind, out))
                status = 1
    for r, (ok, out) in run_readers(ISO_READERS, clean['bridge'], tree['bridge'],
                                    ['--volume', VOLUME, '--allow', ALLOW_ISO]).items():
        if not ok:
            print('FAIL selftest_udf: ISO reader %s fails on the good bridge:\n%s' % (r, out))
            status = 1
    if status:
        return status
    print('OK selftest_udf: the good bridge passes %s (UDF) and %s (ISO 9660/Joliet); the good '
          'UDF-only image passes %s' % (', '.join(UDF_READERS), ', '.join(ISO_READERS),
                                        ', '.join(readers['udf-only'])))
    table = []

    def planted(n, kind, plant_image, plant_tree):
        """The image and source of fault number n (each its own files, so that all run at
        once)."""
        src = tree[kind]
        # A reader keeps its files in IMAGE.<reader>/: each fault has an image path of its own.
        image = os.path.join(work, 'fault%02d.%s' % (n, os.path.basename(clean[kind])))
        if plant_image:
            data = bytearray(open(clean[kind], 'rb').read())
            plant_image(data, UDF(data))
            with open(image, 'wb') as f:
                f.write(data)
        else:
            os.symlink(clean[kind], image)
        if plant_tree:
            src = os.path.join(work, 'fault%02d_tree' % n)
            shutil.copytree(tree[kind], src, copy_function=shutil.copy2)
            plant_tree(src)
        return image, src

    # Every (fault, reader) run at once, 4 at a time: udfclient spends most of its second waiting.
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for n, (name, kind, plant_image, plant_tree, must, *rest) in enumerate(FAULTS):
            opts = rest[1] if len(rest) > 1 else {}
            image, src = planted(n, kind, plant_image, plant_tree)
            for r in readers[kind]:
                jobs[('f', n, r)] = pool.submit(run_reader, r, image, src,
                                                udf_opts(kind, opts.get('udf')))
        for n, (name, kind, plant_image, must, known) in enumerate(CONTROLS):
            image, src = planted(100 + n, kind, plant_image, None)
            for r in must + list(known):
                jobs[('c', n, r)] = pool.submit(run_reader, r, image, src, udf_opts(kind))
        results = {k: f.result() for k, f in jobs.items()}

    for n, (name, kind, plant_image, plant_tree, must, *rest) in enumerate(FAULTS):
        expect = rest[0] if rest else {}
        caught, missed = [], []
        for r in readers[kind]:
            ok, out = results[('f', n, r)]
            pattern = expect.get(r, expect.get('*'))
            if not ok and (pattern is None or re.search(pattern, out)):
                caught.append(r)
            elif r in must:
                missed.append(r)
                print('FAIL selftest_udf: %s: %s did not report it%s:\n%s'
                      % (name, r, '' if ok else ' as expected (%s)' % pattern, out[-3000:]))
        extra = [r for r in caught if r not in must]
        table.append((name, caught))
        if missed:
            status = 1
        else:
            print('OK selftest_udf: %s: reported by %s%s' % (
                name, ', '.join(must),
                ' (and %s)' % ', '.join(extra) if extra else ''))
    for n, (name, kind, plant_image, must, known) in enumerate(CONTROLS):
        bad = []
        for r in must:
            ok, out = results[('c', n, r)]
            if not ok:
                bad.append(r)
                print('FAIL selftest_udf: %s: %s fails:\n%s' % (name, r, out[-3000:]))
        for r, pattern in known.items():
            ok, out = results[('c', n, r)]
            if ok or not re.search(pattern, out):
                bad.append(r)
                print('FAIL selftest_udf: %s: %s no longer behaves as documented (%s):\n%s'
                      % (name, r, pattern, out[-3000:]))
        if bad:
            status = 1
        else:
            print('OK selftest_udf: %s: accepted by %s; %s as documented' % (
                name, ', '.join(must), ', '.join('%s misses it' % r for r in known)))
        table.append((name + ' [control]', ['%s misses it' % r for r in known]))
    print('selftest_udf: fault table (reader: caught)')
    for name, caught in table:
        print('  %-45s %s' % (name, ', '.join(caught)))
    if status == 0:
        shutil.rmtree(work)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
