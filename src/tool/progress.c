/* Terminal progress bar (progress.h); redrawn at most ten times a second. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BAR_WIDTH 30

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void progress_start(struct progress *progress, uint64_t total)
{
    progress->enabled = isatty(STDERR_FILENO);
    progress->total = total;
    progress->started = now();
    progress->last_drawn = 0;
}

static void draw(struct progress *progress, uint64_t done, double t)
{
    double elapsed = t - progress->started;
    double fraction = progress->total ? (double)done / (double)progress->total : 1.0;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(progress->total - done) / rate : 0;
    char bar[BAR_WIDTH + 1];
    int i, filled = (int)(fraction * BAR_WIDTH);

    for (i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = 0;
    fprintf(stderr, "\r[%s] %5.1f%%  %8.1f MB/s  %4d:%02d left ", bar, fraction * 100.0,
            rate / 1e6, (int)left / 60, (int)left % 60);
    fflush(stderr);
    progress->last_drawn = t;
}

void progress_update(struct progress *progress, uint64_t done)
{
    double t;
    if (!progress->enabled)
        return;
    t = now();
    if (t - progress->last_drawn >= 0.1)
        draw(progress, done, t);
}

void progress_finish(struct progress *progress, uint64_t done)
{
    if (!progress->enabled)
        return;
    draw(progress, done, now());
    fputc('\n', stderr);
}
