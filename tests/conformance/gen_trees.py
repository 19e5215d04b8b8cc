#!/usr/bin/python3
"""Make the source trees of the conformance tests, deterministically.

Usage: gen_trees.py OUTDIR [TREE...]

Each tree is made afresh in OUTDIR/TREE (an old one is removed first). With no TREE, every tree
is made. Contents come from a seeded generator and every file and directory gets a fixed
modification time, so two runs give byte-identical trees with identical times.

Trees:
  empty_dirs  nested empty directories, empty at several levels, one file among them
  zero_byte   0-byte files alone, in directories of their own and mixed with non-empty files
  deep        eight directory levels below the root, files at every level
  many        10,000 files in 500 directories (nested), small sizes including exact multiples of
              2048 and 2048 +/- 1, one directory big enough to span many sectors
  names       spaces, punctuation, non-ASCII (Latin, Cyrillic, CJK), names that only collide
              after ISO 9660 mapping, long names (exactly at and beyond Joliet's 64 characters, and
              colliding once shortened to 64)
  big         one sparse file of 4.5 GiB (plus a few hundred bytes) with marker data around the
              4 GiB boundary, and a small file
  multi       what an image made from several PATHs must hold; multi_src/ beside it holds those
              PATHs (dir1/, dir2/: contents go to the root; "single file.txt": a file PATH)
  udf         for UDF: names at CS0's limits (254 ASCII characters, 127 Cyrillic ones, files and
              directories), Latin-1 and other non-ASCII names, empty files, empty directories
              (nested), sizes around multiples of 2048 and past 1 MiB, a directory whose file
              identifiers span several blocks, a dot file

No directory anywhere holds two names that are equal ignoring case: the tool refuses those.
Collisions come only from the ISO 9660 mapping (spaces, dots, case, length).
"""
import os
import random
import shutil
import sys

SEED = 0x0F51
# 2020-02-02 02:02:02 UTC; every entry gets BASE_TIME + a small per-entry offset.
BASE_TIME = 1580608922
GIB = 1 << 30
BIG_SIZE = 4 * GIB + GIB // 2 + 777      # 4.5 GiB, not a multiple of 2048


class Tree:
    def __init__(self, root, seed):
        self.root = root
        self.rng = random.Random(seed)
        self.tick = 0

    def _time(self):
        self.tick += 1
        return BASE_TIME + self.tick * 61      # distinct seconds and minutes

    def dir(self, rel):
        path = os.path.join(self.root, rel)
        os.makedirs(path, exist_ok=True)
        return path

    def file(self, rel, size=None, data=None):
        if data is None:
            data = self.rng.randbytes(size) if size else b''
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
        t = self._time()
        os.utime(path, (t, t))
        return path

    def finish(self):
        # Directory times last, deepest first, since making children changes them.
        dirs = [dirpath for dirpath, _, _ in os.walk(self.root)]
        for path in sorted(dirs, key=lambda p: (-p.count(os.sep), p)):
            t = self._time()
            os.utime(path, (t, t))


def gen_empty_dirs(t):
    t.dir('empty')                                  # empty at level 1
    t.dir('a/b/c/d')                                # chain: only d is empty, a..c hold one dir
    t.dir('a/b2')                                   # empty sibling at level 2
    t.dir('x/y1')                                   # two empty dirs side by side at level 2
    t.dir('x/y2')
    t.dir('x/y3/z1/')                               # empty at level 3
    t.dir('x/y3/z2/w')                              # empty at level 4
    t.dir('mixed/empty_here')
    t.file('mixed/only_file.txt', 300)              # one file beside an empty directory
    t.dir('lonely')
    t.dir('lonely/lonely')                          # same name at two levels


def gen_zero_byte(t):
    t.file('zero.txt', 0)
    t.file('also zero', 0)                          # no extension, with a space
    t.file('nonzero.bin', 5000)
    t.file('zeros_only/a.dat', 0)
    t.file('zeros_only/b.dat', 0)
    t.file('zeros_only/c', 0)
    for i in range(12):                             # interleaved empty and non-empty
        t.file('mixed/f%02d.bin' % i, 0 if i % 2 == 0 else (2048 if i % 4 == 1 else 1 + i))
    t.file('mixed/sub/zero.dat', 0)
    t.file('mixed/sub/one.dat', 1)
    t.dir('mixed/empty_dir')


def gen_deep(t):
    # Root + 8 levels: the deepest directory is at level 9 of ECMA-119, beyond its limit of 8.
    names = ['level1', 'level2', 'L3 dir', 'level4', 'level.five', 'level6', 'level7', 'level8']
    rel = ''
    t.file('root_file.txt', 100)
    for depth, name in enumerate(names, 1):
        rel = os.path.join(rel, name)
        t.dir(rel)
        t.file(os.path.join(rel, 'file_at_%d.txt' % depth), 37 * depth)
        t.file(os.path.join(rel, 'second file %d.dat' % depth), 2048 * (depth % 3) + depth % 2)
        if depth in (3, 6):
            t.dir(os.path.join(rel, 'side_%d' % depth))
            t.file(os.path.join(rel, 'side_%d' % depth, 'side.txt'), 10 * depth)
    t.dir(os.path.join(rel, 'empty_at_9'))           # empty directory one level deeper still
    t.file(os.path.join(rel, 'deepest.txt'), 2049)


def gen_many(t):
    # 500 directories: 20 top-level, each with 24 subdirectories (480) -> 500.
    dirs = []
    for i in range(20):
        top = 'group%02d' % i
        dirs.append(top)
        for j in range(24):
            dirs.append('%s/sub%02d' % (top, j))
    assert len(dirs) == 500
    for d in dirs:
        t.dir(d)
    special = [0, 1, 2047, 2048, 2049, 4095, 4096, 4097, 6144, 8191, 8192, 8193]
    # 10,000 files: 1,200 in group00/sub00 (its directory spans many sectors), the rest spread
    # over the other directories.
    n = 0
    for k in range(1200):
        size = special[k % len(special)] if k % 3 == 0 else t.rng.randrange(0, 3000)
        t.file('group00/sub00/file_%04d.dat' % k, size)
        n += 1
    others = [d for d in dirs if d != 'group00/sub00']
    k = 0
    while n < 10000:
        d = others[k % len(others)]
        if k % 5 == 0:
            size = special[(k // 5) % len(special)]
        else:
            size = t.rng.randrange(0, 10000)
        t.file('%s/f%05d.bin' % (d, k), size)
        n += 1
        k += 1


def gen_names(t):
    # Collide after mapping to ISO 9660 d-characters (never only by case).
    t.file('a b.txt', 11)
    t.file('a_b.txt', 12)
    t.file('report.final.txt', 13)
    t.file('report_final.txt', 14)
    t.file('archive.tar.gz', 15)
    t.file('archive_tar.gz', 16)
    t.file('MixedCase Name.Txt', 17)
    t.file('lower.txt', 18)
    t.file('UPPER.TXT', 19)
    t.file('noext', 20)
    t.file('.hidden', 21)
    t.file('name~1.txt', 22)
    t.file('plus+minus-equals=.txt', 23)
    t.file("it's (copy) [1] {x} #2 & more!.txt", 24)
    t.file('file.verylongextensionhere', 25)
    t.file('longfilename1.txt', 26)                 # identical in 8.3 (LONGFILE.TXT)
    t.file('longfilename2.txt', 27)
    t.file('page.html', 28)
    t.file('data.json', 29)
    # Non-ASCII.
    t.file('café.txt', 30)
    t.file('über straße.txt', 31)
    t.file('Привет мир.txt', 32)
    t.file('日本語のファイル.txt', 33)
    t.file('中文 文件.dat', 34)
    t.file('Ünïcödé dir/inside.txt', 35)
    t.file('Каталог/файл.txt', 36)
    t.file('目录/文件.txt', 37)
    # Directories that collide after mapping, and a dir and a file with the same mapped stem.
    t.file('my dir/one.txt', 38)
    t.file('my_dir/two.txt', 39)
    t.file('my-dir', 40)
    t.file('dir.with.dots/x.txt', 41)
    t.file('dir_with_dots/y.txt', 42)
    # Long names. Joliet holds 64 characters; files carry no ";1", so 64 stay whole.
    t.file('x' * 58 + '.txt', 43)                   # 62 characters
    t.file('y' * 59 + '.txt', 44)                   # 63
    t.file('z' * 60 + '.txt', 50)                   # 64: kept whole
    t.file('n' * 64, 51)                            # 64 without an extension: kept whole
    t.file('z' * 61 + '.txt', 52)                   # 65: shortened onto the 64 above, then ~1
    t.file('z' * 62 + '.txt', 53)                   # 66: the same, then ~2
    t.file(('L%03d' % 0) * 24 + '.txt', 45)          # 100 characters
    prefix = 'shared prefix of seventy characters for two long names, padded out!!!!'
    assert len(prefix) == 70
    t.file(prefix + ' first.txt', 46)
    t.file(prefix + ' second.txt', 47)
    t.file('d' * 64 + '/in_64.txt', 48)             # directory name of exactly 64 characters
    t.file('e' * 70 + '/in_70.txt', 49)             # directory name beyond 64
    t.file('d' * 65 + '/in_65.txt', 54)             # 65: shortened onto the 64 above, then ~1
    # A directory whose records span several sectors, with long names.
    for i in range(60):
        t.file('long names/%s number %02d.txt' % ('a rather long file name', i), 100 + i)


def gen_big(t):
    path = os.path.join(t.root, 'big.bin')
    with open(path, 'wb') as f:
        f.truncate(BIG_SIZE)
        # Marker data (a few KiB each) where a wrong extent order or a lost section would show:
        # the start, the end of the first 4 GiB section candidates, and the tail.
        for off in (0, 2 * GIB - 1000, 4 * GIB - 4096, 4 * GIB - 2048 - 100, 4 * GIB - 3,
                    4 * GIB + 2048, BIG_SIZE - 3000):
            f.seek(off)
            f.write(t.rng.randbytes(3000))
    t.tick += 1
    os.utime(path, (BASE_TIME + 7, BASE_TIME + 7))
    t.file('small.txt', data=b'a small file next to a big one\n')


def gen_udf(t):
    # At CS0's limits: 254 8-bit characters, 127 16-bit ones (Linux allows 255 bytes of UTF-8,
    # so 127 Cyrillic letters are the most a 2-byte script can have here). UDF keeps them whole.
    t.file('a' * 250 + '.txt', 100)                 # 254 ASCII characters
    t.file('b' * 254 + '/inside.txt', 101)          # a directory of 254
    t.file('Ж' * 123 + '.txt', 102)                 # 127 Cyrillic (16-bit CS0)
    t.file('Д' * 127 + '/внутри.txt', 103)          # a directory of 127
    t.file('é' * 127, 104)                          # 127 Latin-1 letters (8-bit CS0)
    t.file('c' * 254, 105)                          # 254 again, a file without extension
    # Non-ASCII of several kinds (8-bit where Latin-1 suffices, 16-bit otherwise).
    t.file('naïve café résumé.txt', 10)
    t.file('Latin-1 ÀÉÎÕÜ àéîõü ßÿ.txt', 11)
    t.file('Ελληνικά αρχεία.txt', 12)
    t.file('日本語のファイル.txt', 13)
    t.file('mixed Ж and é.txt', 14)
    t.file('Ünïcödé dir/файл.txt', 15)
    t.file('.hidden', 16)
    t.file('name with  two spaces', 17)
    # Empty files and empty directories, alone and nested.
    t.file('empty.txt', 0)
    t.file('zeros/one', 0)
    t.file('zeros/two.dat', 0)
    t.dir('empty_dir')
    t.dir('nested/empty/deeper')
    t.dir('nested/also empty')
    t.file('nested/file beside.txt', 0)
    # Sizes around multiples of the 2048-byte block, and past 1 MiB.
    for size in (1, 2047, 2048, 2049, 4095, 4096, 4097, 6144, 1 << 20, (1 << 20) + 1):
        t.file('sizes/%07d.bin' % size, size)
    # A directory whose file identifiers take several blocks (about 140 bytes each).
    for i in range(40):
        t.file('many fids/%02d %s.txt' % (i, 'a long file name, repeated' * 4), 3 * i)


def check_case_distinct(root):
    # The tool refuses names that are equal ignoring case within one directory; make sure no
    # tree has any (collisions must come from the ISO 9660 mapping only).
    for dirpath, dirnames, filenames in os.walk(root):
        seen = {}
        for n in dirnames + filenames:
            key = n.lower()
            if key in seen:
                raise SystemExit('gen_trees.py: %r and %r in %s are equal ignoring case'
                                 % (seen[key], n, dirpath))
            seen[key] = n


def gen_multi(t):
    # The tool is given several PATHs: multi_src/dir1, multi_src/dir2 (their contents go to the
    # root) and "multi_src/single file.txt" (goes to the root under its name). The tree "multi"
    # (this one) is what the image must hold; multi_src is made beside it with the same data
    # and times.
    t.file('from_dir1.txt', 100)
    t.file('shared_sub/one.dat', 2048)
    t.file('from_dir2.bin', 2049)
    t.file('dir2_only/two.txt', 50)
    t.file('single file.txt', 77)
    t.dir('empty_from_dir1')


def make_multi_src(root, src):
    parts = {
        'dir1': ['from_dir1.txt', 'shared_sub', 'empty_from_dir1'],
        'dir2': ['from_dir2.bin', 'dir2_only'],
        '.': ['single file.txt'],
    }
    if os.path.lexists(src):
        shutil.rmtree(src)
    os.makedirs(src)
    for d, names in parts.items():
        os.makedirs(os.path.join(src, d), exist_ok=True)
        for n in names:
            a, b = os.path.join(root, n), os.path.join(src, d, n)
            if os.path.isdir(a):
                shutil.copytree(a, b, copy_function=shutil.copy2)
                shutil.copystat(a, b)
            else:
                shutil.copy2(a, b)


TREES = {
    'empty_dirs': gen_empty_dirs,
    'zero_byte': gen_zero_byte,
    'deep': gen_deep,
    'many': gen_many,
    'names': gen_names,
    'big': gen_big,
    'multi': gen_multi,
    'udf': gen_udf,
}


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    out = argv[1]
    names = argv[2:] or list(TREES)
    for name in names:
        if name not in TREES:
            sys.stderr.write('gen_trees.py: unknown tree %r\n' % name)
            return 2
    os.makedirs(out, exist_ok=True)
    for i, name in enumerate(sorted(TREES)):
        if name not in names:
            continue
        root = os.path.join(out, name)
        if os.path.lexists(root):
            shutil.rmtree(root)
        os.makedirs(root)
        tree = Tree(root, SEED + i)
        TREES[name](tree)
        tree.finish()
        check_case_distinct(root)
        if name == 'multi':
            make_multi_src(root, os.path.join(out, 'multi_src'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
