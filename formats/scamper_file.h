/*
 * scamper_file.h: read and write warts files.
 *
 * A reader returns one object per call, in file order, decoding into the
 * plain structures of scamper_trace.h, scamper_ping.h, ... .  It holds one
 * record in memory at a time, so files of any size stream in constant
 * memory (plus the file's list and cycle tables).  gzip, bzip2 and xz
 * compressed files are recognised by their magic number and decompressed
 * on the fly.  Record types this library does not decode are returned as
 * SCAMPER_FILE_OBJ_RAW objects, which a writer copies out unchanged.
 *
 * The library never prints and never exits: every failure is a return
 * value, with a message from scamper_file_error() naming the byte offset
 * (in the decompressed stream) where the input went wrong.
 */
#ifndef SCAMPER_FILE_H
#define SCAMPER_FILE_H

#include <stdint.h>

/* Object types: the warts record types. */
#define SCAMPER_FILE_OBJ_LIST		1	/* struct scamper_list */
#define SCAMPER_FILE_OBJ_CYCLE_START	2	/* struct scamper_cycle */
#define SCAMPER_FILE_OBJ_CYCLE_DEF	3	/* struct scamper_cycle */
#define SCAMPER_FILE_OBJ_CYCLE_STOP	4	/* struct scamper_cycle */
#define SCAMPER_FILE_OBJ_ADDR		5	/* never returned */
#define SCAMPER_FILE_OBJ_TRACE		6	/* struct scamper_trace */
#define SCAMPER_FILE_OBJ_PING		7	/* struct scamper_ping */
#define SCAMPER_FILE_OBJ_TRACELB	8	/* struct scamper_tracelb */
#define SCAMPER_FILE_OBJ_DEALIAS	9	/* struct scamper_dealias */
#define SCAMPER_FILE_OBJ_NEIGHBOURDISC	10	/* struct scamper_neighbourdisc */
#define SCAMPER_FILE_OBJ_TBIT		11	/* struct scamper_tbit */
#define SCAMPER_FILE_OBJ_STING		12	/* struct scamper_sting */
#define SCAMPER_FILE_OBJ_SNIFF		13	/* struct scamper_sniff */
#define SCAMPER_FILE_OBJ_HOST		14	/* struct scamper_host */
#define SCAMPER_FILE_OBJ_RAW		0xffff	/* struct scamper_file_raw */

/* A record kept as bytes: its warts type and body (owned). */
struct scamper_file_raw {
	uint16_t	 type;
	uint32_t	 len;
	uint8_t		*data;
};

struct scamper_file;
struct scamper_trace;
struct scamper_ping;
struct scamper_tracelb;
struct scamper_dealias;
struct scamper_neighbourdisc;
struct scamper_sting;
struct scamper_sniff;
struct scamper_tbit;
struct scamper_host;
struct scamper_list;
struct scamper_cycle;

/* Open PATH ("-" = stdin) for reading, or for writing (created/truncated,
 * mode 0644; "-" = stdout).  NULL with errno set on failure.  Close with
 * scamper_file_close(). */
struct scamper_file *scamper_file_open_read(const char *path);
struct scamper_file *scamper_file_open_write(const char *path);
/* The same on an open descriptor; the file takes ownership of FD and
 * closes it in scamper_file_close(). */
struct scamper_file *scamper_file_fdopen_read(int fd);
struct scamper_file *scamper_file_fdopen_write(int fd);

/* Open PATH (created if missing) or FD (read and write) to append: the
 * records already there are read first, so the lists and cycles written
 * next carry on their numbering (a list equal to one there is not
 * written again), as scamper's append mode does.  NULL with the reason
 * in ERR if the file is damaged, compressed or cannot be opened (FD is
 * closed then). */
struct scamper_file *scamper_file_open_append(const char *path, char *err,
    size_t errlen);
struct scamper_file *scamper_file_fdopen_append(int fd, char *err,
    size_t errlen);

/* Read the next object.  Returns 1 with *TYPE and *OBJ set (the caller
 * owns *OBJ and frees it with scamper_file_obj_free), 0 at a clean end of
 * file, or -1 on error (see scamper_file_error; reading further after an
 * error returns -1 again).  Blocks on the descriptor. */
int scamper_file_read(struct scamper_file *f, uint16_t *type, void **obj);

/* Offset of the start of the record last returned (decompressed stream). */
uint64_t scamper_file_offset(const struct scamper_file *f);
/* The last error, "" if none.  Valid until the next call on F. */
const char *scamper_file_error(const struct scamper_file *f);
/* "none", "gzip", "bzip2" or "xz" for a reader after its first read. */
const char *scamper_file_compression(const struct scamper_file *f);

/* Write one object of TYPE as returned by scamper_file_read().  A list
 * equal to one this file already holds is not written twice.  Lists and
 * cycles a measurement refers to are written first when this file has not
 * written them yet.  Returns 0, or -1 with an error message.  The object
 * is not modified and stays the caller's.  May block writing. */
int scamper_file_write_obj(struct scamper_file *f, uint16_t type,
    const void *obj);
int scamper_file_write_trace(struct scamper_file *f,
    const struct scamper_trace *t);
int scamper_file_write_ping(struct scamper_file *f,
    const struct scamper_ping *p);
int scamper_file_write_tracelb(struct scamper_file *f,
    const struct scamper_tracelb *t);
int scamper_file_write_dealias(struct scamper_file *f,
    const struct scamper_dealias *d);
int scamper_file_write_neighbourdisc(struct scamper_file *f,
    const struct scamper_neighbourdisc *n);
int scamper_file_write_sting(struct scamper_file *f,
    const struct scamper_sting *s);
int scamper_file_write_sniff(struct scamper_file *f,
    const struct scamper_sniff *s);
int scamper_file_write_tbit(struct scamper_file *f,
    const struct scamper_tbit *t);
int scamper_file_write_host(struct scamper_file *f,
    const struct scamper_host *h);
int scamper_file_write_list(struct scamper_file *f,
    const struct scamper_list *l);
int scamper_file_write_cycle_start(struct scamper_file *f,
    const struct scamper_cycle *c);
int scamper_file_write_cycle_stop(struct scamper_file *f,
    const struct scamper_cycle *c);

/* Flush (writers) and free F, closing its descriptor.  Returns 0, or -1
 * if a final write or close failed.  NULL is ignored. */
int scamper_file_close(struct scamper_file *f);

/* Free an object returned by scamper_file_read(). */
void scamper_file_obj_free(uint16_t type, void *obj);

#endif
