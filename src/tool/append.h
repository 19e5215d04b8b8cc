/* `openfsi append` (append.c). */
#ifndef OPENFSI_TOOL_APPEND_H
#define OPENFSI_TOOL_APPEND_H

/* Returns the exit status: 0 appended, 1 failed (said on stderr), 2 wrong usage. */
int command_append(int argc, char **argv);

#endif
