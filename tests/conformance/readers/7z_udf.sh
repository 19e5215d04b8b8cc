#!/bin/bash
# 7-Zip's UDF handler (7z -tUDF) as a reader of the UDF file system: 7z.sh in its UDF mode (the
# checks are listed there).
exec "$(dirname "$0")/7z.sh" --7z-udf "$@"
