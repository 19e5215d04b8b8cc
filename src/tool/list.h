/* `openfsi ls` (list.c). */
#ifndef OPENFSI_TOOL_LIST_H
#define OPENFSI_TOOL_LIST_H

/* Returns the exit status: 0 listed, 1 failed (said on stderr), 2 wrong usage. */
int command_list(int argc, char **argv);

#endif
