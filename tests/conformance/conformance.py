#!/usr/bin/python3
"""Shared rules of the conformance checks, and a command line for the reader drivers.

A reader's listing is parsed into a tree and compared with the source tree:

  Joliet view ("compare_named"): the image must hold exactly the source's paths, with the source's
  names. Joliet identifiers carry no version: a reader that shows identifiers as recorded must
  not see ";1" on a file (genisoimage and xorriso write none either). A source name of at most 64
  characters (Joliet's limit) must appear whole; a longer one may appear shortened (at most 64
  characters, unique), and is then matched by type and size (by contents for a directory: the
  signature of everything below it).

  UDF view ("compare_named" with UDFNames): like Joliet, the source's paths and names, no
  versions, but a name must appear whole whenever it fits OSTA CS0 in a file identifier (254
  8-bit characters, or 127 16-bit ones); only a longer one may be shortened. UDF records times
  to the microsecond: file mtimes must be within 1 s of the source's. udfclient shows names
  through the OSTA translation (udfclient_name), so its view is compared in that form.

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
  udf-names-103      UDF file identifiers of more than 103 characters shortened (genisoimage
                     -udf records its Joliet names, cut to 103 characters, in UDF)

Command line (used by the reader drivers in readers/):
  conformance.py compare FORMAT VIEW SRC LISTING [--level N] [--allow LIST] [--multi-extent]
  conformance.py compare-dirs SRC EXTRACTED [--allow LIST] [--skip-content-over BYTES] [--mtime]
  conformance.py xorriso-compare-r SRC IMAGE --out FILE [--allow LIST]
  conformance.py counts SRC               print "FILES DIRECTORIES BYTES"
  conformance.py iso-volume-id NAME        print the ECMA-119 volume identifiers accepted for NAME
  conformance.py udf-vid NAME              print the UDF primary volume identifier expected for NAME
  conformance.py udfclient-check IMAGE SRC --work DIR --udf REV [--volume NAME]
                                           the udfclient reader (readers/udfclient.sh)
FORMAT: isoinfo (isoinfo -l, -J -l), xorriso (-find / -exec lsdl), 7z (7z l -slt),
bsdtar (bsdtar -tvf). VIEW: joliet, iso or udf (UDF: names as in the source, to CS0's limits,
no versions; mtimes within 1 s).
"""
import calendar
import hashlib
import os
import re
import shlex
import struct
import sys
import time

ALLOWANCES = ('dir-dots', 'joliet-long', 'joliet-dotdot-self', 'udf-names-103')
JOLIET_MAX = 64             # characters in a Joliet identifier (files carry no ";1")
JOLIET_LONG_MAX = 103       # genisoimage -joliet-long
UDF_MAX_8BIT = 254          # CS0 characters of a UDF file identifier, 8-bit
UDF_MAX_16BIT = 127         # and 16-bit (255 bytes with the compression ID)
JOLIET_FORBIDDEN = set('*/:;?\\')
D_CHARS = re.compile(r'^[A-Z0-9_]*$')
FOUR_GIB = 1 << 32


def skipped(image):
    """The reason the image test skipped IMAGE (make_image.sh leaves IMAGE.skip), or None."""
    try:
        with open(image + '.skip') as f:
            return f.read().strip() or 'skipped'
    except OSError:
        return None


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
                     abspath=e.path, mtime=int(st.st_mtime), mtime_ns=st.st_mtime_ns)
            node.children.append(c)
            if is_dir:
                scan(e.path, c)
    root_node = Node('', True, abspath=os.path.abspath(root), mtime_ns=0)
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


class JolietNames:
    """Name rules of the Joliet view (the default of compare_named)."""
    view = 'Joliet'

    def __init__(self, allow):
        self.allow = allow
        self.limit = joliet_limit(allow)

    def whole(self, name):
        """A source name that must appear unchanged."""
        return joliet_len(name, False) <= JOLIET_MAX

    def fits(self, shown):
        """A shown name short enough to stand for a shortened source name."""
        return joliet_len(shown, False) <= self.limit

    def problems(self, name, is_dir):
        return joliet_name_problems(name, is_dir, self.allow)


def udf_name_fits(name):
    """True if NAME fits a UDF file identifier whole: OSTA CS0 in at most 255 bytes with the
    compression ID, so 254 characters of 8 bits (all at most U+00FF) or 127 UTF-16 units."""
    if all(ord(ch) < 0x100 for ch in name):
        return len(name) <= UDF_MAX_8BIT
    return len(name.encode('utf-16-be')) // 2 <= UDF_MAX_16BIT


class UDFNames:
    """Name rules of a UDF view: every name that fits CS0 whole must appear unchanged (no
    version, no mapping); a longer one may be shortened, to a name that fits."""
    view = 'UDF'

    def __init__(self, allow=()):
        self.allow = allow

    def whole(self, name):
        if 'udf-names-103' in self.allow and len(name) > JOLIET_LONG_MAX:
            return False
        return udf_name_fits(name)

    def fits(self, shown):
        return udf_name_fits(shown)

    def problems(self, name, is_dir):
        out = []
        if not name:
            out.append('empty UDF file identifier')
        if name in ('.', '..'):
            out.append('UDF file identifier %r (the parent is a FID flag, not a name)' % name)
        bad = sorted(set(ch for ch in name if ch in '/\x00'))
        if bad:
            out.append('UDF file identifier with forbidden character(s) %r' % ''.join(bad))
        if not udf_name_fits(name):
            out.append('UDF file identifier of %d characters does not fit CS0 (254 8-bit or '
                       '127 16-bit characters)' % len(name))
        return out


def compare_named(src, img, problems, allow, versioned=True, xform=None, check_rules=True,
                  pairs=None, check_sizes=True, rules=None):
    """Compare a view kept under the source's names (Joliet, or UDF with rules=UDFNames()) with
    the source by names (see module doc). Returns the list of (source node, image node) pairs,
    directories included. xform maps a source name to what the reader can show (lossy
    readers)."""
    if pairs is None:
        pairs = [(src, img)]
    if rules is None:
        rules = JolietNames(allow)
    lossy = xform is not None
    xform = xform or (lambda s: s)
    by_name = {}
    shown = {}
    for c in img.children:
        name = strip_joliet_version(c, allow, problems, versioned)
        shown[id(c)] = name
        if check_rules:
            for p in rules.problems(name, c.is_dir):
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
    # Names too long for the view: a shortened name of the same type and size (subtree) is
    # accepted.
    still = []
    for s in unmatched_src:
        if rules.whole(s.name):
            still.append(s)
            continue
        cands = [c for c in unmatched_img
                 if c.is_dir == s.is_dir and rules.fits(shown[id(c)])
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
                     % ('' if rules.whole(s.name) else
                        ' (no shortened name of the same size either)'))
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
            compare_named(s, c, problems, allow, versioned, xform, check_rules, pairs, check_sizes,
                          rules)
        elif check_sizes and c.size != s.size:
            problems.add(c.path(), 'size %s, source has %s' % (c.size, s.size))
    return pairs


def latin1_xform(name):
    """isoinfo prints Joliet names through a single-byte table: characters above U+00FF come
    out as '_'."""
    return ''.join(ch if ord(ch) < 256 else '_' for ch in name)


def crc_itu(data, crc=0):
    """CRC-ITU-T (x^16 + x^12 + x^5 + 1, initial 0, no reflection): the CRC of UDF descriptor
    tags (ECMA-167 3/7.2.6) and of the UDF name translation (UDF 6.7.1)."""
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def udfclient_name(name):
    """The name udfclient shows (and extracts) for a UDF file identifier NAME: the OSTA name
    translation of UDF 6.7.1 as udfclient builds it (UNIX rules, at most 255 characters, and
    only U+0020..U+007E "printable"): each run of other characters becomes one "_", and then
    "#" and the 4 hex digits of the CRC of the whole name (as UTF-16 code units, high byte first)
    are inserted before an extension of at most 5 characters. Written from the specification's
    description; the extension part assumes the extension itself is printable ASCII (true of
    every tree here)."""
    units = list(struct.unpack('>%dH' % (len(name.encode('utf-16-be')) // 2),
                               name.encode('utf-16-be')))
    maxlen, ext_size = 255, 5

    def bad(u):
        return u == 0 or u == 0x2F or not 0x20 <= u < 0x7F
    out, needs_crc, has_ext, ext_at, out_ext_at = [], False, False, 0, 0
    i = 0
    while i < len(units):
        u = units[i]
        if bad(u):
            needs_crc = True
            u = 0x5F
            while i + 1 < len(units) and bad(units[i + 1]):
                i += 1
        if u == 0x2E and len(units) - i - 1 <= ext_size:
            has_ext = len(units) != i + 1          # a trailing "." is no extension
            if has_ext:
                ext_at, out_ext_at = i, len(out)
        if len(out) < maxlen:
            out.append(u)
        else:
            needs_crc = True
        i += 1
    if needs_crc:
        ext = []
        if has_ext:
            ext = [0x5F if bad(u) else u for u in units[ext_at + 1:ext_at + 1 + ext_size]]
            keep = maxlen - 5 - len(ext) - 1
            out = out[:keep] if len(out) > keep else out[:out_ext_at]
        elif len(out) > maxlen - 5:
            out = out[:maxlen - 5]
        crc = crc_itu(name.encode('utf-16-be'))
        out += [ord(c) for c in '#%04X' % crc]
        if has_ext:
            out += [0x2E] + ext
    return ''.join(chr(u) for u in out)


def utc_seconds(text):
    """'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC) as seconds since the epoch, fraction kept."""
    base, _, frac = text.strip().partition('.')
    t = calendar.timegm(time.strptime(base, '%Y-%m-%d %H:%M:%S'))
    return t + (float('0.' + frac) if frac.strip('0') else 0.0)


def mtime_differs(src_node, seconds, slack):
    """Whether an image time (seconds, a float) differs from the source mtime: exactly to the
    second (slack 0: ISO 9660 records whole seconds), or by slack seconds or more (UDF records
    microseconds: the source's own fraction may be kept or dropped)."""
    if not slack:
        return int(seconds) != src_node.extra['mtime']
    return abs(seconds - src_node.extra['mtime_ns'] / 1e9) >= slack


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


def udf_vid(name):
    """The UDF primary volume descriptor's volume identifier for NAME: a dstring of 32 bytes
    holds 30 8-bit characters or 15 UTF-16 units, so NAME whole when it fits, else cut there (the
    logical volume identifier, 128 bytes, holds any --volume name whole)."""
    if all(ord(ch) < 0x100 for ch in name):
        return name[:30]
    out = ''
    for ch in name:
        if len((out + ch).encode('utf-16-be')) > 30:
            break
        out += ch
    return out


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
    ap.add_argument('view', choices=['joliet', 'iso', 'udf'])
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
    if a.view in ('joliet', 'udf'):
        udf = a.view == 'udf'
        # UDF identifiers carry no version and 7z shows them as recorded: the name rules apply.
        pairs = compare_named(src, img, probs, allow, versioned=a.raw_names and not udf,
                              xform=latin1_xform if a.latin1 else None,
                              check_rules=a.raw_names or udf,
                              rules=UDFNames(allow) if udf else None)
        if a.mtime:
            for s, c in pairs:
                if not s.is_dir and c.extra.get('mtime_text') is not None:
                    if mtime_differs(s, utc_seconds(c.extra['mtime_text']), 1 if udf else 0):
                        probs.add(c.path(), 'modified %s, source %s (UTC)%s'
                                  % (c.extra['mtime_text'], utc_text(s.extra['mtime']),
                                     ' (1 s allowed)' if udf else ''))
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
    ap.add_argument('--view', choices=['joliet', 'udf'], default='joliet',
                    help='the name rules (which names may be shortened); udf: mtimes within 1 s')
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
        pairs = compare_named(src, got, probs, allow, versioned=False, check_rules=False,
                              rules=UDFNames(allow) if a.view == 'udf' else None)
    slack = 1 if a.view == 'udf' else 0
    nfiles = 0
    for s, c in pairs:
        if s.is_dir:
            continue
        nfiles += 1
        if s.size == c.size:
            off = files_equal(s.extra['abspath'], c.extra['abspath'])
            if off is not None:
                probs.add(c.path(), 'content differs from the source at byte %d' % off)
        if a.mtime and mtime_differs(s, c.extra['mtime_ns'] / 1e9, slack):
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


UDFCLIENT_HEADER = re.compile(r'^(?:UDF> )*Directory listing of (.*)$')
UDFCLIENT_ENTRY = re.compile(r'^(?:UDF> )*([-dlbcps])[-rwxsStT]{9}\s+-?\d+\s+-?\d+\s+(\d+)  (.*)$')
# What udfclient prints when it meets something it cannot read (it exits 0 regardless).
UDFCLIENT_COMPLAINT = re.compile(
    r'(?i)(error|broken|corrupt|bad |fail|mismatch|can\'t|cannot|help!|warning|invalid|'
    r'no such file|not found|unknown|illegal|panic|assert|bailing)')
UDFCLIENT_MIN_SECTORS = 300         # udfclient refuses smaller image files
# Lines that carry a name (which may hold any word): listings and get's progress lines.
UDFCLIENT_NAMED = re.compile(r'^(?:UDF> )*(?:Directory listing of |.*\d+ / +\d+ bytes \(\d+%\))')


def udfclient_complaint(line):
    return (UDFCLIENT_COMPLAINT.search(line) and not UDFCLIENT_ENTRY.match(line)
            and not UDFCLIENT_NAMED.match(line))


def parse_udfclient(text):
    """udfclient "ls" output: [(path shown in the header, [(name, is_dir, size)])] in order. A
    block is the entry lines after "Directory listing of PATH" up to the next prompt ("UDF> ",
    the next command); other lines in it are udfclient's messages (the caller reports those as
    complaints). The header shows only the last component of a nested path, so a caller lists
    one directory at a time."""
    blocks = []
    cur = None
    for line in text.splitlines():
        if line.startswith('UDF> '):
            cur = None
            while line.startswith('UDF> '):
                line = line[5:]
        m = UDFCLIENT_HEADER.match(line)
        if m:
            cur = []
            blocks.append((m.group(1), cur))
            continue
        m = UDFCLIENT_ENTRY.match(line)
        if cur is None or not m:
            continue
        name = m.group(3)
        if name in ('.', '..'):
            continue
        cur.append((name, m.group(1) == 'd', int(m.group(2))))
    return blocks


def udfclient_quote(path):
    if '"' in path:
        raise ValueError('udfclient cannot be given a name containing \'"\': %r' % path)
    return '"%s"' % path


def cmd_udfclient_check(args):
    """The udfclient reader: udfclient (UDFclient, a user-space UDF implementation sharing no
    code with udftools or 7-Zip) reads commands from stdin. Every directory is listed (ls, one
    session per depth so the listing follows the image, not the source), every file is fetched
    (get; files of 1 GiB or more through a FIFO into a streaming comparison), and both are
    compared with the source: names as udfclient translates them (udfclient_name), shape,
    sizes, contents, file mtimes (within 1 s). Anything udfclient prints that looks like a
    complaint fails too."""
    import argparse
    import subprocess
    import threading
    ap = argparse.ArgumentParser(prog='conformance.py udfclient-check')
    ap.add_argument('image')
    ap.add_argument('src')
    ap.add_argument('--work', required=True)
    ap.add_argument('--volume', default=None)
    ap.add_argument('--allow', default='')
    ap.add_argument('--timeout', type=int, default=None,
                    help='seconds for the whole check (default 60 + 20 per GiB of image)')
    a = ap.parse_args(args)
    if a.timeout is None:
        a.timeout = 60 + 20 * (os.path.getsize(a.image) >> 30)
    allow = parse_allow(a.allow)
    work = os.path.abspath(a.work)
    probs = Problems('udfclient')
    complaints = Problems('udfclient complaint')
    image = os.path.abspath(a.image)
    sectors = os.path.getsize(image) // 2048
    if sectors < UDFCLIENT_MIN_SECTORS:
        # udfclient will not open an image file under 300 sectors: give it a sparse copy padded
        # with zeros (the UDF structures are found from the anchor at sector 256).
        padded = os.path.join(work, 'padded.img')
        subprocess.run(['cp', '--sparse=always', image, padded], check=True)
        os.truncate(padded, UDFCLIENT_MIN_SECTORS * 2048)
        print('NOTE udfclient: the image has %d sectors, udfclient wants %d: reading a copy '
              'padded with zeros' % (sectors, UDFCLIENT_MIN_SECTORS))
        image = padded
    # One udfclient process for the whole check (starting one takes a second), fed a batch of
    # commands at a time; each batch ends with "lcd" to a directory of its own, whose answer
    # ("Changing local directory to .../batch-end") marks the end of the batch's output (the
    # mount's output ends with "Current FS working directory ..."). stdbuf makes udfclient's
    # stdout line-buffered so that the output of a batch arrives before the next one is sent.
    import select
    import time as _time
    log = open(os.path.join(work, 'udfclient.log'), 'w', encoding='latin-1')
    proc = subprocess.Popen(['stdbuf', '-oL', '-eL', 'udfclient', '-b', '2048', image],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = _time.monotonic() + a.timeout
    pending = [b'']
    batches = [0]

    marker = os.path.join(work, 'batch-end')
    os.makedirs(marker, exist_ok=True)

    def read_batch(end, count=1):
        """The output up to the count-th line containing end."""
        lines = []
        while True:
            while b'\n' in pending[0]:
                line, pending[0] = pending[0].split(b'\n', 1)
                text = line.decode('latin-1')
                lines.append(text)
                if end in text:
                    count -= 1
                    if not count:
                        return '\n'.join(lines) + '\n'
            left = deadline - _time.monotonic()
            if left <= 0:
                probs.add('', 'udfclient did not finish within %d s (batch %d)'
                          % (a.timeout, batches[0]))
                return None
            r, _, _ = select.select([proc.stdout], [], [], left)
            chunk = os.read(proc.stdout.fileno(), 1 << 16) if r else b''
            if r and not chunk:
                probs.add('', 'udfclient ended (exit %s) in batch %d; see %s'
                          % (proc.poll(), batches[0], log.name))
                return None
            pending[0] += chunk

    def session(commands):
        batches[0] += 1
        log.write('### batch %d\n' % batches[0] + ''.join('### > %s\n' % c for c in commands))
        try:
            proc.stdin.write(''.join(c + '\n' for c in commands + ['lcd ' + udfclient_quote(marker)])
                             .encode('latin-1'))
            proc.stdin.flush()
        except OSError as e:
            probs.add('', 'udfclient does not take commands any more: %s' % e)
            return ''
        # Every lcd answers "Changing local directory to DIR" (the old DIR when it fails).
        lcds = 1 + sum(1 for c in commands if c.startswith('lcd '))
        out = read_batch('Changing local directory to ', lcds)
        if out is None:
            return ''
        if ('Changing local directory to ' + marker) not in out.splitlines()[-1]:
            probs.add('', 'udfclient did not change to %s (batch %d): %s'
                      % (marker, batches[0], out.splitlines()[-1]))
        log.write(out)
        for line in out.splitlines():
            if udfclient_complaint(line):
                complaints.add('batch %d' % batches[0], line.strip()[:300])
        return out

    def close():
        try:
            rest = proc.communicate(b'quit\n', timeout=30)[0].decode('latin-1')
        except (OSError, ValueError):
            proc.kill()
            rest = proc.communicate()[0].decode('latin-1')
        except subprocess.TimeoutExpired:
            proc.kill()
            rest = proc.communicate()[0].decode('latin-1')
        log.write(pending[0].decode('latin-1') + rest)
        log.close()

    startup = read_batch('Current FS working directory ')      # the mount
    if startup is not None:
        log.write(startup)
        for line in startup.splitlines():
            if udfclient_complaint(line):
                complaints.add('mount', line.strip()[:300])

    def finish():
        close()
        for p in (probs, complaints):
            if p:
                p.report()
        return 1 if probs or complaints else 0

    # The volumes: udfclient shows each logical volume as a directory of "/", named
    # "VOLUME SET ID:PRIMARY VOLUME ID:LOGICAL VOLUME ID:FILE SET ID".
    blocks = parse_udfclient(session(['ls']))
    vols = [e for e in (blocks[-1][1] if blocks and blocks[-1][0] == '/' else []) if e[1]]
    if len(vols) != 1:
        probs.add('/', 'udfclient shows %d logical volumes (%s), expected one'
                  % (len(vols), ', '.join(repr(v[0]) for v in vols)))
        return finish()
    vol = vols[0][0]
    if a.volume is not None:
        parts = vol.split(':')
        if ':' in a.volume or len(parts) != 4:
            print('NOTE udfclient: volume directory %r not checked (a ":" in a name)' % vol)
        else:
            if parts[2] != udfclient_name(a.volume):
                probs.add('/', 'logical volume identifier %r, expected %r'
                          % (parts[2], udfclient_name(a.volume)))
            if parts[1] != udfclient_name(udf_vid(a.volume)):
                probs.add('/', 'primary volume identifier %r, expected %r'
                          % (parts[1], udfclient_name(udf_vid(a.volume))))
    base = ['cd %s' % udfclient_quote('/' + vol)]

    # List every directory, one at a time (the walk follows what udfclient shows).
    entries = []
    todo = ['']
    while todo and len(entries) < 1000000:
        d = todo.pop(0)
        blocks = parse_udfclient(session(base + ['ls' if not d else 'ls %s' % udfclient_quote(d)]))
        if not blocks:
            probs.add('/' + d, 'udfclient lists nothing for this directory')
            continue
        for name, is_dir, size in blocks[-1][1]:
            rel = d + '/' + name if d else name
            entries.append((tuple(rel.split('/')), is_dir, None if is_dir else size, {}))
            if is_dir:
                todo.append(rel)
    img = tree_from_entries(entries)
    src = source_tree(a.src)
    if os.environ.get('CONFORMANCE_HIDDEN_DOTFILES') == '1':
        # udfclient does not show a file identifier with the hidden characteristic (the
        # self-test shows it), and the COM path under Wine records dot files hidden: dot files
        # are left to the other readers then.
        for t in (src, img):
            for n in list(t.walk()):
                if n.parent is not None and n.name.startswith('.'):
                    n.parent.children.remove(n)
        print('NOTE udfclient: dot files not compared (recorded hidden; udfclient hides those)')
    pairs = compare_named(src, img, probs, allow, versioned=False, xform=udfclient_name,
                          check_rules=False, rules=UDFNames(allow))
    if probs:
        return finish()
    f, d = counts(src)
    print('OK udfclient ls: %d files, %d directories agree with the source (names as udfclient '
          'translates them)' % (f, d))

    # Fetch every file.
    xdir = os.path.join(work, 'x')
    os.makedirs(xdir, exist_ok=True)
    huge = int(os.environ.get('CONFORMANCE_HUGE_BYTES', 1 << 30))     # as readers/lib.sh
    cmds = base + ['lcd %s' % udfclient_quote(xdir)]
    files = []
    streams = []
    for s, c in pairs:
        rel = c.path().lstrip('/')
        if not rel:
            continue
        if s.is_dir:
            os.makedirs(os.path.join(xdir, rel), exist_ok=True)
            continue
        local = os.path.join(xdir, rel)
        if s.size >= huge:
            os.mkfifo(local)
            result = {}

            def consume(fifo=local, src_path=s.extra['abspath'], result=result):
                with open(fifo, 'rb') as fi, open(src_path, 'rb') as fs:
                    off = 0
                    while True:
                        x = fi.read(1 << 22)
                        y = fs.read(len(x) if x else 1)
                        if x != y[:len(x)] or (not x and y):
                            n = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]),
                                     min(len(x), len(y)))
                            result['error'] = 'streamed content differs from the source at ' \
                                              'byte %d' % (off + n)
                            while fi.read(1 << 22):
                                pass
                            return
                        if not x:
                            result['bytes'] = off
                            return
                        off += len(x)
            t = threading.Thread(target=consume, daemon=True)
            t.start()
            streams.append((s, c, local, t, result))
        else:
            files.append((s, c, local))
        cmds.append('get %s %s' % (udfclient_quote(rel), udfclient_quote(rel)))
    session(cmds)
    for s, c, local, t, result in streams:
        if t.is_alive():
            # udfclient never opened the FIFO: open it for writing to end the reader.
            try:
                os.close(os.open(local, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
            t.join(10)
        if 'error' in result:
            probs.add(c.path(), result['error'])
        elif result.get('bytes') != s.size:
            probs.add(c.path(), 'udfclient streamed %s bytes, the source has %d'
                      % (result.get('bytes'), s.size))
        else:
            print('OK udfclient get: %s (%d bytes, through a FIFO) equals the source'
                  % (c.path(), s.size))
    for s, c, local in files:
        if not os.path.isfile(local):
            probs.add(c.path(), 'udfclient get wrote no file')
            continue
        st = os.stat(local)
        if st.st_size != s.size:
            probs.add(c.path(), 'fetched %d bytes, the source has %d' % (st.st_size, s.size))
            continue
        off = files_equal(s.extra['abspath'], local)
        if off is not None:
            probs.add(c.path(), 'fetched content differs from the source at byte %d' % off)
        if mtime_differs(s, st.st_mtime_ns / 1e9, 1):
            probs.add(c.path(), 'fetched with mtime %s, source %s (UTC; 1 s allowed)'
                      % (utc_text(int(st.st_mtime)), utc_text(s.extra['mtime'])))
    rc = finish()
    if rc == 0:
        print('OK udfclient get: %d files fetched equal the source byte for byte (with their '
              'mtimes)' % (len(files) + len(streams)))
    return rc


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
    if cmd == 'udfclient-check':
        return cmd_udfclient_check(argv[2:])
    if cmd == 'udf-vid':
        print(udf_vid(argv[2]))
        return 0
    if cmd == 'iso-volume-id':
        for v in iso_volume_ids(argv[2]):
            print(v)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
