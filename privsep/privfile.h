/*
 * privfile.h: the file server's one way to open a file: below the one
 * directory it holds, never through a symbolic link or out of that
 * directory, regular files only, with the credentials of the process
 * (privfile_linux.c with openat2; privfile_null.c refuses).  No
 * credential is switched: the file server already runs as the user who
 * will own the results (filesrv.h).
 */
#ifndef PRIVSEP_PRIVFILE_H
#define PRIVSEP_PRIVFILE_H

/* Open PATH below DIRFD in MODE (PRIV_FILE_*).  Returns the descriptor
 * (close-on-exec, blocking), or -1 with errno: EXDEV if PATH is absolute
 * or leaves the directory, ELOOP if its last component is a symbolic
 * link, EISDIR for a directory, ENODEV for anything else that is not a
 * regular file, or what the open itself said (ENOENT, EACCES, ...). */
int privfile_open(int dirfd, const char *path, int mode);

#endif
