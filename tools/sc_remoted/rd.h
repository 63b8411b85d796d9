/*
 * rd.h: sc_remoted's internals, shared by sc_remoted.c (options,
 * listeners, the process), rd_vp.c (one connection from a remote
 * scamper: the protocol, identification, zombies and resume) and
 * rd_chan.c (the unix socket of a vantage point and its clients, one
 * channel each).
 */
#ifndef SC_REMOTED_RD_H
#define SC_REMOTED_RD_H

#include <stdint.h>
#include <sys/queue.h>

#include "loop.h"
#include "remote_proto.h"
#include "tls.h"

struct rd_muxd;
struct rd_mclient;

#define RD_HELD_MAX	(8u << 20)	/* unacked: stop reading clients */
#define RD_CLIENT_WQ	(16u << 20)	/* unread by a client: stop reading */
#define RD_RBUF		(RP_MAXMSG + 16384)

/* Fairness (sc_remoted(1), LIMITS).  Connections: at most RD_MAXCONNS,
 * RD_PEER_CONNS from one address; one that has not identified itself
 * makes way for a newcomer when a limit is reached (and is closed after
 * RP_NEWDEAD_S anyway).  Sessions waiting to resume (-Z): at most
 * RD_PEER_ZOMBIES per address and RD_MAXZOMBIES in all; beyond, the one
 * waiting longest is forgotten. */
#define RD_MAXCONNS	4096
#define RD_PEER_CONNS	64
#define RD_MAXZOMBIES	1024
#define RD_PEER_ZOMBIES	16
#define RD_IPLEN	46	/* INET6_ADDRSTRLEN */

struct rd_conf {
	int		 v4only, v6only;	/* -4, -6 */
	int		 daemon;		/* -D */
	int		 allowgroup, allowother, debug;	/* -O */
	enum loop_kind	 loop;			/* -O select */
	const char	*listen;		/* -P [ip:]port */
	const char	*dir;			/* -U (NULL: -M only) */
	const char	*mux;			/* -M: one socket for all */
	const char	*cert, *key;		/* -c, -p */
	const char	*client_ca;		/* -C: require client certs */
	const char	*pidfile;		/* -e */
	uint32_t	 zombie_s;		/* -Z */
};

struct rd {
	const struct rd_conf	*c;
	struct loop		*l;
	struct ssl_ctx_st	*tls;		/* NULL: plain */
	TAILQ_HEAD(, rd_vp)	 vps;
	TAILQ_HEAD(, rd_conn)	 conns;
	struct rd_muxd		*mux;		/* -M, or NULL */
};

/* One TCP connection from a scamper; VP is NULL until it identifies. */
struct rd_conn {
	struct rd		*rd;
	struct rd_vp		*vp;
	int			 fd;
	struct loop_fd		*lfd;
	struct tstream		 ts;
	char			 peer[80];	/* "ip:port", "ip6.port" */
	char			 ip[RD_IPLEN];	/* the address alone: caps */
	uint8_t			*rbuf;
	size_t			 rlen;
	uint8_t			*wbuf;
	size_t			 woff, wlen, wcap;
	int			 closing;	/* close once written */
	struct timer		 tick;
	struct monotime		 born, last_rx, last_tx;
	TAILQ_ENTRY(rd_conn)	 e;
};

/* A unix socket client: one channel of its vantage point. */
struct rd_chan {
	struct rd_vp		*vp;
	uint32_t		 id;
	int			 fd;		/* -1 once closed */
	struct loop_fd		*lfd;
	uint8_t			*wq;		/* scamper's bytes for it */
	size_t			 woff, wlen, wcap;
	int			 fin_sent;	/* told scamper it left */
	int			 fin_rcvd;	/* scamper ended the channel */
	TAILQ_ENTRY(rd_chan)	 e;
	struct rd_mclient	*mc;		/* a -M client's, or NULL */
	uint32_t		 mc_id;		/* its channel number there */
	TAILQ_ENTRY(rd_chan)	 mce;		/* on the client's list */
};

/* A vantage point: a scamper that identified itself (MASTER_NEW).  It
 * outlives its connection as a zombie for -Z seconds so that it can
 * resume (MASTER_RES with its magic); its clients stay connected. */
struct rd_vp {
	struct rd		*rd;
	struct rd_conn		*conn;		/* NULL: zombie */
	char			 monitor[RP_NAMEMAX + 1];
	char			 ip[RD_IPLEN];	/* where it came from */
	struct monotime		 zombie_since;
	uint8_t			 magic[RP_MAGICLEN];
	char			 name[RP_NAMEMAX + 100];	/* socket name */
	char			*path;		/* dir/name, or NULL */
	int			 ufd;
	struct loop_fd		*ulfd;
	struct rp_link		 link;
	uint32_t		 next_chan;
	int			 reading_paused; /* held_bytes over max */
	struct timer		 zombie;
	TAILQ_HEAD(, rd_chan)	 chans;
	TAILQ_ENTRY(rd_vp)	 e;
	uint32_t		 id;		/* -M: its number, from 1 */
	char			 addr[64];	/* -M: its address as seen */
	char			 arrived[32];	/* -M: "sec.usec" it came */
};

/* rd_vp.c */
/* A new TCP connection FD from PEER (its name), address IP.  Refused
 * (closed, logged) beyond the caps (RD_MAXCONNS, RD_PEER_CONNS). */
void rd_conn_new(struct rd *rd, int fd, const char *peer, const char *ip);
/* Send the reliable message M if VP is connected. */
void rd_vp_send(struct rd_vp *vp, const struct rp_msg *m);
/* Free every connection and vantage point (exit). */
void rd_free_all(struct rd *rd);

/* rd_chan.c */
/* Make VP's unix socket, named after its monitor and CONN's peer.
 * Returns 0 or -1 (logged). */
int rd_sock_open(struct rd_vp *vp, const char *peer);
/* Remove VP's unix socket (clients stay). */
void rd_sock_close(struct rd_vp *vp);
/* Bytes P[0..LEN-1] from scamper for channel ID. */
void rd_chan_data(struct rd_vp *vp, uint32_t id, const uint8_t *p,
    size_t len);
/* Scamper ended channel ID. */
void rd_chan_fin(struct rd_vp *vp, uint32_t id);
/* Acks made room (or the VP came back): read the clients again. */
void rd_chan_resume_reading(struct rd_vp *vp);
/* Close and free every channel of VP (its clients see EOF). */
void rd_chan_free_all(struct rd_vp *vp);
/* A channel of VP for the -M client MC, which calls it MC_ID: tells
 * scamper (CHANNEL_NEW).  Returns it, or NULL (logged). */
struct rd_chan *rd_chan_new_mux(struct rd_vp *vp, struct rd_mclient *mc,
    uint32_t mc_id);
/* Bytes P[0..LEN-1] from CH's client for scamper.  Returns 0, or -1 if
 * the channel had to be ended (logged). */
int rd_chan_send(struct rd_chan *ch, const uint8_t *p, size_t len);
/* CH's client left or closed it: tell scamper, drop what still comes. */
void rd_chan_gone(struct rd_chan *ch);

/* rd_mux.c: the -M socket (sc_remoted(1), MULTIPLEXED SOCKET) */
/* Make the -M socket.  Returns 0 or -1 (said on stderr). */
int rd_mux_open(struct rd *rd);
/* Close it and every client of it (exit). */
void rd_mux_close(struct rd *rd);
/* VP identified itself, or resumed: tell the clients (VP_UPDATE). */
void rd_mux_vp_update(struct rd_vp *vp, const char *peer);
/* VP is forgotten: tell the clients (VP_DEPART). */
void rd_mux_vp_depart(struct rd_vp *vp);
/* Scamper's bytes for the -M channel CH. */
void rd_mux_chan_data(struct rd_chan *ch, const uint8_t *p, size_t len);
/* The -M channel CH ended on scamper's side (or its VP went): tell its
 * client (CHANNEL_CLOSE) and unlink it from the client. */
void rd_mux_chan_closed(struct rd_chan *ch);
/* Unlink CH from its client without telling it. */
void rd_mux_chan_unlink(struct rd_chan *ch);

#endif
