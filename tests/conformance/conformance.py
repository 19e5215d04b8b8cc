#!/usr/bin/python3
"""Shared rules of the conformance checks, and a command line for the reader drivers.

A reader's listing is parsed into a tree and compared with the source tree:

  Joliet view ("compare_named"): the image must hold exactly the source's paths, with the source's
  names. Joliet identifiers carry no version: a reader that shows identifiers as recorded must
  not see ";1" on a file (genisoimage and xorriso write none either). A source name of at most 64
  characters (Joliet's limit) must appear whole; a longer one may appear shortened (at most 64
  characters, unique), and is then matched by type and size (by contents for a directory: the
  signature of everything below it).

  ISO 9660 view ("compare_shape"): names are mangled, so the tree is compared by shape: every
  directory has as many files and subdirectories as its source twin, the files have the same
  sizes (or the same data, when the caller knows it) and the subdirectories pair up by the
  signature of their subtrees. Identifiers are checked against ECMA-119's rules separately
  ("iso_identifier_problems").

Allowances (--allow a,b) relax a rule for a stand-in writer whose rules differ from openfsi's;
the real tool is checked with none:
  dir-dots           ISO 9660 directory identifiers with one "." (mkisofs tradition; ECMA-119
                     allows only d-characters)
  joliet-long        Joliet names up to 103 characters (genisoimage -joliet-long; libisofs
                     keeps 65)
  joliet-dotdot-self Joliet ".." records pointing at their own directory (libisofs 1.5.4
                     takes the extent before switching to the parent in write_one_dir_record)

Command line (used by the reader drivers in readers/):
  conformance.py compare FORMAT VIEW SRC LISTING [--level N] [--allow LIST] [--multi-extent]
  conformance.py compare-dirs SRC EXTRACTED [--allow LIST] [--skip-content-over BYTES] [--mtime]
  conformance.py xorriso-compare-r SRC IMAGE --out FILE [--allow LIST]
  conformance.py counts SRC               print "FILES DIRECTORIES BYTES"
  conformance.py iso-volume-id NAME        print the ECMA-119 volume identifiers accepted for NAME
FORMAT: isoinfo (isoinfo -l, -J -l), xorriso (-find / -exec lsdl), 7z (7z l -slt),
bsdtar (bsdtar -tvf). VIEW: joliet or iso.
"""
import hashlib
import os
import re
import shlex
import sys
import time

ALLOWANCES = ('dir-dots', 'joliet-long', 'joliet-dotdot-self')
JOLIET_MAX = 64             # characters in a Joliet identifier (files carry no ";1")
JOLIET_LONG_MAX = 103       # genisoimage -joliet-long
JOLIET_FORBIDDEN = set('*/:;?\\')
D_CHARS = re.compile(r'^[A-Z0-9_]*$')
FOUR_GIB = 1 << 32


def parse_allow(text):
    allow = set(a for a in (text or '').replace(' ', ',').split(',') if a)
    bad = allow - set(ALLOWANCES)
    if bad:
        raise SystemExit('unknown allowance(s): %s (known: %s)'
                         % (', '.join(sorted(bad)), ', '.join(ALLOWANCES)))
    return allow


class Node:
    """A file or directory of a source tree or of an image as a reader shows it."""
    __slots__ = ('name', 'is_dir', 'size', 'children', 'parent', 'extra', '_sig')

    def __init__(self, name, is_dir, size=None, parent=None, **extra):
        self.name = name
        self.is_dir = is_dir
        self.size = size
        self.children = [] if is_dir else None
        self.parent = parent
        self.extra = extra
        self._sig = None

    def path(self):
        parts = []
        n = self
        while n.parent is not None:
            parts.append(n.name)
            n = n.parent
        return '/' + '/'.join(reversed(parts))

    def walk(self):
        yield self
        if self.is_dir:
            for c in self.children:
                yield from c.walk()

    def child(self, name):
        for c in self.children:
            if c.name == name:
                return c
        return None

    def __repr__(self):
        return '<%s %s>' % ('dir' if self.is_dir else 'file', self.path())


def source_tree(root):
    """The source tree: names exactly as on disk, sizes, mtimes, absolute paths."""
    def scan(path, node):
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            st = e.stat(follow_symlinks=False)
            is_dir = e.is_dir(follow_symlinks=False)
            c = Node(e.name, is_dir, None if is_dir else st.st_size, node,
                     abspath=e.path, mtime=int(st.st_mtime))
            node.children.append(c)
            if is_dir:
                scan(e.path, c)
    root_node = Node('', True, abspath=os.path.abspath(root))
    scan(root, root_node)
    return root_node


def tree_from_entries(entries):
    """Build a tree from (components, is_dir, size, extra) in any order. Directories a reader
    does not list themselves are made implicitly. An entry listed twice becomes two children
    (the name checks then report it)."""
    root = Node('', True)
    dirs = {(): root}

    def get_dir(comps):
        if comps in dirs:
            return dirs[comps]
        parent = get_dir(comps[:-1])
        d = Node(comps[-1], True, parent=parent, implicit=True)
        parent.children.append(d)
        dirs[comps] = d
        return d

    for comps, is_dir, size, extra in entries:
        comps = tuple(comps)
        if not comps:
            continue
        if is_dir:
            if comps in dirs:
                d = dirs[comps]
                if d.extra.get('implicit'):
                    d.extra.pop('implicit')
                    d.extra.update(extra)
                    continue
                # listed twice: keep a second node so the duplicate shows
                parent = get_dir(comps[:-1])
                parent.children.append(Node(comps[-1], True, parent=parent, **extra))
                continue
            parent = get_dir(comps[:-1])
            d = Node(comps[-1], True, parent=parent, **extra)
            parent.children.append(d)
            dirs[comps] = d
        else:
            parent = get_dir(comps[:-1])
            parent.children.append(Node(comps[-1], False, size, parent, **extra))
    return root


class Problems:
    """Collects differences; prints them with a prefix naming the reader and the check."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.items = []

    def add(self, path, msg):
        self.items.append('%s: %s' % (path, msg) if path else msg)

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        return len(self.items)

    def report(self, limit=60, out=sys.stdout):
        for m in self.items[:limit]:
            out.write('FAIL %s: %s\n' % (self.prefix, m))
        if len(self.items) > limit:
            out.write('FAIL %s: ... and %d more\n' % (self.prefix, len(self.items) - limit))
        out.flush()


def counts(root):
    files = dirs = 0
    for n in root.walk():
        if n is root:
            continue
        if n.is_dir:
            dirs += 1
        else:
            files += 1
    return files, dirs


# ---------------------------------------------------------------------------------------------
# Joliet names

def joliet_limit(allow):
    return JOLIET_LONG_MAX if 'joliet-long' in allow else JOLIET_MAX


def joliet_len(name, is_dir):
    """Characters a name takes in a Joliet identifier: no version is added to files."""
    return len(name)


def strip_joliet_version(node, allow, problems, versioned):
    """The name a reader shows for a Joliet record. versioned: the reader shows identifiers as
    recorded, so a version (";1") would be visible: it is reported, then taken off so that the
    rest of the comparison still pairs the record with its source."""
    name = node.name
    if not versioned:
        return name
    if node.is_dir:
        if ';' in name:
            problems.add(node.path(), 'Joliet directory identifier contains ";"')
        return name
    if name.endswith(';1'):
        problems.add(node.path(), 'Joliet file identifier carries the version ";1" '
                     '(Joliet names are recorded without one)')
        return name[:-2]
    return name


def joliet_name_problems(name, is_dir, allow):
    """Rules a recorded Joliet name must follow."""
    out = []
    if not name:
        out.append('empty Joliet identifier')
    bad = sorted(set(ch for ch in name if ch in JOLIET_FORBIDDEN or ord(ch) < 0x20))
    if bad:
        out.append('Joliet identifier with forbidden character(s) %r' % ''.join(bad))
    if any(ord(ch) > 0xFFFF for ch in name):
        out.append('Joliet identifier outside UCS-2')
    if joliet_len(name, is_dir) > joliet_limit(allow):
        out.append('Joliet identifier of %d characters (limit %d)'
                   % (joliet_len(name, is_dir), joliet_limit(allow)))
    return out


def size_sig(node):
    """Signature of a subtree by shape and sizes (used to pair shortened directory names)."""
    if node._sig is None:
        if node.is_dir:
            parts = sorted(size_sig(c) for c in node.children)
            node._sig = 'd' + hashlib.sha1('|'.join(parts).encode()).hexdigest()
        else:
            node._sig = 'f%s' % node.size
    return node._sig


def compare_named(src, img, problems, allow, versioned=True, xform=None, check_rules=True,
                  pairs=None, check_sizes=True):
    """Compare a Joliet view with the source by names (see module doc). Returns the list of
    (source node, image node) pairs, directories included. xform maps a source name to what the
    reader can show (lossy readers)."""
    if pairs is None:
        pairs = [(src, img)]
    lossy = xform is not None
    xform = xform or (lambda s: s)
    limit = joliet_limit(allow)
    by_name = {}
    shown = {}
    for c in img.children:
        name = strip_joliet_version(c, allow, problems, versioned)
        shown[id(c)] = name
        if check_rules:
            for p in joliet_name_problems(name, c.is_dir, allow):
                problems.add(c.path(), p)
        by_name.setdefault(name, []).append(c)
    if check_rules:
        for name, nodes in by_name.items():
            if len(nodes) > 1 and not lossy:
                problems.add(img.path(), 'name %r appears %d times' % (name, len(nodes)))
        seen = {}
        for name in by_name if not lossy else ():
            low = name.lower()
            if low in seen and seen[low] != name:
                problems.add(img.path(), 'names %r and %r equal ignoring case' % (seen[low], name))
            seen[low] = name
    used = set()
    unmatched_src = []
    matched = []
    for s in src.children:
        cands = [c for c in by_name.get(xform(s.name), []) if id(c) not in used]
        if not cands:
            unmatched_src.append(s)
            continue
        best = [c for c in cands if c.is_dir == s.is_dir and (s.is_dir or c.size == s.size)]
        c = (best or cands)[0]
        used.add(id(c))
        matched.append((s, c))
    unmatched_img = [c for c in img.children if id(c) not in used]
    # Names too long for Joliet: a shortened name of the same type and size (subtree) is accepted.
    still = []
    for s in unmatched_src:
        if joliet_len(s.name, s.is_dir) <= JOLIET_MAX:
            still.append(s)
            continue
        cands = [c for c in unmatched_img
                 if c.is_dir == s.is_dir and joliet_len(shown[id(c)], c.is_dir) <= limit
                 and shown[id(c)] != xform(s.name)
                 and (size_sig(c) == size_sig(s) if s.is_dir else c.size == s.size)]
        if not cands:
            still.append(s)
            continue
        c = cands[0]
        unmatched_img.remove(c)
        matched.append((s, c))
        c.extra['shortened_from'] = s.name
    for s in still:
        problems.add(s.path(), 'in the source, missing from the image%s'
                     % (' (no shortened name of the same size either)'
                        if joliet_len(s.name, s.is_dir) > JOLIET_MAX else ''))
    for c in unmatched_img:
        problems.add(c.path(), 'in the image, not in the source (%s%s)'
                     % ('directory' if c.is_dir else 'file',
                        '' if c.is_dir else ', %s bytes' % c.size))
    for s, c in matched:
        if s.is_dir != c.is_dir:
            problems.add(c.path(), 'is a %s in the image, a %s in the source'
                         % ('directory' if c.is_dir else 'file', 'directory' if s.is_dir else 'file'))
            continue
        pairs.append((s, c))
        if s.is_dir:
            compare_named(s, c, problems, allow, versioned, xform, check_rules, pairs, check_sizes)
        elif check_sizes and c.size != s.size:
            problems.add(c.path(), 'size %s, source has %s' % (c.size, s.size))
    return pairs


def latin1_xform(name):
    """isoinfo prints Joliet names through a single-byte table: characters above U+00FF come
    out as '_'."""
    return ''.join(ch if ord(ch) < 256 else '_' for ch in name)


# ---------------------------------------------------------------------------------------------
# ISO 9660 view

def split_identifier(ident):
    """(name, extension, version) of a file identifier; version None when absent."""
    base, semi, ver = ident.partition(';')
    name, dot, ext = base.rpartition('.')
    if not dot:
        name, ext = base, ''
    return name, ext, (ver if semi else None), bool(dot)


def iso_identifier_problems(ident, is_dir, level, allow):
    """ECMA-119 rules for one recorded identifier at interchange level 1, 2 or 3."""
    out = []
    if is_dir:
        if 'dir-dots' in allow and '.' in ident:
            name, ext, ver, _ = split_identifier(ident)
            if ver is not None or not D_CHARS.match(name) or not D_CHARS.match(ext) or not name:
                out.append('directory identifier %r is not d-characters with one "."' % ident)
            if level == 1 and (len(name) > 8 or len(ext) > 3):
                out.append('directory identifier %r longer than 8.3 (level 1)' % ident)
            if level > 1 and len(ident) > 31:
                out.append('directory identifier %r longer than 31' % ident)
            return out
        if not ident or not D_CHARS.match(ident):
            out.append('directory identifier %r is not d-characters (A-Z 0-9 _)' % ident)
        maxlen = 8 if level == 1 else 31
        if len(ident) > maxlen:
            out.append('directory identifier %r longer than %d (level %d)' % (ident, maxlen, level))
        return out
    name, ext, ver, dot = split_identifier(ident)
    if not dot or ver is None:
        out.append('file identifier %r is not NAME.EXT;VERSION' % ident)
        return out
    if ver != '1':
        out.append('file identifier %r: version is not 1' % ident)
    if not D_CHARS.match(name) or not D_CHARS.match(ext):
        out.append('file identifier %r is not d-characters (A-Z 0-9 _) around one "."' % ident)
    if not name and not ext:
        out.append('file identifier %r has neither name nor extension' % ident)
    if level == 1:
        if len(name) > 8 or len(ext) > 3:
            out.append('file identifier %r is not 8.3 (level 1)' % ident)
    elif len(name) + len(ext) > 30:
        out.append('file identifier %r: name and extension longer than 30' % ident)
    return out


def check_iso_names(img, problems, level, allow):
    """Identifier rules and uniqueness for every directory of an ISO 9660 view shown raw."""
    for d in img.walk():
        if not d.is_dir:
            continue
        seen = {}
        for c in d.children:
            for p in iso_identifier_problems(c.name, c.is_dir, level, allow):
                problems.add(d.path(), p)
            if c.name in seen and not c.extra.get('implicit'):
                problems.add(d.path(), 'identifier %r appears more than once' % c.name)
            seen[c.name] = c


def iso_sort_key(ident):
    """ECMA-119 9.3 order: name, then extension (each padded with spaces), then version
    descending. Works on str (ISO) and on Joliet names alike."""
    name, ext, ver, _ = split_identifier(ident)
    return name, ext, (-int(ver) if ver and ver.isdigit() else None)


def padded_less(a, b):
    """a < b comparing as if the shorter were padded with spaces (0x20)."""
    n = max(len(a), len(b))
    return a.ljust(n) < b.ljust(n)


def order_problems(idents):
    """Check a directory's identifiers (in recorded order, dot entries excluded) follow 9.3."""
    out = []
    for a, b in zip(idents, idents[1:]):
        if a == b:
            continue                    # sections of one multi-extent file
        na, ea, va = iso_sort_key(a)
        nb, eb, vb = iso_sort_key(b)
        n = max(len(na), len(nb))
        if na.ljust(n) != nb.ljust(n):
            ok = padded_less(na, nb)
        else:
            m = max(len(ea), len(eb))
            if ea.ljust(m) != eb.ljust(m):
                ok = padded_less(ea, eb)
            else:
                # Equal name and extension: versions descending. A directory (no version) and
                # a file "NAME.;1" are not ordered by 9.3: either order is accepted.
                ok = va is None or vb is None or va <= vb
        if not ok:
            out.append('records out of ECMA-119 9.3 order: %r before %r' % (a, b))
    return out


def compare_shape(src, img, problems, key_src=None, key_img=None):
    """Compare by shape (see module doc). key_src/key_img give a file's comparison key (default:
    its size). Returns the (source, image) pairs of files and directories it matched."""
    pairs = [(src, img)]
    key_src = key_src or (lambda n: n.size)
    key_img = key_img or (lambda n: n.size)
    sigs = {}

    def sig(node, keyf):
        k = id(node)
        if k not in sigs:
            if node.is_dir:
                parts = sorted(sig(c, keyf) for c in node.children)
                sigs[k] = 'd' + hashlib.sha1('|'.join(parts).encode()).hexdigest()
            else:
                sigs[k] = 'f' + repr(keyf(node))
        return sigs[k]

    def describe(keyv):
        return '%r' % (keyv,)

    def walk(s, i):
        sf = [c for c in s.children if not c.is_dir]
        sd = [c for c in s.children if c.is_dir]
        imf = [c for c in i.children if not c.is_dir]
        imd = [c for c in i.children if c.is_dir]
        where = '%s (source %s)' % (i.path(), s.path())
        if len(sf) != len(imf):
            problems.add(where, '%d files, source has %d' % (len(imf), len(sf)))
        if len(sd) != len(imd):
            problems.add(where, '%d directories, source has %d' % (len(imd), len(sd)))
        # files
        want = {}
        for c in sf:
            want.setdefault(sig(c, key_src), []).append(c)
        for c in imf:
            lst = want.get(sig(c, key_img))
            if lst:
                pairs.append((lst.pop(), c))
            else:
                problems.add(c.path(), 'no source file in %s matches it (%s)'
                             % (s.path(), describe(key_img(c))))
        for lst in want.values():
            for c in lst:
                problems.add(c.path(), 'source file has no twin in image directory %s (%s)'
                             % (i.path(), describe(key_src(c))))
        # directories
        pool = {}
        for c in imd:
            pool.setdefault(sig(c, key_img), []).append(c)
        left_src = []
        for c in sd:
            lst = pool.get(sig(c, key_src))
            if lst:
                twin = lst.pop()
                pairs.append((c, twin))
                walk(c, twin)
            else:
                left_src.append(c)
        left_img = [c for lst in pool.values() for c in lst]
        if len(left_src) == 1 and len(left_img) == 1:
            walk(left_src[0], left_img[0])          # show what differs inside
        else:
            for c in left_src:
                problems.add(c.path(), 'source directory has no twin with the same contents in %s'
                             % i.path())
            for c in left_img:
                problems.add(c.path(), 'image directory has no source twin with the same contents')

    walk(src, img)
    return pairs


# ---------------------------------------------------------------------------------------------
# Volume identifier

def iso_volume_ids(name):
    """What a writer may record as ECMA-119 volume identifier for NAME: NAME itself, or NAME
    uppercased with characters outside d-characters mapped to '_' (both cut to 32)."""
    mapped = ''.join(ch if re.match(r'[A-Z0-9_]', ch) else '_' for ch in name.upper())
    return list(dict.fromkeys([name[:32], mapped[:32]]))


# ---------------------------------------------------------------------------------------------
# Reader output parsers. Each returns a list of (components, is_dir, size, extra).

ISOINFO_LINE = re.compile(
    r'^([d-])[-rwxsStTl]{9}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\w{3})\s+(\d+)\s+(\d{4})\s+'
    r'\[\s*(\d+)\s+(?:([0-9A-F]{2})\]\s\s|(F{4}[0-9A-F]*)\s)(.*?) ?$')
# isoinfo prints the flags of a record with the multi-extent bit (0x80) as a sign-extended
# "FFFF..." without the closing bracket.


def parse_isoinfo(text, multi_extent):
    """isoinfo -l / -J -l. Names are raw identifiers (";1" kept). Consecutive records with the
    same name are the sections of one multi-extent file: merged (sizes added) when allowed."""
    entries = []
    cur = None
    last = None
    for line in text.splitlines():
        if line.startswith('Directory listing of '):
            d = line[len('Directory listing of '):]
            if not d.endswith('/'):
                raise ValueError('cannot parse isoinfo header %r' % line)
            cur = tuple(p for p in d[:-1].split('/') if p)
            last = None
            continue
        if not line.strip():
            continue
        m = ISOINFO_LINE.match(line)
        if not m or cur is None:
            raise ValueError('cannot parse isoinfo line %r' % line)
        is_dir = m.group(1) == 'd'
        name = m.group(9)
        if name in ('.', '..'):
            continue
        size = int(m.group(2))
        more = m.group(8) is not None          # multi-extent flag: more sections follow
        if (not is_dir and last is not None and last[0] == cur + (name,) and multi_extent
                and last[3]['more']):
            last[2] += size
            last[3]['sections'] += 1
            last[3]['more'] = more
            continue
        e = [cur + (name,), is_dir, None if is_dir else size,
             {'sections': 1, 'lba': int(m.group(6)), 'more': more}]
        entries.append(e)
        last = e if not is_dir else None
    return [tuple(e) for e in entries]


XORRISO_LINE = re.compile(r'^([d-])[-rwxsStT]{9}\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\w{3}\s+\d+\s+'
                          r'(?:\d{4}|\d\d:\d\d)\s(.*)$')


def parse_xorriso(text):
    """xorriso -find / -exec lsdl: paths shell-quoted."""
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = XORRISO_LINE.match(line)
        if not m:
            raise ValueError('cannot parse xorriso line %r' % line)
        words = shlex.split(m.group(3))
        if len(words) != 1:
            raise ValueError('cannot parse xorriso path in %r' % line)
        path = words[0]
        comps = tuple(p for p in path.split('/') if p)
        if not comps:
            continue
        is_dir = m.group(1) == 'd'
        entries.append((comps, is_dir, None if is_dir else int(m.group(2)), {}))
    return entries


def parse_7z(text):
    """7z l -slt: blocks of "Key = value" after the "----------" line."""
    entries = []
    body = text.split('\n----------\n', 1)
    if len(body) != 2:
        if 'Path = ' not in text:
            return entries
        raise ValueError('cannot find the file list in 7z output')
    for block in body[1].split('\n\n'):
        fields = {}
        for line in block.splitlines():
            k, sep, v = line.partition(' = ')
            if sep:
                fields[k] = v
        if 'Path' not in fields:
            continue
        is_dir = fields.get('Folder') == '+'
        comps = tuple(p for p in fields['Path'].split('/') if p)
        size = None if is_dir else int(fields.get('Size') or 0)
        extra = {}
        if fields.get('Modified'):
            extra['mtime_text'] = fields['Modified']
        entries.append((comps, is_dir, size, extra))
    return entries


BSDTAR_LINE = re.compile(r'^([d-])[-rwxsStT]{9}\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\w{3}\s+\d+\s+'
                         r'(?:\d{4}|\d\d:\d\d)\s(.*)$')


def parse_bsdtar(text):
    """bsdtar -tvf: directories end with "/"."""
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = BSDTAR_LINE.match(line)
        if not m:
            raise ValueError('cannot parse bsdtar line %r' % line)
        path = m.group(3)
        is_dir = m.group(1) == 'd'
        comps = tuple(p for p in path.split('/') if p and p != '.')
        if not comps:
            continue
        entries.append((comps, is_dir, None if is_dir else int(m.group(2)), {}))
    return entries


PARSERS = {'isoinfo': parse_isoinfo, 'xorriso': parse_xorriso, '7z': parse_7z,
           'bsdtar': parse_bsdtar}


def utc_text(t):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(t))


def cmd_compare(args):
    import argparse
    ap = argparse.ArgumentParser(prog='conformance.py compare')
    ap.add_argument('format', choices=sorted(PARSERS))
    ap.add_argument('view', choices=['joliet', 'iso'])
    ap.add_argument('src')
    ap.add_argument('listing')
    ap.add_argument('--level', type=int, default=2)
    ap.add_argument('--allow', default='')
    ap.add_argument('--multi-extent', action='store_true',
                    help='merge consecutive records of one name (isoinfo)')
    ap.add_argument('--raw-names', action='store_true',
                    help='the listing shows identifiers as recorded (";1" kept)')
    ap.add_argument('--latin1', action='store_true',
                    help='the reader shows names through ISO 8859-1 ("_" for the rest)')
    ap.add_argument('--mtime', action='store_true',
                    help='compare file modification times (7z "Modified", UTC)')
    ap.add_argument('--label', default=None)
    a = ap.parse_args(args)
    allow = parse_allow(a.allow)
    label = a.label or '%s %s' % (a.format, a.view)
    probs = Problems(label)
    with open(a.listing, 'rb') as f:
        raw = f.read()
    text = raw.decode('latin-1' if a.latin1 else 'utf-8', errors='strict')
    try:
        if a.format == 'isoinfo':
            entries = parse_isoinfo(text, a.multi_extent)
        else:
            entries = PARSERS[a.format](text)
    except ValueError as e:
        probs.add('', str(e))
        probs.report()
        return 1
    img = tree_from_entries(entries)
    src = source_tree(a.src)
    if a.view == 'joliet':
        pairs = compare_named(src, img, probs, allow, versioned=a.raw_names,
                              xform=latin1_xform if a.latin1 else None,
                              check_rules=a.raw_names)
        if a.mtime:
            for s, c in pairs:
                if not s.is_dir and c.extra.get('mtime_text') is not None:
                    if c.extra['mtime_text'][:19] != utc_text(s.extra['mtime']):
                        probs.add(c.path(), 'modified %s, source %s (UTC)'
                                  % (c.extra['mtime_text'], utc_text(s.extra['mtime'])))
        nfiles = sum(1 for s, c in pairs if not s.is_dir)
    else:
        if a.raw_names:
            check_iso_names(img, probs, a.level, allow)
        compare_shape(src, img, probs)
        nfiles = counts(img)[0]
    if probs:
        probs.report()
        return 1
    f, d = counts(src)
    print('OK %s: %d files, %d directories agree with the source%s'
          % (label, f, d, '' if a.view == 'iso' else ' (%d files paired by name)' % nfiles))
    return 0


def files_equal(a, b, chunk=1 << 22):
    """Compare two files byte for byte; returns None or the offset of the first difference."""
    with open(a, 'rb') as fa, open(b, 'rb') as fb:
        off = 0
        while True:
            x = fa.read(chunk)
            y = fb.read(chunk)
            if x != y:
                n = min(len(x), len(y))
                for i in range(n):
                    if x[i] != y[i]:
                        return off + i
                return off + n
            if not x:
                return None
            off += len(x)


def cmd_compare_dirs(args):
    """Compare a tree a reader extracted with the source: names (Joliet rules), contents, and
    optionally file modification times."""
    import argparse
    ap = argparse.ArgumentParser(prog='conformance.py compare-dirs')
    ap.add_argument('src')
    ap.add_argument('extracted')
    ap.add_argument('--allow', default='')
    ap.add_argument('--skip-content-over', type=int, default=None,
                    help='files larger than this were not extracted (checked separately)')
    ap.add_argument('--mtime', action='store_true')
    ap.add_argument('--by-shape', action='store_true',
                    help='names are ISO 9660 names: pair files by size and SHA-256 instead')
    ap.add_argument('--label', default='extracted')
    a = ap.parse_args(args)
    allow = parse_allow(a.allow)
    probs = Problems(a.label)
    src = source_tree(a.src)
    got = source_tree(a.extracted)
    skip = a.skip_content_over
    if skip is not None:
        # Files left out of the extraction: drop them from both sides.
        for n in list(src.walk()):
            if not n.is_dir and n.size > skip:
                n.parent.children.remove(n)
    if a.by_shape:
        def key(n):
            if 'sha' not in n.extra:
                n.extra['sha'] = sha256_file(n.extra['abspath'])
            return (n.size, n.extra['sha']) + ((n.extra['mtime'],) if a.mtime else ())
        pairs = compare_shape(src, got, probs, key, key)
    else:
        pairs = compare_named(src, got, probs, allow, versioned=False, check_rules=False)
    nfiles = 0
    for s, c in pairs:
        if s.is_dir:
            continue
        nfiles += 1
        if s.size == c.size:
            off = files_equal(s.extra['abspath'], c.extra['abspath'])
            if off is not None:
                probs.add(c.path(), 'content differs from the source at byte %d' % off)
        if a.mtime and s.extra['mtime'] != c.extra['mtime']:
            probs.add(c.path(), 'extracted with mtime %s, source %s (UTC)'
                      % (utc_text(c.extra['mtime']), utc_text(s.extra['mtime'])))
    if probs:
        probs.report()
        return 1
    print('OK %s: %d files extracted equal the source byte for byte%s'
          % (a.label, nfiles, ' (with their mtimes)' if a.mtime else ''))
    return 0


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                return h.hexdigest()
            h.update(b)


def cmd_counts(args):
    """Print "FILES DIRECTORIES BYTES" of a source tree."""
    src = source_tree(args[0])
    f, d = counts(src)
    print(f, d, sum(n.size for n in src.walk() if not n.is_dir))
    return 0


COMPARE_R_LINE = re.compile(r"^(\S) (.*?)\s+\((DISK|ISO)\) : ([^:]*?)\s*(?::(.*))?$")
# Attributes that plain ISO 9660 + Joliet cannot carry (no Rock Ridge): xorriso invents them.
COMPARE_R_IGNORED = {'st_mode', 'st_uid', 'st_gid', 'st_ctime', 'st_atime', 'st_nlink', 'st_ino'}


def cmd_xorriso_compare_r(args):
    """Run "xorriso -compare_r SRC /" on the Joliet tree; every difference xorriso reports is a
    failure except attributes Joliet cannot record and directory times. Names shortened in
    Joliet (accepted by the listing check) are compared pairwise with -compare instead."""
    import argparse
    import subprocess
    ap = argparse.ArgumentParser(prog='conformance.py xorriso-compare-r')
    ap.add_argument('src')
    ap.add_argument('image')
    ap.add_argument('--allow', default='')
    ap.add_argument('--out', required=True, help='file to keep xorriso\'s report in')
    a = ap.parse_args(args)
    allow = parse_allow(a.allow)
    probs = Problems('xorriso compare_r')
    src_root = os.path.abspath(a.src)

    def run(cmds):
        r = subprocess.run(['xorriso', '-abort_on', 'NEVER', '-read_fs', 'norock',
                            '-indev', a.image] + cmds,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return r.returncode, r.stdout.decode('utf-8', errors='replace')

    # Pairs of shortened names, from the Joliet listing.
    rc, listing = run(['-find', '/', '-exec', 'lsdl'])
    entries = parse_xorriso('\n'.join(l for l in listing.splitlines() if XORRISO_LINE.match(l)))
    img = tree_from_entries(entries)
    src = source_tree(a.src)
    lp = Problems('xorriso listing')
    pairs = compare_named(src, img, lp, allow, versioned=False, check_rules=False)
    shortened = [(s, c) for s, c in pairs if 'shortened_from' in c.extra]
    skip_disk = set()
    skip_iso = set()
    for s, c in shortened:
        skip_disk.add(os.path.join(src_root, s.path()[1:]))
        skip_iso.add(c.path())

    def under(path, roots):
        return any(path == r or path.startswith(r + '/') for r in roots)

    rc, out = run(['-compare_r', src_root, '/'])
    with open(a.out, 'w') as f:
        f.write(out)
    verdict = None
    for line in out.splitlines():
        if line.startswith('Both file objects match') or line.startswith('Differences detected'):
            verdict = line
        m = COMPARE_R_LINE.match(line)
        if not m:
            if re.match(r"^\S '", line):
                probs.add('', 'cannot parse xorriso line %r' % line)
            continue
        kind, qpath, side, what, detail = m.groups()
        detail = detail or ''
        try:
            path = shlex.split(qpath)[0]
        except ValueError:
            path = qpath
        what = what.strip()
        if what in COMPARE_R_IGNORED:
            continue
        if what == 'st_mtime' and kind == 'd':
            continue                        # directory dates: not part of the contract
        if side == 'DISK' and under(os.path.join(src_root, path[len(src_root):].lstrip('/'))
                                    if path.startswith(src_root) else path, skip_disk):
            continue
        if side == 'ISO' and under(path, skip_iso):
            continue
        # A shortened name seen from the other side: "cannot find this file" / "cannot lstat()"
        if side == 'DISK' and path.startswith(src_root):
            iso_path = path[len(src_root):] or '/'
            if under(iso_path, skip_iso):
                continue
        if side == 'ISO' and under(os.path.join(src_root, path.lstrip('/')), skip_disk):
            continue
        probs.add(path, '%s:%s' % (what, detail))
    if verdict is None:
        probs.add('', 'xorriso -compare_r gave no verdict (exit %d); see %s' % (rc, a.out))
    for s, c in shortened:
        if s.is_dir:
            rc, o = run(['-compare_r', s.extra['abspath'], c.path()])
        else:
            rc, o = run(['-compare', s.extra['abspath'], c.path()])
        for line in o.splitlines():
            m = COMPARE_R_LINE.match(line)
            if m and m.group(4).strip() not in COMPARE_R_IGNORED and not (
                    m.group(4).strip() == 'st_mtime' and m.group(1) == 'd'):
                probs.add(c.path(), 'shortened from %r: %s:%s'
                          % (s.name, m.group(4).strip(), m.group(5) or ''))
    if lp:
        lp.report()
    if probs:
        probs.report()
        return 1
    if lp:
        return 1
    f, d = counts(src)
    print('OK xorriso compare_r: %d files, %d directories agree with the source (content, file '
          'mtimes)%s' % (f, d, '; %d shortened names compared pairwise' % len(shortened)
                         if shortened else ''))
    return 0


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd = argv[1]
    if cmd == 'compare':
        return cmd_compare(argv[2:])
    if cmd == 'compare-dirs':
        return cmd_compare_dirs(argv[2:])
    if cmd == 'counts':
        return cmd_counts(argv[2:])
    if cmd == 'xorriso-compare-r':
        return cmd_xorriso_compare_r(argv[2:])
    if cmd == 'iso-volume-id':
        for v in iso_volume_ids(argv[2]):
            print(v)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
