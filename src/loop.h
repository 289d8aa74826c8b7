/*
 * loop.h: the one event loop.  poll() over file descriptors (terminal,
 * database socket, HTTP sockets, the signal self-pipe) and timers.  Nothing
 * in dagtop waits anywhere else.
 */
#ifndef DAGTOP_LOOP_H
#define DAGTOP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_fd;
struct loop_timer;

/* revents as poll() reports them (POLLIN, POLLOUT, POLLERR, POLLHUP). */
typedef void (*loop_fd_cb)(struct loop_fd *, int revents, void *arg);
typedef void (*loop_timer_cb)(struct loop_timer *, void *arg);

struct loop	*loop_new(void);
void		 loop_free(struct loop *);
/*
 * Runs until loop_break() is called or nothing is left to wait for;
 * returns 0, or -1 if poll() failed.
 */
int		 loop_run(struct loop *);
/* One wait-and-dispatch pass; 1 more to do, 0 nothing to wait for, -1 error. */
int		 loop_run_once(struct loop *);
void		 loop_break(struct loop *);
/* Monotonic clock in milliseconds. */
int64_t		 loop_now_ms(void);

struct loop_fd	*loop_fd_add(struct loop *, int fd, int events, loop_fd_cb,
		    void *arg);
void		 loop_fd_set_events(struct loop_fd *, int events);
/* Safe to call from inside the fd's own callback. */
void		 loop_fd_del(struct loop_fd *);

/*
 * Catches the n signals in sigs for as long as the loop lives: the handler
 * only writes the signal's number down a self-pipe, and cb runs inside the
 * loop, once per signal delivered, in order.  loop_free() puts the previous
 * handlers back.  Signal dispositions belong to the process, so only one
 * loop at a time may catch signals; 0, or -1 with errno (pipe(), or EBUSY).
 */
typedef void (*loop_signal_cb)(int signo, void *arg);
int		 loop_signals(struct loop *, const int *sigs, int n,
		    loop_signal_cb, void *arg);

/* A one-shot timer; re-arm it with loop_timer_set. */
struct loop_timer *loop_timer_new(struct loop *, loop_timer_cb, void *arg);
void		 loop_timer_set(struct loop_timer *, int64_t delay_ms);
void		 loop_timer_stop(struct loop_timer *);
bool		 loop_timer_pending(const struct loop_timer *);
/* Safe to call from inside the timer's own callback. */
void		 loop_timer_free(struct loop_timer *);

#endif
