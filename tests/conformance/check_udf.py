#!/usr/bin/python3
"""Check the UDF file system of a UDF bridge image against its source tree, with pycdlib.

Usage: check_udf.py IMAGE SRC --udf REV [--volume NAME] [--allow LIST] [other reader options]

pycdlib's UDF parser hangs off the ISO 9660 volume (it needs the primary volume descriptor, so a
--no-iso image cannot be read) and assumes what its own writer does: one partition with the file
set descriptor at its first block, no metadata partition (addresses are taken in the physical
partition). pycdlib 1.12 cannot parse the partition map table of a 2.50/2.60 volume (a type 1
and a type 2 map: its bounds check counts the offset twice); check_image.py wraps that one
method (fix_pycdlib_partition_maps), and openfsi's metadata partition maps its blocks one to one
onto the physical partition's, so pycdlib, which ignores the metadata partition, reads openfsi's
2.50/2.60 bridges whole. It checks with pycdlib's own API
(get_record, list_children, open_file_from_iso with udf_path=), each failure printed as
"FAIL pycdlib-udf <check>: <path>: <difference>":
  open      pycdlib opens the image and finds a UDF file system.
  volume    the logical volume identifier is NAME whole, the primary volume descriptor's the
            name as far as its 32-byte dstring holds it (conformance.udf_vid); the domain
            identifier's revision (LVD and FSD) is REV; no metadata partition map before 2.50.
  udf       the tree holds exactly the source's paths and names (a name that fits CS0 -- 254
            8-bit or 127 16-bit characters -- whole; only a longer one may be shortened), each a
            file or a directory as in the source, with the source's sizes; the file identifier's
            directory flag agrees with the file entry's type; no FID points at an empty entry.
            Deleted FIDs (characteristic 0x04) are not part of the directory (ECMA-167 4/14.4.3)
            and so do not count; hidden ones (0x01) do.
  content   every file's data, as pycdlib reads it (open_file_from_iso), equals the source byte
            for byte (streamed, so any size).
  dates     each file entry's modification time is the source mtime, within 1 s (UDF records
            microseconds; the time zone offset is applied).
  shared    (with Joliet) each file's data extent is its Joliet twin's: a bridge records each
            file's data once.
"""
import argparse
import calendar
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import conformance as C  # noqa: E402
import check_image as CI  # noqa: E402  (pycdlib import, streaming comparison)

pycdlib = CI.pycdlib
udfmod = pycdlib.udf
DELETED, DIRECTORY, PARENT = 0x04, 0x02, 0x08


def dstring(b):
    """An OSTA CS0 dstring (ECMA-167 1/7.2.12): compression ID, characters, length last."""
    if not b or not b[-1]:
        return ''
    body = bytes(b[1:b[-1]])
    return body.decode('latin-1') if b[0] == 8 else body.decode('utf-16-be', errors='replace')


def fid_name(fi):
    """The name of a file identifier descriptor as pycdlib keeps it (its fi is the bytes after
    the compression ID, its encoding 'latin-1' or 'utf-16_be')."""
    return fi.fi.decode(fi.encoding or 'latin-1', errors='replace')


def domain_revision(entity):
    """The UDF revision in a domain identifier's suffix (UDF 2.1.5.3), as '2.01'."""
    rev = struct.unpack_from('<H', entity.suffix, 0)[0]
    return '%x.%02x' % (rev >> 8, rev & 0xFF)


def entry_time(ts):
    """A UDF timestamp (ECMA-167 1/7.3) as seconds since the epoch, UTC."""
    t = calendar.timegm((ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second, 0, 0, 0))
    t += (ts.centiseconds * 10000 + ts.hundreds_microseconds * 100 + ts.microseconds) / 1e6
    if ts.timetype == 1 and ts.tz != -2047:
        t -= ts.tz * 60
    return t


def read_extents(iso, part_start, entry, sink):
    """Feed sink with a file's data read through the allocation descriptors pycdlib parsed
    (short or long ADs in the file's partition; the last extent cut to the information
    length)."""
    left = entry.get_data_length()
    fp = iso._cdfp                  # the image file pycdlib reads
    for ad in entry.alloc_descs:
        length = min(ad.extent_length & 0x3FFFFFFF, left)
        pos = (part_start + ad.log_block_num) * 2048
        while length:
            fp.seek(pos)
            b = fp.read(min(length, 1 << 22))
            if not b:
                raise OSError('the image ends inside an extent at byte %d' % pos)
            sink.write(b)
            pos += len(b)
            length -= len(b)
            left -= len(b)
    if left:
        raise OSError('the extents hold %d bytes less than the information length' % left)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('image')
    ap.add_argument('src')
    ap.add_argument('--udf', required=True)
    ap.add_argument('--volume', default=None)
    ap.add_argument('--allow', default='')
    ap.add_argument('--level', default=None, help='ignored (ISO 9660 option)')
    ap.add_argument('--no-joliet', action='store_true', help='ignored (ISO 9660 option)')
    a = ap.parse_args(argv[1:])
    if C.skipped(a.image):
        print('SKIP pycdlib-udf: %s' % C.skipped(a.image))
        return 77
    allow = C.parse_allow(a.allow)
    names = ('open', 'volume', 'udf', 'content', 'dates', 'shared')
    probs = {k: C.Problems('pycdlib-udf ' + k) for k in names}

    def finish():
        bad = [p for p in probs.values() if p]
        for p in bad:
            p.report()
        return 1 if bad else 0

    iso = pycdlib.PyCdlib()
    try:
        iso.open(a.image)
    except Exception as e:          # any refusal is a finding
        probs['open'].add(a.image, 'pycdlib cannot open the image: %s: %s' % (type(e).__name__, e))
        return finish()
    if iso.udf_root is None:
        probs['open'].add(a.image, 'pycdlib finds no UDF file system')
        return finish()
    src = C.source_tree(a.src)

    # volume
    vp = probs['volume']
    descs = iso.udf_main_descs
    lvd = descs.logical_volumes[0]
    got = dstring(lvd.logical_vol_ident)
    if a.volume is not None and got != a.volume:
        vp.add('', 'logical volume identifier %r, expected %r' % (got, a.volume))
    got = dstring(descs.pvds[0].vol_ident)
    if a.volume is not None and got != C.udf_vid(a.volume):
        vp.add('', 'primary volume identifier %r, expected %r' % (got, C.udf_vid(a.volume)))
    for what, entity in (('logical volume', lvd.domain_ident),
                         ('file set', iso.udf_file_set.domain_ident)):
        if domain_revision(entity) != a.udf:
            vp.add('', '%s domain identifier says UDF %s, expected %s'
                   % (what, domain_revision(entity), a.udf))
    # Before UDF 2.50 there is no metadata partition (pycdlib keeps a type 2 map's 62 bytes after
    # type and length: reserved (2), then the partition type identifier). From 2.50 on there must
    # be one.
    meta = [m for m in lvd.partition_maps if isinstance(m, udfmod.UDFType2PartitionMap)
            and m.part_ident[3:26] == b'*UDF Metadata Partition']
    if meta and float(a.udf) < 2.5:
        vp.add('', 'a metadata partition map in a UDF %s volume (from 2.50 on only)' % a.udf)
    if not meta and float(a.udf) >= 2.5:
        vp.add('', 'no metadata partition map in a UDF %s volume' % a.udf)

    # The tree through pycdlib's API, breadth first.
    up = probs['udf']
    entries = []
    todo = ['']
    deleted = 0
    while todo:
        d = todo.pop(0)
        path = '/' + d
        try:
            rec = iso.get_record(udf_path=path)
            children = list(iso.list_children(udf_path=path))
        except Exception as e:
            up.add(path, 'pycdlib cannot list it: %s: %s' % (type(e).__name__, e))
            continue
        listed = set(id(c) for c in children if c is not None)
        for fi in rec.fi_descs:
            if fi.isparent:
                continue
            name = fid_name(fi)
            rel = d + '/' + name if d else name
            entry = fi.file_entry
            if fi.file_characteristics & DELETED:
                deleted += 1
                continue
            if entry is None or id(entry) not in listed:
                up.add('/' + rel, 'its file identifier points at no file entry')
                continue
            is_dir = entry.is_dir()
            if bool(fi.file_characteristics & DIRECTORY) != is_dir:
                up.add('/' + rel, 'the file identifier says %s, the file entry %s'
                       % ('directory' if fi.file_characteristics & DIRECTORY else 'file',
                          'directory' if is_dir else 'file'))
            entries.append((tuple(rel.split('/')), is_dir,
                            None if is_dir else entry.get_data_length(), {'entry': entry}))
            if is_dir:
                todo.append(rel)
    img = C.tree_from_entries(entries)
    pairs = C.compare_named(src, img, up, allow, versioned=False, rules=C.UDFNames(allow))

    part_start = descs.partitions[0].part_start_location
    joliet = iso.joliet_vd is not None
    nfiles = 0
    for s, n in pairs:
        if s.is_dir:
            continue
        nfiles += 1
        entry = n.extra['entry']
        path = n.path()
        if s.size == n.size:
            sink = CI._CompareSink(s.extra['abspath'])
            ino = entry.inode
            try:
                if ino is not None and ino.get_data_length() != entry.get_data_length():
                    # pycdlib keys a file's data by its first block and shares it with the ISO
                    # 9660 record there, so a bridged file of 4 GiB or more gets the length of
                    # its first ISO section: read its UDF extents (as pycdlib parsed them).
                    print('NOTE pycdlib-udf: %s: pycdlib gives it the %d bytes of its first ISO '
                          '9660 section; read through its %d UDF extents instead'
                          % (path, ino.get_data_length(), len(entry.alloc_descs)))
                    read_extents(iso, part_start, entry, sink)
                else:
                    with iso.open_file_from_iso(udf_path=path) as f:
                        while True:
                            b = f.read(1 << 22)
                            if not b:
                                break
                            sink.write(b)
                err = sink.finish()
            except Exception as e:  # pycdlib signals every problem with an exception
                sink.finish()
                err = 'pycdlib cannot read it: %s: %s' % (type(e).__name__, e)
            if err:
                probs['content'].add(path, err)
        t = entry_time(entry.mod_time)
        if C.mtime_differs(s, t, 1):
            probs['dates'].add(path, 'modified %s (UTC), source %s (1 s allowed)'
                               % (C.utc_text(int(t)), C.utc_text(s.extra['mtime'])))
        # A bridge keeps one copy of the data: the UDF extent is the Joliet record's.
        names_ok = all(C.joliet_len(x, False) <= C.JOLIET_MAX and not
                       C.joliet_name_problems(x, False, set()) for x in path.strip('/').split('/'))
        if joliet and names_ok and n.size and (entry.icb_tag.flags & 7) in (0, 1):
            try:
                jrec = iso.get_record(joliet_path=path)
            except Exception as e:
                probs['shared'].add(path, 'no Joliet record of that path: %s' % e)
                continue
            udf_lba = part_start + entry.alloc_descs[0].log_block_num
            if jrec.extent_location() != udf_lba:
                probs['shared'].add(path, 'UDF data at block %d, its Joliet record at %d: two '
                                    'copies of the data' % (udf_lba, jrec.extent_location()))
    rc = finish()
    if rc == 0:
        f, d = C.counts(src)
        print('OK pycdlib-udf: UDF %s, %d files, %d directories agree with the source; %d files '
              'compared byte for byte%s%s' % (a.udf, f, d, nfiles,
                                             '; data shared with Joliet' if joliet else '',
                                             '; %d deleted FIDs skipped' % deleted if deleted else ''))
    return rc


if __name__ == '__main__':
    sys.exit(main(sys.argv))
