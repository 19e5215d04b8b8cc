#!/usr/bin/python3
"""Self-test of the checkers: they pass on a good image and catch planted faults.

Usage: selftest.py WORKDIR

Makes the "names" tree, an image of it with genisoimage (standin/genisoimage.sh, so with the
allowances genisoimage needs), runs every checker on it (all must pass), then plants one fault
at a time in a copy of the image (or in the source tree) and checks that each reader able to see
that fault reports it. It needs no openfsi: it proves the checks are not vacuous.
"""
import os
import re
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PY = os.environ.get('CONFORMANCE_PYTHON', '/usr/bin/python3')
ALLOW = 'dir-dots,joliet-long'
VOLUME = 'NAMES'
READERS = ['pycdlib', 'isoinfo', 'isovfy', 'xorriso', '7z', 'bsdtar']


def J(s):
    return s.encode('utf-16-be')


def find_rec(data, ident):
    """Offset of the one directory record whose identifier is exactly ident."""
    hits = []
    pos = data.find(ident)
    while pos >= 0:
        start = pos - 33
        if start >= 0 and data[start + 32] == len(ident) and data[start] >= 33 + len(ident):
            hits.append(start)
        pos = data.find(ident, pos + 1)
    if len(hits) != 1:
        raise SystemExit('selftest: %d records named %r' % (len(hits), ident))
    return hits[0]


def set_both32(data, off, value):
    struct.pack_into('<I', data, off, value)
    struct.pack_into('>I', data, off + 4, value)


def m_content(d):
    r = find_rec(d, J('a_b.txt'))
    ext = struct.unpack_from('<I', d, r + 2)[0]
    d[ext * 2048 + 3] ^= 0x55


def m_jname(d):
    r = find_rec(d, J('a_b.txt'))
    d[r + 33:r + 33 + 14] = J('a_c.txt')


def m_isoname(d):
    r = find_rec(d, b'DATA.JSON;1')
    d[r + 33:r + 37] = b'data'


def m_date(d):
    r = find_rec(d, J('lower.txt'))
    d[r + 22] = (d[r + 22] + 1) % 60        # minute of the recording date


def m_isodate(d):
    r = find_rec(d, b'LOWER.TXT;1')
    d[r + 24] = 4                             # offset from GMT: +1 hour


def m_extent(d):
    a = find_rec(d, b'PAGE.HTML;1')
    b = find_rec(d, b'DATA.JSON;1')
    d[a + 2:a + 10] = d[b + 2:b + 10]         # ISO record points at another file's data


def m_size(d):
    r = find_rec(d, J('noext'))
    set_both32(d, r + 10, struct.unpack_from('<I', d, r + 10)[0] + 1)


def m_volume(d):
    p = d.find(b'NAMES' + b' ' * 27)
    d[p:p + 5] = b'NAMEX'


def m_dotdot(d):
    # ".." of the ISO directory MY_DIR points at MY_DIR itself.
    r = find_rec(d, b'MY_DIR')
    ext = struct.unpack_from('<I', d, r + 2)[0]
    dot = ext * 2048
    dotdot = dot + d[dot]
    d[dotdot + 2:dotdot + 10] = d[dot + 2:dot + 10]


def m_jversion(d):
    # The Joliet record of "my dir/one.txt" (the last in its sector) gets the version ";1": the
    # name a reader hiding versions shows is unchanged, only the recorded identifier differs.
    r = find_rec(d, J('one.txt'))
    old, new = 33 + 14 + 1, 33 + 18 + 1       # record lengths, padded to even (9.1.12)
    if d[r] != old or (r % 2048) + new > 2048 or any(d[r + old:r + new]):
        raise SystemExit('selftest: no room after the Joliet record of one.txt')
    d[r] = new
    d[r + 32] = 18
    d[r + 33:r + 33 + 18] = J('one.txt;1')
    d[r + 51] = 0


def m_jshortened(d):
    # A 64-character Joliet name, which must stay whole, recorded shortened as a 65-character
    # one would be (same length, so in place).
    r = find_rec(d, J('z' * 60 + '.txt'))
    d[r + 33:r + 33 + 128] = J('z' * 58 + '~1.txt')


def m_source_extra(tree):
    with open(os.path.join(tree, 'long names', 'not in the image.txt'), 'wb') as f:
        f.write(b'x')


# fault -> (how to plant it in the image, in the source tree, the readers that must report it,
# and optionally the regular expression their report must match, for faults other checks would
# notice too: one for all, or one per reader ('*' for the others))
FAULTS = [
    ('file data changed', m_content, None, ['pycdlib', 'xorriso', '7z', 'bsdtar']),
    ('Joliet name changed', m_jname, None, ['pycdlib', 'isoinfo', 'xorriso', '7z', 'bsdtar']),
    ('ISO 9660 identifier in lower case', m_isoname, None, ['pycdlib', 'isoinfo', 'xorriso']),
    ('Joliet recording date changed', m_date, None, ['pycdlib', 'xorriso', '7z', 'bsdtar']),
    ('ISO 9660 date with a GMT offset', m_isodate, None, ['pycdlib']),
    ('ISO 9660 record points at other data', m_extent, None, ['pycdlib']),
    ('Joliet size one byte too long', m_size, None, ['pycdlib', 'isoinfo', 'xorriso', '7z', 'bsdtar']),
    ('volume identifier changed', m_volume, None, ['pycdlib', 'isoinfo', 'xorriso']),
    ('".." pointing at its own directory', m_dotdot, None, ['pycdlib', 'isovfy']),
    # 7z and bsdtar hide versions; pycdlib, isoinfo and xorriso (unmapped) show identifiers.
    ('Joliet file identifier with ";1"', m_jversion, None, ['pycdlib', 'isoinfo', 'xorriso'],
     {'pycdlib': r'pycdlib joliet-ids: .*carries a version', '*': r'carries the version ";1"'}),
    ('64-character Joliet name shortened', m_jshortened, None,
     ['pycdlib', 'isoinfo', 'xorriso', '7z', 'bsdtar'],
     {'pycdlib': r'pycdlib joliet-ids: /z+\.txt: pycdlib finds no Joliet record',
      '*': r'z\.txt: in the source, missing from the image'}),
    # isovfy lists nothing, so it cannot compare with the source.
    ('a source file missing from the image', None, m_source_extra,
     [r for r in READERS if r != 'isovfy']),
]


def check(reader, image, tree):
    if reader == 'pycdlib':
        cmd = [PY, os.path.join(HERE, 'check_image.py')]
    else:
        cmd = [os.path.join(HERE, 'readers', reader + '.sh')]
    cmd += [image, tree, '--volume', VOLUME, '--level', '2', '--allow', ALLOW]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = r.stdout.decode('utf-8', errors='replace')
    return r.returncode == 0 and '\nFAIL' not in '\n' + out, out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    work = os.path.abspath(argv[1])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    trees = os.path.join(work, 'trees')
    subprocess.run([PY, os.path.join(HERE, 'gen_trees.py'), trees, 'names'], check=True)
    tree = os.path.join(trees, 'names')
    clean = os.path.join(work, 'clean.iso')
    subprocess.run([os.path.join(HERE, 'standin', 'genisoimage.sh'), 'create', '-o', clean,
                    '--volume', VOLUME, tree], check=True)
    status = 0
    for r in READERS:
        ok, out = check(r, clean, tree)
        if not ok:
            print('FAIL selftest: %s fails on the good image:\n%s' % (r, out))
            status = 1
    if status:
        return status
    print('OK selftest: every reader passes the good image')
    for name, plant_image, plant_tree, must, *expect in FAULTS:
        image, src = clean, tree
        if plant_image:
            image = os.path.join(work, 'fault.iso')
            data = bytearray(open(clean, 'rb').read())
            plant_image(data)
            with open(image, 'wb') as f:
                f.write(data)
        if plant_tree:
            src = os.path.join(work, 'fault_tree')
            shutil.rmtree(src, ignore_errors=True)
            shutil.copytree(tree, src, copy_function=shutil.copy2)
            plant_tree(src)
        missed = []
        for r in must:
            ok, out = check(r, image, src)
            pattern = expect[0] if expect else None
            if isinstance(pattern, dict):
                pattern = pattern.get(r, pattern['*'])
            if ok or (pattern and not re.search(pattern, out)):
                missed.append(r)
        if missed:
            print('FAIL selftest: %s: not reported by %s' % (name, ', '.join(missed)))
            status = 1
        else:
            print('OK selftest: %s: reported by %s' % (name, ', '.join(must)))
    if status == 0:
        shutil.rmtree(work)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
