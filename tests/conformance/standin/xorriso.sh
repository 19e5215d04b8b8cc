#!/bin/bash
# Stand-in for the openfsi tool built on "xorriso -as mkisofs" (writes multi-extent files at
# ISO level 3). Same command line as genisoimage.sh.
STANDIN_BACKEND=xorriso exec "$(dirname "$0")/genisoimage.sh" "$@"
