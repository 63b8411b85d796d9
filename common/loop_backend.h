/*
 * loop_backend.h: the small vtable every event-loop backend implements.
 * Internal to prober/; loop.c is the only user.
 */
#ifndef COMMON_LOOP_BACKEND_H
#define COMMON_LOOP_BACKEND_H

/* Called by a backend's wait for each ready descriptor. */
typedef void loop_ready_fn(void *ctx, int fd, int events);

struct loop_backend {
	const char *name;
	/* Returns backend state, or NULL with errno set. */
	void	*(*init)(void);
	void	 (*fini)(void *be);
	/* Start, change (OLD -> NEW events, NEW may be 0) or stop watching. */
	int	 (*add)(void *be, int fd, int events);
	int	 (*mod)(void *be, int fd, int old, int events);
	int	 (*del)(void *be, int fd, int old);
	/* Wait up to TIMEOUT_MS (-1 forever); call READY per ready fd.
	 * Returns 0, or -1 with errno (EINTR is not an error). */
	int	 (*wait)(void *be, int timeout_ms, loop_ready_fn *ready,
		    void *ctx);
};

extern const struct loop_backend loop_backend_epoll;
extern const struct loop_backend loop_backend_kqueue;
extern const struct loop_backend loop_backend_poll;
extern const struct loop_backend loop_backend_select;

#endif
