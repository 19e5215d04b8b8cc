/*
 * A one-line progress bar on a terminal: percent, MB/s and time left. When the output is not a
 * terminal the tool stays quiet, so scripts and logs see only errors.
 */
#ifndef OPENFSI_TOOL_PROGRESS_H
#define OPENFSI_TOOL_PROGRESS_H

#include <stdint.h>

struct progress {
    int enabled;
    uint64_t total;
    double started;
    double last_drawn;
};

void progress_start(struct progress *progress, uint64_t total);
void progress_update(struct progress *progress, uint64_t done);
void progress_finish(struct progress *progress, uint64_t done);

#endif
