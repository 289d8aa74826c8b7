/*
 * command.h: runs a user's command (a token or password command such as
 * `gcloud auth print-access-token`) without blocking the event loop.  The
 * command runs under /bin/sh with stdin from /dev/null; its standard output
 * is the secret and is handed to the callback only, then wiped.
 */
#ifndef DAGTOP_COMMAND_H
#define DAGTOP_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct loop;
struct command;

/*
 * Called once: out holds the standard output with trailing newlines
 * removed when the command exited 0; otherwise out is NULL and why says
 * what went wrong (exit status, signal, timeout, and the first line of its
 * standard error, which is not expected to hold the secret).
 */
typedef void (*command_done_cb)(void *arg, const char *out, const char *why);

struct command	*command_run(struct loop *, const char *cmdline,
		    int timeout_ms, command_done_cb, void *arg);
/* Kills the command if it still runs; the callback is not called. */
void		 command_cancel(struct command *);

/*
 * In a child between fork and exec: closes every descriptor above 2, so a
 * command inherits none of dagtop's sockets (the database, curl's),
 * files or pipes, whether or not they were opened close-on-exec.
 */
void		 command_close_fds(void);
/*
 * popen(3) without the inheritance: runs cmdline under /bin/sh with its
 * stdin (to_child) or stdout connected to the returned stream and no other
 * descriptor of dagtop's.  Blocking; for the pager and for commands run
 * before the loop.  command_pclose returns the wait status, -1 on error.
 */
FILE		*command_popen(const char *cmdline, bool to_child, pid_t *pid);
int		 command_pclose(FILE *, pid_t);

#endif
