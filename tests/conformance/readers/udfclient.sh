#!/bin/bash
# udfclient (UDFclient 0.8, a user-space UDF implementation of its own: it shares no code with
# udftools, 7-Zip or pycdlib) as a reader of the UDF file system. It is driven through stdin
# (cd, ls, lcd, get) by "conformance.py udfclient-check", which
#   - finds the one logical volume (udfclient shows it as a directory of "/" named
#     "VOLUME SET:PRIMARY VOLUME:LOGICAL VOLUME:FILE SET"; the last but one and the one before
#     must be the volume name),
#   - lists every directory (ls, one session per depth: the walk follows the image) and compares
#     the tree with the source: every path, file or directory, size. udfclient shows names
#     through the OSTA name translation (UDF 6.7.1) with only printable ASCII kept, so a name
#     with other characters shows as e.g. "caf_#7BB7.txt": the source's names are translated the
#     same way (conformance.udfclient_name) and compared in that form, which still pins each one
#     (the 4 hex digits are a CRC of the whole recorded name),
#   - fetches every file (get; files of 1 GiB or more into a FIFO read by a streaming comparison)
#     and compares contents and mtimes (within 1 s) with the source.
# udfclient exits 0 whatever it meets: any line it prints that looks like a complaint fails.
# It will not open an image file under 300 sectors: such an image is read from a sparse copy
# padded with zeros.
READER=udfclient READER_CMD=udfclient READER_FAMILY=udf
. "$(dirname "$0")/lib.sh"

"${CONF[@]}" udfclient-check "$IMG" "$SRC" --work "$WORK" --allow "$ALLOW" \
    ${VOLUME:+--volume "$VOLUME"} || STATUS=1
chmod -R u+rwX "$WORK" 2>/dev/null
finish
